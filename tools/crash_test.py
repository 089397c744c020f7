#!/usr/bin/env python3
"""Crash-test harness: runs the orderflow daemon over a stream of dropped files, kills it with
SIGKILL at random moments, restarts it, and at the end checks every exactly-once invariant
against the input files, the outbox and the database.

    python3 tools/crash_test.py --binary .build/debug/orderflow --kills 10          # short (CI)
    python3 tools/crash_test.py --binary .build/release/orderflow --kills 200       # long, by hand
    python3 tools/crash_test.py --kills 10 --large 4000   # kills land inside multi-commit imports

Exit status 0 when every invariant held; 1 with the broken ones listed otherwise.
"""
import argparse
import csv
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

SKUS = [f"SKU{i}" for i in range(1, 21)]
DROP_SKUS = ["DROP1", "DROP2"]


def write_file(path, text):
    with open(path, "w", newline="") as f:
        f.write(text)


def order_rows(file_no, orders_per_file, rng):
    rows = []
    expected = {}
    for o in range(orders_per_file):
        ref = f"F{file_no:04d}-O{o:02d}"
        lines = rng.randint(1, 4)
        expected[ref] = lines
        customer = f"C{rng.randint(1, 5)}"
        for n in range(1, lines + 1):
            sku = rng.choice(SKUS + DROP_SKUS)
            qty = rng.randint(1, 5)
            rows.append(f"{ref},2026-11-{1 + file_no % 27:02d},{customer},{n},{sku},{qty},,,,,,,,,,")
    return rows, expected


ORDER_HEADER = ("order_ref,order_date,customer_ref,line_no,sku,quantity,unit_price,payment_method,card_number,"
                "card_expiry,ship_name,ship_address1,ship_address2,ship_city,ship_postcode,ship_country")


class Dropper(threading.Thread):
    """Drops order and receipt files the way SFTP clients do: some slowly in pieces, some under a
    temporary name then renamed, some in one go."""

    def __init__(self, home, files, rng, large=0):
        super().__init__(daemon=True)
        self.home, self.files, self.rng, self.large = home, files, rng, large
        self.expected_orders = {}
        self.dropped = []          # (feed folder, file name)
        self.receipts = {}         # sku -> units received

    def run(self):
        for i in range(self.files):
            if i % 5 == 4:
                sku = self.rng.choice(SKUS)
                qty = self.rng.randint(5, 40)
                self.receipts[sku] = self.receipts.get(sku, 0) + qty
                name = f"receipt-{i:04d}.csv"
                text = f"receipt_ref,sku,quantity,warehouse,received_at\nGRN-{i},{sku},{qty},,\n"
                self.drop("receipts", name, text)
            else:
                # Every 7th file is large when asked, so that kills land between an import's commits.
                count = self.large if self.large and i % 7 == 3 else self.rng.randint(2, 8)
                rows, expected = order_rows(i, count, self.rng)
                self.expected_orders.update(expected)
                self.drop("orders", f"orders-{i:04d}.csv", ORDER_HEADER + "\n" + "\n".join(rows) + "\n")
            time.sleep(self.rng.uniform(0.0, 0.15))

    def drop(self, feed, name, text):
        folder = os.path.join(self.home, "inbox", feed)
        path = os.path.join(folder, name)
        style = self.rng.choice(["slow", "rename", "direct"])
        if style == "slow":
            half = len(text) // 2
            with open(path, "w", newline="") as f:
                f.write(text[:half])
                f.flush()
                time.sleep(self.rng.uniform(0.05, 0.5))  # pauses shorter than the settle time, as a live transfer
                f.write(text[half:])
        elif style == "rename":
            temp = path + ".part"
            write_file(temp, text)
            os.rename(temp, path)
        else:
            write_file(path, text)
        self.dropped.append((feed, name))


def start(binary, home):
    log = open(os.path.join(home, "daemon.log"), "a")
    return subprocess.Popen([binary, "run", "--home", home], stdout=log, stderr=log)


def wait_for_large_import(home, timeout):
    """Waits until a file of more than 100 kB is claimed in processing/orders/ (being imported)."""
    folder = os.path.join(home, "processing", "orders")
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if any(os.path.getsize(os.path.join(folder, f)) > 100_000 for f in os.listdir(folder)):
                return True
        except OSError:
            pass
        time.sleep(0.02)
    return False


def run_cli(binary, home, *args):
    return subprocess.run([binary, *args, "--home", home], capture_output=True, text=True)


