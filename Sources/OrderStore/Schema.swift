/// The SQL schema, one string per migration; a migration, once shipped, never changes.
enum Schema {
    /// In the order they run.
    static let migrations: [(String, String)] = [
        ("v1-core", v1), ("v2-custom-fields", v2), ("v3-rules-and-jobs", v3), ("v4-inbox-notices", v4),
        ("v5-stock-lifecycle", v5), ("v6-indexes", v6), ("v7-credit-changes", v7), ("v8-queue-key", v8),
        ("v9-indexes", v9), ("v10-drop-ship-products", v10),
        ("v11-stage-index-orders", v11), ("v12-exception-reports", v12),
        ("v13-engine-health", v13), ("v14-import-in-progress", v14),
        ("v16-currency", v16), ("v17-decimal-quantities", v17), ("v18-non-stock-lines", v18),
        ("v19-currency-held-index", v19), ("v20-po-mapping-names", v20),
        ("v21-outbox-sequence-numbers", v21), ("v22-picking-moves-by-time", v22),
        ("v23-allocations-by-lot", v23), ("v24-back-order-quantities-in-the-queue", v24),
        ("v25-stage-index-carries-value", v25),
    ]

    /// A line's place in the allocation queue as one sortable text: priority (higher first), order date,
    /// import sequence, line number, part. SQL form, for migrations and split lines.
    static let queueKeySQL = "printf('%07d', 1000000 - o.priority) || o.order_date || printf('%012d', o.id) || printf('%06d', l.line_no) || printf('%03d', l.part)"

