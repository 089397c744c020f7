#!/usr/bin/env python3
"""The web console in a real browser: Debian's chromium driven by Playwright for Python, against a
real engine (`orderflow run --http`) on a temporary home holding the repository's sample drop.

    python3 tools/console_test.py --binary .build/debug/orderflow
    python3 tools/console_test.py --binary .build/debug/orderflow --screenshots docs/console   # README pictures

Flows, each end to end through the browser and checked in the files and the database:
  - a failed file shows its reason on Health;
  - a held order is released from its page and appears on the next pick list;
  - a rule edited with a typo shows the error at the caret, is fixed, previews its matches, is saved,
    and the next cycle applies it;
  - a job is run now and appears in its history, by user:<name>;
and every page passes an axe scan with no serious or critical violation, and works with the keyboard.

Playwright's own browser download cannot reach the network here, so chromium is launched by path
(`executable_path=shutil.which("chromium")`). Exit status 0 when every check passed; 1 with the failed
ones listed otherwise.
"""
import argparse
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from playwright.sync_api import sync_playwright, expect
from axe_playwright_python.sync_playwright import Axe

REPO = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, what, timeout=60.0, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Engine:
    """`orderflow run --http` on a new home with the sample drop in its inbox."""

    def __init__(self, binary, root):
        self.binary = binary
        self.home = Path(root) / "home"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        subprocess.run([binary, "init", "--home", str(self.home)], check=True, stdout=subprocess.DEVNULL)
        # The sample drop, with its files' own (old) times, so that they are taken at once.
        shutil.copytree(REPO / "examples" / "drop", self.home / "inbox", copy_function=shutil.copy2, dirs_exist_ok=True)
        self.log_path = Path(root) / "engine.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary, "run", "--home", str(self.home), "--http", f"127.0.0.1:{self.port}"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: "console serving" in self.log_path.read_text(), "the console to serve")
        # The first cycle has imported the drop and written the first pick list.
        wait_for(lambda: list((self.home / "outbox" / "picklists").glob("PL-*.csv")), "the first pick list")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def query(self, sql, *args):
        with sqlite3.connect(f"file:{self.home / 'orderflow.sqlite'}?mode=ro", uri=True) as db:
            return db.execute(sql, args).fetchall()

    def pick_lists(self):
        return sorted((self.home / "outbox" / "picklists").glob("PL-*.csv"))


class Checks:
    def __init__(self):
        self.failed = []
        self.passed = []

    def run(self, name, body):
        started = time.monotonic()
        try:
            body()
            self.passed.append(name)
            print(f"ok    {name} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception as error:  # noqa: BLE001 — every failure is reported, the rest goes on
            self.failed.append((name, error))
            print(f"FAIL  {name}: {error}", flush=True)
            traceback.print_exc()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(REPO / ".build" / "debug" / "orderflow"))
    parser.add_argument("--screenshots", help="write a PNG of each page into this folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    args = parser.parse_args()

    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("chromium not found: apt-get install chromium")
    root = tempfile.mkdtemp(prefix="orderflow-console-")
    engine = Engine(os.path.abspath(args.binary), root)
    checks = Checks()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(20_000)
            flows = Flows(engine, page, args.screenshots)
            for name in flows.order:
                checks.run(name, getattr(flows, name))
            browser.close()
    finally:
        engine.stop()
        if checks.failed:
            print(f"\nengine log ({engine.log_path}):\n" + engine.log_path.read_text()[-4000:])
        if not args.keep and not checks.failed:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"home kept at {engine.home}")
    print(f"\n{len(checks.passed)} passed, {len(checks.failed)} failed")
    for name, error in checks.failed:
        print(f"  {name}: {error}")
    sys.exit(1 if checks.failed else 0)