def settle_and_stop(binary, home, timeout=120):
    """Runs the daemon until the inbox and processing are empty and nothing is pending, then SIGTERM."""
    daemon = start(binary, home)
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            time.sleep(0.5)
            waiting = [f for d in os.listdir(os.path.join(home, "inbox")) for f in os.listdir(os.path.join(home, "inbox", d))
                       if not f.startswith(".")]
            processing_root = os.path.join(home, "processing")
            claimed = []
            if os.path.isdir(processing_root):
                # Folders per mapping; the engine's own markers (.importing) are files beside them.
                claimed = [f for d in os.listdir(processing_root) if os.path.isdir(os.path.join(processing_root, d))
                           for f in os.listdir(os.path.join(processing_root, d))]
            db = sqlite3.connect(os.path.join(home, "orderflow.sqlite"), timeout=30)
            pending = db.execute("SELECT COUNT(*) FROM outbox_file WHERE written_at IS NULL").fetchone()[0]
            picking = db.execute("SELECT COUNT(*) FROM order_line WHERE stage IN ('new', 'picking')").fetchone()[0]
            db.close()
            if not waiting and not claimed and pending == 0 and picking == 0:
                time.sleep(1.0)  # one more cycle for good measure
                break
        else:
            raise SystemExit("the daemon did not finish the work in time; see daemon.log")
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=60)
    return code


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        data = f.read()
    return data, list(csv.reader(io.StringIO(data)))