    static let v1 = """
    CREATE TABLE cycle (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        summary TEXT
    );

    CREATE TABLE source_file (
        id INTEGER PRIMARY KEY,
        feed TEXT NOT NULL,
        mapping TEXT,
        name TEXT NOT NULL,
        claim_name TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        size INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'duplicate', 'failed')),
        reason TEXT,
        records INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        processed_at TEXT NOT NULL,
        cycle_id INTEGER REFERENCES cycle(id)
    );
    CREATE UNIQUE INDEX source_file_imported_hash ON source_file(content_hash) WHERE outcome = 'imported';

    CREATE TABLE customer (
        customer_ref TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        terms TEXT NOT NULL CHECK (terms IN ('ACCOUNT', 'CARD', 'PROFORMA')),
        credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
        balance INTEGER NOT NULL DEFAULT 0,
        on_stop INTEGER NOT NULL DEFAULT 0 CHECK (on_stop IN (0, 1)),
        email TEXT NOT NULL DEFAULT '',
        address1 TEXT NOT NULL DEFAULT '',
        address2 TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        postcode TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    );

    CREATE TABLE supplier (
        supplier_ref TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        po_format TEXT NOT NULL DEFAULT 'csv' CHECK (po_format IN ('csv', 'xml')),
        updated_at TEXT NOT NULL
    );

    CREATE TABLE product (
        sku TEXT PRIMARY KEY NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL DEFAULT '',
        unit_price INTEGER NOT NULL DEFAULT 0 CHECK (unit_price >= 0),
        drop_ship INTEGER NOT NULL DEFAULT 0 CHECK (drop_ship IN (0, 1)),
        supplier_ref TEXT,
        supplier_cost INTEGER CHECK (supplier_cost >= 0),
        warehouse TEXT NOT NULL,
        bin_location TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        CHECK (drop_ship = 0 OR supplier_ref IS NOT NULL)
    );

    CREATE TABLE stock (
        sku TEXT NOT NULL,
        warehouse TEXT NOT NULL,
        on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
        allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= on_hand),
        PRIMARY KEY (sku, warehouse)
    );
    CREATE INDEX stock_available ON stock(sku, warehouse) WHERE on_hand > allocated;

    CREATE TABLE receipt (
        receipt_ref TEXT NOT NULL,
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        warehouse TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source_file_id INTEGER NOT NULL REFERENCES source_file(id),
        source_line INTEGER NOT NULL,
        PRIMARY KEY (receipt_ref, sku)
    );

    CREATE TABLE sales_order (
        id INTEGER PRIMARY KEY,
        order_ref TEXT NOT NULL UNIQUE,
        order_date TEXT NOT NULL,
        customer_ref TEXT NOT NULL,
        payment_method TEXT CHECK (payment_method IN ('ACCOUNT', 'CARD', 'PROFORMA')),
        card_status TEXT NOT NULL CHECK (card_status IN ('missing', 'invalid', 'valid')),
        card_last4 TEXT CHECK (length(card_last4) <= 4),
        card_expiry TEXT,
        ship_name TEXT NOT NULL DEFAULT '',
        ship_address1 TEXT NOT NULL DEFAULT '',
        ship_address2 TEXT NOT NULL DEFAULT '',
        ship_city TEXT NOT NULL DEFAULT '',
        ship_postcode TEXT NOT NULL DEFAULT '',
        ship_country TEXT NOT NULL DEFAULT '',
        credit_state TEXT NOT NULL DEFAULT 'unchecked' CHECK (credit_state IN ('unchecked', 'passed', 'held')),
        credit_override INTEGER NOT NULL DEFAULT 0 CHECK (credit_override IN (0, 1)),
        manual_hold INTEGER NOT NULL DEFAULT 0 CHECK (manual_hold IN (0, 1)),
        source_file_id INTEGER NOT NULL REFERENCES source_file(id),
        source_line INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE INDEX sales_order_to_check ON sales_order(order_date, id) WHERE credit_state <> 'passed';
    CREATE INDEX sales_order_customer ON sales_order(customer_ref);

    CREATE TABLE order_line (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES sales_order(id),
        line_no INTEGER NOT NULL CHECK (line_no > 0),
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price INTEGER CHECK (unit_price >= 0),
        stage TEXT NOT NULL,
        stage_since TEXT NOT NULL,
        reason_code TEXT,
        stage_reason TEXT,
        warehouse TEXT,
        allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= quantity),
        pick_list_ref TEXT,
        po_ref TEXT,
        source_line INTEGER NOT NULL,
        UNIQUE (order_id, line_no)
    );
    CREATE INDEX order_line_stage ON order_line(stage, sku, warehouse);

    CREATE TABLE stage_move (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES sales_order(id),
        line_id INTEGER REFERENCES order_line(id),
        from_stage TEXT,
        to_stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        cycle_id INTEGER REFERENCES cycle(id)
    );
    CREATE INDEX stage_move_order ON stage_move(order_id, id);

    CREATE TABLE outbox_sequence (
        folder TEXT PRIMARY KEY NOT NULL,
        last INTEGER NOT NULL
    );

    CREATE TABLE outbox_file (
        id INTEGER PRIMARY KEY,
        folder TEXT NOT NULL,
        name TEXT NOT NULL,
        content BLOB NOT NULL,
        rows INTEGER NOT NULL,
        cycle_id INTEGER REFERENCES cycle(id),
        created_at TEXT NOT NULL,
        written_at TEXT,
        UNIQUE (folder, name)
    );
    CREATE INDEX outbox_file_pending ON outbox_file(id) WHERE written_at IS NULL;

    CREATE TABLE purchase_order (
        po_ref TEXT PRIMARY KEY NOT NULL,
        order_id INTEGER NOT NULL REFERENCES sales_order(id),
        supplier_ref TEXT NOT NULL,
        created_at TEXT NOT NULL,
        cycle_id INTEGER REFERENCES cycle(id),
        outbox_file_id INTEGER REFERENCES outbox_file(id)
    );
    CREATE INDEX purchase_order_order ON purchase_order(order_id, supplier_ref);
    CREATE INDEX purchase_order_unwritten ON purchase_order(po_ref) WHERE outbox_file_id IS NULL;

    CREATE TABLE exception (
        id INTEGER PRIMARY KEY,
        cycle_id INTEGER REFERENCES cycle(id),
        kind TEXT NOT NULL,
        order_ref TEXT,
        line_no INTEGER,
        sku TEXT,
        reason TEXT NOT NULL,
        source_file TEXT,
        source_line INTEGER,
        outbox_file_id INTEGER REFERENCES outbox_file(id)
    );
    CREATE INDEX exception_unreported ON exception(id) WHERE outbox_file_id IS NULL;
    """

    /// Custom fields defined by mappings: a JSON object of canonical text values per row.
    static let v2 = """
    ALTER TABLE sales_order ADD COLUMN custom TEXT;
    ALTER TABLE order_line ADD COLUMN custom TEXT;
    ALTER TABLE customer ADD COLUMN custom TEXT;
    ALTER TABLE product ADD COLUMN custom TEXT;
    ALTER TABLE supplier ADD COLUMN custom TEXT;
    ALTER TABLE receipt ADD COLUMN custom TEXT;
    """