class Flows:
    order = ["failed_file_on_health", "release_held_order", "rule_typo_fix_preview_save", "job_run_now",
             "every_page_accessible", "keyboard_only"]

    def __init__(self, engine, page, screenshots):
        self.engine, self.page, self.screenshots = engine, page, screenshots
        self.axe = Axe()

    def open(self, path):
        response = self.page.goto(self.engine.url + path)
        assert response is not None and response.ok, f"GET {path}: {response.status if response else 'no response'}"
        return response

    def shoot(self, name):
        if self.screenshots:
            Path(self.screenshots).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(self.screenshots) / f"{name}.png"), full_page=True)

    # A file the orders mapping cannot read is failed with a reason, and Health shows that reason.
    def failed_file_on_health(self):
        broken = self.engine.home / "inbox" / "orders" / "broken-2026-12-01.csv"
        broken.write_text("this,is,not\nan,orders,file\n")
        old = time.time() - 60
        os.utime(broken, (old, old))
        reason = wait_for(lambda: next((self.engine.home / "failed").glob("orders/broken-2026-12-01.csv.reason.txt"), None),
                          "the broken file to fail")
        text = reason.read_text().strip()
        self.open("/")
        row = self.page.locator("#failed-files tr", has_text="broken-2026-12-01.csv")
        expect(row).to_have_count(1)
        first_words = text.splitlines()[0][:40]
        expect(row.locator(".reason")).to_contain_text(first_words)
        self.shoot("health")

    # A held order, found from the Stages board, is released on its page (confirmed), by user:<name>,
    # and appears on the next pick list.
    def release_held_order(self):
        ref = "SO-1007"  # held for credit (credit limit) by the sample drop; its stock is free
        before = set(self.engine.pick_lists())
        self.open("/stages")
        self.shoot("stages")
        self.page.get_by_role("link", name="held-for-credit").first.click()
        expect(self.page.locator("h1")).to_contain_text("held-for-credit")
        self.shoot("stage-held-for-credit")
        self.page.get_by_role("link", name=ref, exact=True).click()
        expect(self.page.locator("h1")).to_contain_text(ref)
        expect(self.page.locator("main")).to_contain_text("credit-limit")
        self.shoot("order")
        self.page.get_by_role("link", name="Release", exact=True).click()
        expect(self.page.locator("h1")).to_contain_text("Release")
        self.page.get_by_role("button", name="Release").click()
        expect(self.page.locator(".notice")).to_contain_text("released")
        actor = wait_for(lambda: self.engine.query(
            "SELECT actor FROM stage_move JOIN sales_order o ON o.id = order_id WHERE o.order_ref = ? AND actor LIKE 'user:%'", ref),
            "the release in the history")
        assert actor[0][0].startswith("user:"), actor
        listed = wait_for(lambda: [f for f in self.engine.pick_lists() if f not in before and ref in f.read_text()],
                          "the released order on a new pick list")
        assert listed, "no new pick list"
        # The page's timeline shows the release with its actor.
        self.open(f"/orders/{ref}")
        expect(self.page.locator(".timeline")).to_contain_text(actor[0][0])

    # The Logic Builder: a typo is marked at its line and column as it is typed, "Go to error" puts the
    # caret on it; fixed, the rule previews its matches; saved (with a backup and a diff), the next
    # cycle applies it.
    def rule_typo_fix_preview_save(self):
        self.open("/logic")
        editor = self.page.locator("#rules-text")
        original = editor.input_value()
        anchor = "  # Drop-ship items"
        assert anchor in original, "the sample rules.yaml changed: fit the test"
        rule = ("  - rule: big-back-orders\n"
                "    search: customer.terms = 'ACCOUNT' and order.totl > 100\n"
                "    stages: [back-order]\n"
                "    scope: order\n"
                "    action: move\n"
                "    to: on-hold\n"
                "    reason: back order over 100; call the customer\n")
        typo_text = original.replace(anchor, rule + anchor, 1)
        offset = typo_text.index("order.totl")
        line = typo_text.count("\n", 0, offset) + 1
        column = offset - (typo_text.rfind("\n", 0, offset) + 1) + 1
        editor.fill(typo_text)
        status = self.page.locator("#rules-status")
        expect(status).to_contain_text(f"line {line}")
        expect(status).to_contain_text(f"column {column}")
        expect(status).to_contain_text("totl")
        self.shoot("logic-error")
        self.page.get_by_role("button", name="Go to error").click()
        caret = editor.evaluate("e => [e.selectionStart, document.activeElement === e]")
        assert caret[1], "the editor does not have the focus after Go to error"
        assert caret[0] == offset, f"caret at {caret[0]}, the error is at {offset} (line {line}, column {column})"
        # Fixed: the mark goes away.
        editor.fill(typo_text.replace("order.totl", "order.total"))
        expect(status).not_to_contain_text("column")
        # Preview of the edited (not yet saved) rule: the back-ordered SO-1006 (customer C001, ACCOUNT, 150.00).
        self.page.get_by_label("Rule to preview").select_option("big-back-orders")
        self.page.get_by_role("button", name="Preview").click()
        expect(self.page.locator("#preview")).to_contain_text("SO-1006")
        self.shoot("logic-preview")
        self.page.get_by_role("button", name="Save").click()
        expect(self.page.locator("pre.diff")).to_contain_text("big-back-orders")
        self.shoot("logic-saved")
        saved = (self.engine.home / "rules.yaml").read_text()
        assert "order.total > 100" in saved and "totl" not in saved
        backups = list((self.engine.home / "backups" / "rules").glob("rules-*.yaml"))
        assert any(p.read_text() == original for p in backups), f"no backup holding the previous rules.yaml among {backups}"
        wait_for(lambda: self.engine.query(
            "SELECT 1 FROM order_line l JOIN sales_order o ON o.id = l.order_id WHERE o.order_ref = 'SO-1006' AND l.stage = 'on-hold'"),
            "the next cycle to move SO-1006 to on-hold by the saved rule")

    # The Job Manager: Run now, and the run is in the history, triggered by user:<name>.
    def job_run_now(self):
        self.open("/jobs")
        asked = "SELECT count(*) FROM job_request q JOIN job_run r ON r.id = q.run_id WHERE q.requested_by LIKE 'user:%'"
        before = self.engine.query(asked)[0][0]
        self.page.get_by_role("button", name="Run now").first.click()
        expect(self.page.locator(".notice")).to_contain_text("ran cycle")
        wait_for(lambda: self.engine.query(asked)[0][0] > before, "the run in the job history")
        self.open("/jobs")
        expect(self.page.locator("#job-history")).to_contain_text("manual by user:")
        self.shoot("jobs")

    # The keyboard alone: the skip link first, then the navigation; Enter follows a link.
    def keyboard_only(self):
        self.open("/")
        self.page.keyboard.press("Tab")
        assert self.page.evaluate("document.activeElement.textContent") == "Skip to content"
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main"
        self.open("/")
        for _ in range(12):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement.textContent") == "Stock":
                break
        self.page.keyboard.press("Enter")
        self.page.wait_for_url("**/stock")
        expect(self.page.locator("h1")).to_contain_text("Stock")
        self.shoot("stock")

    # Every page: an axe scan (WCAG 2 A and AA rules) with no serious or critical violation.
    def every_page_accessible(self):
        problems = []
        for path in self.pages():
            self.open(path)
            results = self.axe.run(self.page)
            assert results.response.get("testEngine", {}).get("name") == "axe-core", f"{path}: axe did not run"
            assert results.response.get("passes") is not None or results.response.get("violations") is not None
            for violation in results.response["violations"]:
                if violation.get("impact") in ("serious", "critical"):
                    nodes = "; ".join(n["target"][0] if n.get("target") else "?" for n in violation["nodes"][:3])
                    problems.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {nodes}")
        assert not problems, "axe found:\n  " + "\n  ".join(problems)

    def pages(self):
        """One of each page, with real values from the engine's database."""
        return ["/", "/stages", "/stages/held-for-credit", "/stages/on-hold?sort=age&dir=desc", "/orders/SO-1006",
                "/orders/SO-1007/release", "/orders/SO-1006/hold", "/logic", "/jobs", "/jobs?failed=1", "/stock",
                "/stock/WID-100"]


if __name__ == "__main__":
    main()