def check(home, dropper):
    problems = []
    # 1. Every input file ended archived or failed, exactly once; none left behind.
    ended = {}
    for root in ("archive", "failed"):
        base = os.path.join(home, root)
        if not os.path.isdir(base):
            continue
        for feed in os.listdir(base):
            for name in os.listdir(os.path.join(base, feed)):
                if name.endswith(".reason.txt") or name.startswith("."):
                    continue
                ended.setdefault((feed, name), []).append(root)
    for feed, name in dropper.dropped:
        places = ended.get((feed, name), [])
        if len(places) != 1:
            problems.append(f"input {feed}/{name} ended in {places or 'nowhere'} (expected exactly one of archive, failed)")
        elif places != ["archive"]:
            problems.append(f"input {feed}/{name} failed although it was valid")

    db = sqlite3.connect(os.path.join(home, "orderflow.sqlite"))
    # 2. Every order imported exactly once, whole.
    lines_by_order = dict(db.execute(
        "SELECT o.order_ref, COUNT(l.id) FROM sales_order o JOIN order_line l ON l.order_id = o.id GROUP BY o.order_ref"))
    for ref, lines in dropper.expected_orders.items():
        if lines_by_order.get(ref) != lines:
            problems.append(f"order {ref}: {lines_by_order.get(ref)} lines imported, expected {lines}")
    extra = set(lines_by_order) - set(dropper.expected_orders)
    if extra:
        problems.append(f"orders imported that were never dropped: {sorted(extra)[:5]}")

    # 3. Outbox files whole, named with gapless sequences, no line on two pick lists or two POs.
    picked, po_lines = {}, {}
    for folder in ("picklists", "purchase-orders", "exceptions"):
        base = os.path.join(home, "outbox", folder)
        names = sorted(n for n in os.listdir(base) if not n.startswith("."))
        leftovers = [n for n in os.listdir(base) if n.startswith(".") and n != ".gitkeep"]
        if leftovers:
            problems.append(f"outbox/{folder}: temporary files left: {leftovers}")
        numbers = sorted(int(n.split("-")[1].split(".")[0]) for n in names)
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"outbox/{folder}: sequence numbers {numbers[:10]}... are not 1..{len(numbers)} without gaps")
        for name in names:
            if name.endswith(".xml"):
                with open(os.path.join(base, name), encoding="utf-8") as f:
                    text = f.read()
                if not text.rstrip().endswith("</purchase_order>"):
                    problems.append(f"outbox/{folder}/{name} is not whole")
                for line_no in [int(x.split('"')[1]) for x in text.split("<line line_no=")[1:]]:
                    ref = text.split("<order_ref>")[1].split("</order_ref>")[0]
                    po_lines.setdefault((ref, line_no), []).append(name)
                continue
            data, rows = read_csv(os.path.join(base, name))
            if not data.endswith("\r\n") or any(len(r) != len(rows[0]) for r in rows):
                problems.append(f"outbox/{folder}/{name} is not a whole CSV file")
                continue
            header = rows[0]
            for row in rows[1:]:
                record = dict(zip(header, row))
                key = (record.get("order_ref"), record.get("line_no"))
                if folder == "picklists":
                    picked.setdefault(key, []).append(name)
                elif folder == "purchase-orders":
                    po_lines.setdefault((key[0], int(key[1])), []).append(name)
    for key, files in picked.items():
        if len(files) > 1:
            problems.append(f"line {key} is on {len(files)} pick lists: {files}")
    for key, files in po_lines.items():
        if len(files) > 1:
            problems.append(f"line {key} is on {len(files)} purchase orders: {files}")
    despatched = db.execute("SELECT COUNT(*) FROM order_line WHERE stage = 'despatched'").fetchone()[0]
    if despatched != len(picked):
        problems.append(f"{despatched} lines despatched in the database but {len(picked)} on pick lists")
    shipped = db.execute("SELECT COUNT(*) FROM order_line l JOIN purchase_order p ON p.po_ref = l.po_ref "
                         "WHERE l.stage = 'drop-ship' AND p.outbox_file_id IS NOT NULL").fetchone()[0]
    if shipped != len(po_lines):
        problems.append(f"{shipped} drop-ship lines on written POs in the database but {len(po_lines)} in PO files")

    # 4. Stock: never negative, never over-allocated, every unit accounted for.
    received = dict(db.execute("SELECT sku, SUM(quantity) FROM receipt GROUP BY sku"))
    out = dict(db.execute("SELECT sku, SUM(quantity) FROM order_line WHERE stage = 'despatched' GROUP BY sku"))
    for sku, on_hand, allocated in db.execute("SELECT sku, on_hand, allocated FROM stock"):
        if on_hand < 0 or allocated < 0 or allocated > on_hand:
            problems.append(f"stock {sku}: on_hand {on_hand}, allocated {allocated}")
        if on_hand != received.get(sku, 0) - out.get(sku, 0):
            problems.append(f"stock {sku}: on_hand {on_hand} but received {received.get(sku, 0)} - despatched {out.get(sku, 0)}")
    allocated_lines = db.execute("SELECT COALESCE(SUM(allocated), 0) FROM order_line").fetchone()[0]
    allocated_stock = db.execute("SELECT COALESCE(SUM(allocated), 0) FROM stock").fetchone()[0]
    if allocated_lines != allocated_stock:
        problems.append(f"allocated in lines {allocated_lines} != allocated in stock {allocated_stock}")
    db.close()
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/orderflow")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--files", type=int, default=0, help="files to drop (default: 4 per kill, at least 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--large", type=int, default=0,
                        help="orders in every 7th orders file (default: 2-8 like the rest); large files import in several commits")
    parser.add_argument("--keep", action="store_true", help="keep the scratch home")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    rng = random.Random(args.seed)
    home = tempfile.mkdtemp(prefix="orderflow-crash-")
    subprocess.run([binary, "init", "--home", home], check=True, capture_output=True)
    with open(os.path.join(home, "orderflow.yaml"), "a") as f:
        f.write("inbox:\n  poll_interval: 100ms\n  settle: 1s\n")
    with open(os.path.join(home, "orderflow.yaml")) as f:
        config = f.read().replace("    every: 2s", "    every: 1s")
    write_file(os.path.join(home, "orderflow.yaml"), config)
    write_file(os.path.join(home, "inbox/customers/c.csv"),
               "customer_ref,name,terms,credit_limit,balance,on_stop,email,address1,address2,city,postcode,country\n"
               + "".join(f"C{i},Customer {i},ACCOUNT,99999999.00,0,N,,{i} Road,,Town,AB1,GB\n" for i in range(1, 6)))
    write_file(os.path.join(home, "inbox/suppliers/s.csv"), "supplier_ref,name,email,po_format\nSUPA,A,a@x,csv\nSUPX,X,x@x,xml\n")
    write_file(os.path.join(home, "inbox/products/p.csv"),
               "sku,description,category,unit_price,drop_ship,supplier_ref,supplier_cost,warehouse,bin_location\n"
               + "".join(f"{s},Item {s},General,1.00,N,,,MAIN,B-{s}\n" for s in SKUS)
               + "DROP1,Drop one,General,1.00,Y,SUPA,0.50,,\nDROP2,Drop two,General,1.00,Y,SUPX,0.50,,\n")
    files = args.files or max(20, args.kills * 4)
    dropper = Dropper(home, files, rng, args.large)
    dropper.dropped += [("customers", "c.csv"), ("suppliers", "s.csv"), ("products", "p.csv")]
    dropper.start()
    kills = 0
    while kills < args.kills:
        daemon = start(binary, home)
        if args.large and kills % 2 == 1:
            # Every other kill waits for a large file's import to be under way, then lands inside it.
            wait_for_large_import(home, timeout=10)
            time.sleep(rng.uniform(0.3, 1.5))
        else:
            time.sleep(rng.uniform(0.05, 1.2))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        kills += 1
    dropper.join()
    code = settle_and_stop(binary, home)
    problems = check(home, dropper)
    if code != 0:
        problems.append(f"the final daemon exited {code} after SIGTERM (expected 0)")
    print(f"crash test: {kills} kills, {len(dropper.dropped)} files, {len(dropper.expected_orders)} orders; "
          f"{'every invariant held' if not problems else f'{len(problems)} invariant(s) broken'} (home {home})")
    for p in problems[:50]:
        print("  " + p)
    if not problems and not args.keep:
        subprocess.run(["rm", "-rf", home])
    print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
