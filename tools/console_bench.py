#!/usr/bin/env python3
"""How fast the web console's pages are on a big home: a benchmark, not a test.

    # a home of 300,000 order lines (generated and cycled by `orderflow bench cycle`), then every page:
    python3 tools/console_bench.py --binary .build/release/orderflow --lines 300000
    # or an existing home:
    python3 tools/console_bench.py --binary .build/release/orderflow --home /path/to/home

Serves the home with `orderflow serve` (the same pages and queries as `run --http`, read-only), picks
real values from its database (the biggest stage, a customer, a sku, an order, the last page of a
list), requests each page `--repeats` times over HTTP on loopback and prints, per page, the status,
the median and the slowest time in milliseconds, and `SLOW` beside any median over the budget
(200 ms). Exit status 0 always, unless a page does not answer 200.
"""
import argparse
import http.client
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

BUDGET_MS = 200


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_home(root):
    """The generated home inside `bench cycle`'s scratch folder: the folder holding orderflow.sqlite."""
    for path in Path(root).rglob("orderflow.sqlite"):
        return path.parent
    sys.exit(f"no orderflow.sqlite under {root}")


def pages(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    one = lambda sql: (db.execute(sql).fetchone() or [None])[0]
    stage = one("SELECT stage FROM order_line GROUP BY stage ORDER BY count(*) DESC LIMIT 1") or "picking"
    orders_in_stage = db.execute("SELECT count(DISTINCT order_id) FROM order_line WHERE stage = ?", (stage,)).fetchone()[0]
    last_page = max(1, (orders_in_stage + 49) // 50)
    customer = one("SELECT customer_ref FROM sales_order ORDER BY id DESC LIMIT 1") or "C1"
    sku = one("SELECT sku FROM order_line ORDER BY id DESC LIMIT 1") or "SKU1"
    ref = one("SELECT order_ref FROM sales_order ORDER BY id DESC LIMIT 1") or "SO-1"
    q = urllib.parse.quote
    return [
        "/",
        "/stages",
        f"/stages/{stage}",
        f"/stages/{stage}?sort=age&dir=desc",
        f"/stages/{stage}?sort=value&dir=desc",
        f"/stages/{stage}?customer={q(customer)}",
        f"/stages/{stage}?sku={q(sku)}",
        f"/stages/{stage}?q={q(ref[:4])}",
        f"/stages/{stage}?page={last_page}",
        "/stages/back-order",
        f"/orders/{q(ref, safe='')}",
        "/stock",
        f"/stock?sku={q(sku)}",
        f"/stock/{q(sku, safe='')}",
        "/logic",
        "/jobs",
        "/jobs?failed=1",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/orderflow")
    parser.add_argument("--home", help="an existing home with a database")
    parser.add_argument("--lines", type=int, default=300_000, help="order lines to generate when no --home is given")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)

    scratch = None
    if args.home:
        home = Path(args.home)
    else:
        scratch = tempfile.mkdtemp(prefix="orderflow-console-bench-")
        print(f"generating and cycling {args.lines} order lines (orderflow bench cycle)…", flush=True)
        subprocess.run([binary, "bench", "cycle", "--lines", str(args.lines), "--dir", scratch, "--keep"],
                       check=True, stdout=subprocess.DEVNULL)
        home = find_home(scratch)
    lines = sqlite3.connect(f"file:{home / 'orderflow.sqlite'}?mode=ro", uri=True).execute("SELECT count(*) FROM order_line").fetchone()[0]

    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"console-bench-{port}.log", "w")
    server = subprocess.Popen([binary, "serve", "--home", str(home), "--http", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    failed = False
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit(f"orderflow serve did not start; see {log.name}")
                time.sleep(0.1)
        print(f"{lines} order lines in {home}; {args.repeats} requests per page, ms (budget {BUDGET_MS} ms)")
        print(f"{'page':58} {'status':>6} {'median':>8} {'max':>8}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for path in pages(home / "orderflow.sqlite"):
            times, status = [], None
            for _ in range(args.repeats):
                started = time.perf_counter()
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                times.append((time.perf_counter() - started) * 1000)
                status = response.status
            median = statistics.median(times)
            flag = "  SLOW" if median > BUDGET_MS else ""
            failed |= status != 200
            print(f"{path[:58]:58} {status:>6} {median:8.1f} {max(times):8.1f}{flag}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