    /// Process rules (what they matched, hand overrides, outputs written once) and the job executor's runs.
    static let v3 = """
    CREATE TABLE rule_run (
        id INTEGER PRIMARY KEY,
        cycle_id INTEGER REFERENCES cycle(id),
        rule TEXT NOT NULL,
        matched INTEGER NOT NULL,
        acted INTEGER NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX rule_run_rule ON rule_run(rule, id);

    CREATE TABLE rule_override (
        order_id INTEGER NOT NULL REFERENCES sales_order(id),
        rule TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        PRIMARY KEY (order_id, rule)
    );

    CREATE TABLE rule_output (
        rule TEXT NOT NULL,
        order_id INTEGER NOT NULL REFERENCES sales_order(id),
        line_id INTEGER NOT NULL DEFAULT 0,
        outbox_file_id INTEGER REFERENCES outbox_file(id),
        PRIMARY KEY (rule, order_id, line_id)
    );

    CREATE TABLE job_run (
        id INTEGER PRIMARY KEY,
        job TEXT NOT NULL,
        scheduled_for TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed', 'skipped')),
        trigger TEXT NOT NULL,
        counts TEXT,
        error TEXT,
        cycle_id INTEGER REFERENCES cycle(id)
    );
    CREATE INDEX job_run_job ON job_run(job, id);

    CREATE TABLE job_state (
        job TEXT PRIMARY KEY NOT NULL,
        last_scheduled TEXT NOT NULL
    );
    """

    /// Things in the inbox reported once (a symbolic link, a folder, a file no mapping reads).
    static let v4 = """
    CREATE TABLE inbox_notice (
        path TEXT PRIMARY KEY NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """

    /// Shipment policies, priority, split lines, stock lots (what funded each allocation),
    /// incremental allocation flags and despatch confirmations.
    static let v5 = """
    ALTER TABLE customer ADD COLUMN ship_policy TEXT;
    ALTER TABLE sales_order ADD COLUMN ship_policy TEXT;
    ALTER TABLE sales_order ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sales_order ADD COLUMN back_order_since TEXT;
    ALTER TABLE sales_order ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE stock ADD COLUMN gained INTEGER NOT NULL DEFAULT 0;

    -- order_line gains `part`: a split line keeps its line number and its place in the queue.
    CREATE TABLE order_line_v5 (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES sales_order(id),
        line_no INTEGER NOT NULL CHECK (line_no > 0),
        part INTEGER NOT NULL DEFAULT 0,
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price INTEGER CHECK (unit_price >= 0),
        stage TEXT NOT NULL,
        stage_since TEXT NOT NULL,
        reason_code TEXT,
        stage_reason TEXT,
        warehouse TEXT,
        allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= quantity),
        pick_list_ref TEXT,
        po_ref TEXT,
        source_line INTEGER NOT NULL,
        custom TEXT,
        UNIQUE (order_id, line_no, part)
    );
    INSERT INTO order_line_v5 (id, order_id, line_no, sku, quantity, unit_price, stage, stage_since, reason_code, stage_reason,
                               warehouse, allocated, pick_list_ref, po_ref, source_line, custom)
        SELECT id, order_id, line_no, sku, quantity, unit_price, stage, stage_since, reason_code, stage_reason,
               warehouse, allocated, pick_list_ref, po_ref, source_line, custom FROM order_line;
    DROP INDEX order_line_stage;
    DROP TABLE order_line;
    ALTER TABLE order_line_v5 RENAME TO order_line;
    CREATE INDEX order_line_stage ON order_line(stage, sku, warehouse);
    CREATE INDEX order_line_order ON order_line(order_id, line_no, part);

    CREATE TABLE stock_lot (
        id INTEGER PRIMARY KEY,
        sku TEXT NOT NULL,
        warehouse TEXT NOT NULL,
        source TEXT NOT NULL,
        received_at TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        remaining INTEGER NOT NULL CHECK (remaining >= 0)
    );
    CREATE INDEX stock_lot_open ON stock_lot(sku, warehouse, received_at, id) WHERE remaining > 0;
    INSERT INTO stock_lot (sku, warehouse, source, received_at, quantity, remaining)
        SELECT sku, warehouse, 'opening stock', '1970-01-01T00:00:00Z', on_hand - allocated, on_hand - allocated
        FROM stock WHERE on_hand > allocated;

    CREATE TABLE allocation (
        line_id INTEGER NOT NULL REFERENCES order_line(id),
        lot_id INTEGER NOT NULL REFERENCES stock_lot(id),
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (line_id, lot_id)
    );

    CREATE TABLE despatch (
        pick_list_ref TEXT NOT NULL,
        order_ref TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        quantity INTEGER NOT NULL,
        source_file_id INTEGER REFERENCES source_file(id),
        at TEXT NOT NULL,
        PRIMARY KEY (pick_list_ref, order_ref, line_no)
    );
    """

    /// Indexes found missing by the cycle benchmark's profile.
    static let v6 = """
    CREATE INDEX order_line_po ON order_line(po_ref) WHERE po_ref IS NOT NULL;
    CREATE INDEX order_line_pick_list ON order_line(pick_list_ref) WHERE pick_list_ref IS NOT NULL;
    CREATE INDEX sales_order_changed ON sales_order(id) WHERE changed = 1;
    CREATE INDEX sales_order_policy ON sales_order(ship_policy) WHERE ship_policy IS NOT NULL;
    CREATE INDEX stock_gained ON stock(sku, warehouse) WHERE gained = 1;
    """

    /// Customers whose credit position changed since the last credit check: only their held orders are re-checked.
    static let v7 = """
    ALTER TABLE customer ADD COLUMN credit_changed INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX customer_credit_changed ON customer(customer_ref) WHERE credit_changed = 1;
    """

    /// Each back-order line's place in the queue, indexed per sku and warehouse: allocation reads a gained
    /// sku's back orders oldest first and stops when the stock is gone, whatever the size of the book.
    static let v8 = """
    ALTER TABLE order_line ADD COLUMN queue_key TEXT;
    UPDATE order_line AS l SET queue_key = (SELECT \(queueKeySQL) FROM sales_order o WHERE o.id = l.order_id);
    CREATE INDEX order_line_queue ON order_line(sku, warehouse, queue_key) WHERE stage = 'back-order';
    """

    /// `order_line_order` repeated the unique index on (order_id, line_no, part): every line insert paid for both.
    /// Orders waiting for unknown skus are re-checked every cycle: from their own index, not by reading
    /// every line in Order Vetting. Allocation asks every cycle whether any customer ships other than `part`.
    static let v9 = """
    DROP INDEX order_line_order;
    CREATE INDEX order_line_unknown_sku ON order_line(order_id) WHERE stage = 'order-vetting' AND reason_code = 'unknown-sku';
    CREATE INDEX customer_policy ON customer(ship_policy) WHERE ship_policy IS NOT NULL;
    """

    /// The drop-ship step starts from the drop-ship products, a small part of the catalogue.
    static let v10 = """
    CREATE INDEX product_drop_ship ON product(sku) WHERE drop_ship = 1;
    """

    /// The stage index orders each stage's lines by order, not by sku. Every stage move deletes and
    /// inserts an entry: by order, lines moved together land side by side instead of all over the index
    /// (a move costs half), and "the orders with lines at stage X" (credit check, rule searches) is read
    /// from the index alone, already in order. Back orders by sku have their own index (`order_line_queue`).
    /// `sales_order_to_check` has been read by nothing since the credit check starts from the lines; every
    /// imported order paid for an entry in it, and every passed order for its removal. A line without its
    /// own price is valued at its product's: `product_price` answers that from the index alone (the credit
    /// check names it: without statistics SQLite prefers the unique index).
    static let v11 = """
    DROP INDEX order_line_stage;
    CREATE INDEX order_line_stage ON order_line(stage, order_id);
    DROP INDEX sales_order_to_check;
    CREATE INDEX product_price ON product(sku, unit_price);
    """

    /// An exception report covers the exceptions after the previous report's last one: the report
    /// records its last exception (a watermark) instead of writing its file id onto each of tens of
    /// thousands of exception rows (and keeping a partial index of the unreported ones). Rows reported
    /// before v12 keep their `outbox_file_id`; later rows leave it NULL.
    static let v12 = """
    CREATE TABLE exception_report (
        outbox_file_id INTEGER PRIMARY KEY REFERENCES outbox_file(id),
        last_exception_id INTEGER NOT NULL
    );
    INSERT INTO exception_report (outbox_file_id, last_exception_id)
        SELECT outbox_file_id, MAX(id) FROM exception WHERE outbox_file_id IS NOT NULL GROUP BY outbox_file_id;
    DROP INDEX exception_unreported;
    """

    /// A failed cycle keeps its error; `jobs run NAME` beside a running engine asks it through `job_request`;
    /// runs of a job that found nothing to do are counted, not listed
    /// (a 2-second poll would otherwise add a row every 2 seconds); old runs are pruned by start time.
    static let v13 = """
    ALTER TABLE cycle ADD COLUMN error TEXT;
    CREATE INDEX job_run_started ON job_run(started_at);
    CREATE INDEX job_run_failed ON job_run(id) WHERE outcome = 'failed';
    CREATE TABLE job_idle (
        job TEXT PRIMARY KEY NOT NULL,
        runs INTEGER NOT NULL DEFAULT 0,
        since TEXT NOT NULL,
        last_at TEXT NOT NULL
    );
    CREATE TABLE job_request (
        id INTEGER PRIMARY KEY,
        job TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        answered_at TEXT,
        run_id INTEGER REFERENCES job_run(id) ON DELETE SET NULL,
        error TEXT
    );
    CREATE INDEX job_request_open ON job_request(id) WHERE answered_at IS NULL;
    """

    /// An orders file imports in several short transactions (so an operator's command beside the engine
    /// waits a fraction of a second, not the whole import); until its last one commits, its row here says
    /// that what the file wrote so far is provisional, and is to be removed if the import does not finish.
    static let v14 = """
    CREATE TABLE import_in_progress (
        source_file_id INTEGER PRIMARY KEY REFERENCES source_file(id),
        exceptions_after INTEGER NOT NULL
    );
    """

    /// The currency an order states and the one a customer's credit is kept in (NULL: not stated; the
    /// customer's, and the home's `currency` in orderflow.yaml).
    static let v16 = """
    ALTER TABLE sales_order ADD COLUMN currency TEXT;
    ALTER TABLE customer ADD COLUMN currency TEXT;
    """

    /// Quantities become exact decimals and unit prices finer than the currency (issue 14).
    ///
    /// Every quantity column is now in thousandths (`Quantity`: 12.75 kg is 12750) and every unit price or
    /// cost in ten-thousandths of the minor unit (`UnitPrice`: 0.0425 GBP is 42500); the data already stored
    /// is scaled here, so a whole-unit database reads back exactly as before. Products gain a stock unit,
    /// a quantity precision (0 decimals: whole units, as before) and their own unit conversions; order lines
    /// and receipts keep the quantity and unit as the file wrote them. `unit_checked = 0` marks an order line
    /// imported before its product was known: its unit and precision are checked when the product arrives
    /// (found through `order_line_unchecked`, which holds only those few lines).
    /// `DecimalQuantitiesMigration.check` runs first, so that no price is scaled beyond Int64.
    static let v17 = """
    UPDATE order_line SET quantity = quantity * 1000, allocated = allocated * 1000, unit_price = unit_price * 10000;
    UPDATE receipt SET quantity = quantity * 1000;
    UPDATE stock SET on_hand = on_hand * 1000, allocated = allocated * 1000;
    UPDATE stock_lot SET quantity = quantity * 1000, remaining = remaining * 1000;
    UPDATE allocation SET quantity = quantity * 1000;
    UPDATE despatch SET quantity = quantity * 1000;
    UPDATE product SET unit_price = unit_price * 10000, supplier_cost = supplier_cost * 10000;

    ALTER TABLE product ADD COLUMN stock_unit TEXT NOT NULL DEFAULT 'EA';
    ALTER TABLE product ADD COLUMN quantity_decimals INTEGER NOT NULL DEFAULT 0 CHECK (quantity_decimals BETWEEN 0 AND 3);
    ALTER TABLE product ADD COLUMN units TEXT;
    ALTER TABLE order_line ADD COLUMN quantity_as_written TEXT;
    ALTER TABLE order_line ADD COLUMN unit_as_written TEXT;
    ALTER TABLE order_line ADD COLUMN unit_checked INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX order_line_unchecked ON order_line(order_id) WHERE unit_checked = 0;
    ALTER TABLE receipt ADD COLUMN quantity_as_written TEXT;
    ALTER TABLE receipt ADD COLUMN unit_as_written TEXT;
    """

    /// Non-stock lines (gift wrap, shipping, tips, discounts) live beside the order's lines, not among them:
    /// nothing that allocates, picks, buys or moves stages can reach them, and they need none of a stock
    /// line's state. `quantity` is in thousandths and `unit_price` in ten-thousandths of the minor unit, as on
    /// order lines (v17); `value` is their `LineValue` (minor units, negative for a discount), so that every
    /// sum reads it rather than computing it again. `kind` is `line` for a row of the file
    /// (with its line number), `shipping` or `discount` for an order-level amount (no line number).
    static let v18 = """
    CREATE TABLE order_charge (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES sales_order(id),
        kind TEXT NOT NULL,
        line_no INTEGER,
        sku TEXT,
        quantity INTEGER NOT NULL,
        unit_price INTEGER NOT NULL,
        value INTEGER NOT NULL,
        source_line INTEGER NOT NULL,
        custom TEXT,
        UNIQUE (order_id, line_no)
    );
    """

    /// The credit check looks again, every cycle, at orders held for want of an exchange rate. Found through
    /// the stage index, that read every held-for-credit line (10 ms a cycle at 100,000 lines, whatever was
    /// new); this partial index holds only those lines, so the look costs nothing when there are none.
    static let v19 = """
    CREATE INDEX order_line_currency_held ON order_line(order_id) WHERE stage = 'held-for-credit' AND reason_code = 'currency-mismatch';
    """

    /// A supplier's `po_format` grows into the name of its purchase orders' output mapping (issue 16): `csv` and
    /// `xml` still name today's layouts, any other name an output mapping. SQLite cannot change a CHECK in place,
    /// so the table is rebuilt with the new one: a name of lower-case letters, digits, `-` and `_`, starting with a
    /// letter or digit, at most 64 long (no path, no upper case: the name finds a file). No table refers to
    /// `supplier`, and it has no index but its key.
    static let v20 = """
    CREATE TABLE supplier_v20 (
        supplier_ref TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        po_format TEXT NOT NULL DEFAULT 'csv' CHECK (
            length(po_format) BETWEEN 1 AND 64 AND po_format GLOB '[a-z0-9]*' AND po_format NOT GLOB '*[^a-z0-9_-]*'),
        updated_at TEXT NOT NULL,
        custom TEXT
    );
    INSERT INTO supplier_v20 (supplier_ref, name, email, po_format, updated_at, custom)
        SELECT supplier_ref, name, email, po_format, updated_at, custom FROM supplier;
    DROP TABLE supplier;
    ALTER TABLE supplier_v20 RENAME TO supplier;
    """

    /// A stored document carries the sequence it was numbered in and its number, so the outbox's number mark
    /// can be raised for it whatever its file is called: an output mapping may name a file and a folder of its
    /// own (`purchase-orders/S1/ACME-PO-7.xml`), which the name alone no longer tells.
    static let v21 = """
    ALTER TABLE outbox_file ADD COLUMN sequence TEXT;
    ALTER TABLE outbox_file ADD COLUMN number INTEGER;
    """

    /// The console's throughput chart counts lines released to the warehouse per hour: only moves into
    /// picking are indexed, so the other moves a cycle writes cost nothing more.
    static let v22 = """
    CREATE INDEX stage_move_picking_at ON stage_move(at) WHERE to_stage = 'picking';
    """

    /// The console's stock page shows what each lot funded: allocations are found by lot as well as by line.
    static let v23 = """
    CREATE INDEX allocation_lot ON allocation(lot_id);
    """

    /// The console's stock page sums the back-ordered quantity per sku: with the quantity in the back-order
    /// queue's index, that sum reads the index alone (0.13 s instead of 0.59 s at 138,000 back-ordered
    /// lines), and the queue's order for allocation is unchanged.
    static let v24 = """
    DROP INDEX order_line_queue;
    CREATE INDEX order_line_queue ON order_line(sku, warehouse, queue_key, quantity) WHERE stage = 'back-order';
    """

    /// Health and the Stages board total each stage's lines and value. With the line's sku, quantity and
    /// price in the stage index, that total reads the index alone instead of every line's row (at 300,000
    /// lines 0.37 s became 0.2 s); the index keeps its order (stage, order), so every query that used it
    /// still reads it the same way, and a stage move still deletes and inserts one entry.
    static let v25 = """
    DROP INDEX order_line_stage;
    CREATE INDEX order_line_stage ON order_line(stage, order_id, sku, quantity, unit_price);
    """
}
