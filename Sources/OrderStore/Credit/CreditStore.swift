import GRDB
import OrderModel

/// The credit check's reads and writes: the orders waiting for it, their customers' accounts and open
/// exposure, and the outcomes, written set-based.
///
/// The reads that sum amounts take an `AmountSum` and report SQLite's integer overflow as
/// `AmountSum.Overflow`: the check runs once with `native` sums and, only after an overflow, again
/// with `split` ones, in a new transaction.
extension StoreTransaction {
    /// The orders to check, oldest first, each with its value, handed to `body` one by one as read.
    ///
    /// Those with new lines, the held orders of customers whose credit position changed (a held order's
    /// outcome depends on nothing else) and the orders held for want of an exchange rate (looked at again
    /// every cycle: orderflow.yaml may give one now), all found through indexes — the last through the v19
    /// partial index — so the cost follows the orders waiting, not the size of the order book. Orders that
    /// passed, that a person holds, or whose card problem is a fact of the order (it cannot clear by itself:
    /// it waits for a release) are left out.
    package func forEachCreditCandidate(sums: AmountSum, _ body: (CreditCandidate) throws -> Void) throws {
        try AmountSum.detectingOverflow {
            let query = try db.makeStatement(sql: """
                SELECT o.id, o.order_ref, o.customer_ref, o.order_date, o.payment_method, o.card_status, o.card_last4,
                       o.card_expiry, o.credit_override, o.credit_state, o.currency, x.*,
                       \(sums.subquerySQL("ch.value", from: "FROM order_charge ch WHERE ch.order_id = o.id", as: "charges"))
                FROM (
                    SELECT l.order_id,
                           MAX(CASE WHEN l.stage = \(Stage.heldForCredit.sql) THEN l.reason_code END) AS held_code,
                           \(sums.sql("CASE WHEN l.stage <> \(Stage.cancelled.sql) THEN line_value(l.quantity, COALESCE(l.unit_price, p.unit_price, 0)) END", as: "value")),
                           MAX(l.stage IN (\(Stage.new.sql), \(Stage.heldForCredit.sql))) AS open,
                           MAX(l.stage = \(Stage.new.sql)) AS has_new,
                           MAX(l.stage = \(Stage.heldForCredit.sql) AND l.reason_code LIKE 'card-%') AS card_held
                    FROM order_line l LEFT JOIN product p INDEXED BY product_price ON p.sku = l.sku
                    WHERE l.order_id IN (
                        SELECT order_id FROM order_line WHERE stage = \(Stage.new.sql)
                        UNION
                        SELECT h.id FROM customer c CROSS JOIN sales_order h ON h.customer_ref = c.customer_ref
                        WHERE c.credit_changed = 1 AND h.credit_state = \(CreditState.held.sql)
                        UNION
                        SELECT order_id FROM order_line INDEXED BY order_line_currency_held
                        WHERE stage = \(Stage.heldForCredit.sql) AND reason_code = 'currency-mismatch')
                    GROUP BY l.order_id
                ) x
                CROSS JOIN sales_order o ON o.id = x.order_id
                WHERE o.credit_state <> \(CreditState.passed.sql) AND o.manual_hold = 0 AND x.open
                  AND NOT (o.payment_method = 'CARD' AND NOT x.has_new AND x.card_held)
                ORDER BY o.order_date, o.id
                """)
            // Read straight into values (no row copies), by column position resolved once.
            let c = ColumnIndex(query)
            let (id, orderRef, customerRef, orderDate, paymentMethod, cardStatus, cardLast4, cardExpiry, override, state, heldCode) =
                (c.id, c.order_ref, c.customer_ref, c.order_date, c.payment_method, c.card_status, c.card_last4, c.card_expiry,
                 c.credit_override, c.credit_state, c.held_code)
            let currency = c.currency
            let cursor = try Row.fetchCursor(query)
            while let row = try cursor.next() {
                try body(CreditCandidate(
                    orderID: row[id], orderRef: row[orderRef], customerRef: row[customerRef], orderDate: row[orderDate],
                    paymentMethod: row[paymentMethod], cardStatus: row[cardStatus], cardLast4: row[cardLast4], cardExpiry: row[cardExpiry],
                    value: sums.total(row, c, "value", "charges"), overridden: row[override], creditState: CreditState(stored: row[state]),
                    currency: row[currency], heldCode: row[heldCode]))
            }
        }
    }

    /// The accounts of the customers `refs` (those the store knows), by customer ref.
    public func creditAccounts(of refs: [String]) throws -> [String: CreditAccount] {
        var accounts: [String: CreditAccount] = [:]
        for chunk in Self.chunks(of: refs) {
            for row in try Row.fetchAll(db, sql: """
                SELECT customer_ref, terms, credit_limit, balance, on_stop, currency FROM customer
                WHERE customer_ref IN (\(databaseQuestionMarks(count: chunk.count)))
                """, arguments: StatementArguments(chunk)) {
                accounts[row[0]] = CreditAccount(terms: row[1], creditLimit: Money(minorUnits: row[2]), balance: Money(minorUnits: row[3]),
                                                 onStop: row[4], currency: row[5])
            }
        }
        return accounts
    }

    /// The open exposure of the customers `refs`: per customer and currency, the value of their passed
    /// orders' open stock lines, then of those orders' charges (500 customers at a time, in that order).
    ///
    /// A line is open until despatched, cancelled or sent to its supplier as a drop-ship PO; an order's
    /// non-stock lines count while any of its stock lines is open.
    package func openCreditExposure(of refs: [String], sums: AmountSum) throws -> [CreditExposure] {
        try AmountSum.detectingOverflow {
            var parts: [CreditExposure] = []
            for chunk in Self.chunks(of: refs) {
                let marks = databaseQuestionMarks(count: chunk.count)
                let openWhere = """
                    WHERE o.customer_ref IN (\(marks)) AND o.credit_state = \(CreditState.passed.sql)
                      AND l.stage NOT IN (\(Stage.despatched.sql), \(Stage.cancelled.sql))
                      AND (po.po_ref IS NULL OR po.outbox_file_id IS NULL)
                    """
                let exposure = try db.makeStatement(sql: """
                    SELECT o.customer_ref, o.currency, \(sums.sql("line_value(l.quantity, COALESCE(l.unit_price, p.unit_price, 0))", as: "value"))
                    FROM sales_order o
                    JOIN order_line l ON l.order_id = o.id
                    LEFT JOIN product p INDEXED BY product_price ON p.sku = l.sku
                    LEFT JOIN purchase_order po ON po.po_ref = l.po_ref
                    \(openWhere)
                    GROUP BY o.customer_ref, o.currency
                    """)
                let charges = try db.makeStatement(sql: """
                    SELECT o.customer_ref, o.currency, \(sums.sql("ch.value", as: "value"))
                    FROM sales_order o JOIN order_charge ch ON ch.order_id = o.id
                    WHERE o.id IN (SELECT l.order_id FROM sales_order o JOIN order_line l ON l.order_id = o.id
                                   LEFT JOIN purchase_order po ON po.po_ref = l.po_ref \(openWhere))
                    GROUP BY o.customer_ref, o.currency
                    """)
                let c = ColumnIndex(exposure)
                for row in try Row.fetchAll(exposure, arguments: StatementArguments(chunk))
                    + Row.fetchAll(charges, arguments: StatementArguments(chunk)) {
                    parts.append(CreditExposure(customerRef: row[0], currency: row[1], value: sums.read(row, c, "value")))
                }
            }
            return parts
        }
    }

    /// Writes the credit check's outcomes: the lines that move and their history, the orders newly held and
    /// their exceptions, the orders `passed`; then every customer's credit change counts as seen.
    ///
    /// The outcomes are staged in a temporary table and written set-based (a few statements, not four per
    /// order); the history rows follow the outcomes' order, each order's lines by line number and part.
    public func recordCreditOutcomes(_ outcomes: [CreditOutcome], passed: [Int64], at: Timestamp, cycleID: Int64) throws {
        guard !outcomes.isEmpty || !passed.isEmpty else { return try acknowledgeCreditChanges() }
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS credit_move (
                seq INTEGER PRIMARY KEY, order_id INTEGER NOT NULL UNIQUE, order_ref TEXT NOT NULL, from_new INTEGER NOT NULL,
                from_held INTEGER NOT NULL, to_stage TEXT NOT NULL, code TEXT, reason TEXT NOT NULL, newly_held INTEGER NOT NULL);
            DELETE FROM credit_move;
            """)
        let stage = try BulkStatement(db, sql: """
            INSERT INTO credit_move (order_id, order_ref, from_new, from_held, to_stage, code, reason, newly_held)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for m in outcomes {
            stage.bind(m.orderID, at: 1); stage.bind(m.orderRef, at: 2); stage.bind(m.fromNew, at: 3); stage.bind(m.fromHeld, at: 4)
            stage.bind(m.to.rawValue, at: 5); stage.bind(m.code, at: 6); stage.bind(m.reason, at: 7); stage.bind(m.newlyHeld, at: 8)
            try stage.execute()
        }
        // The lines that move: each staged order's lines in the stages its outcome takes from.
        let moving = """
            credit_move m CROSS JOIN order_line l ON l.order_id = m.order_id
            WHERE (l.stage = \(Stage.new.sql) AND m.from_new) OR (l.stage = \(Stage.heldForCredit.sql) AND m.from_held)
            """
        try db.execute(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            SELECT l.order_id, l.id, l.stage, m.to_stage, m.reason, '\(Actor.rule("credit-check"))', ?, ? FROM \(moving)
            ORDER BY m.seq, l.line_no, l.part
            """, arguments: [at.description, cycleID])
        try db.execute(sql: """
            UPDATE order_line SET (stage, stage_since, reason_code, stage_reason) = (
                SELECT m.to_stage, ?, m.code, m.reason FROM credit_move m WHERE m.order_id = order_line.order_id)
            WHERE id IN (SELECT l.id FROM \(moving))
            """, arguments: [at.description])
        try db.execute(sql: "UPDATE sales_order SET credit_state = \(CreditState.held.sql) WHERE id IN (SELECT order_id FROM credit_move WHERE newly_held)")
        try db.execute(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, reason, source_file, source_line)
            SELECT ?, \(Stage.heldForCredit.sql), m.order_ref, m.reason, f.name, o.source_line
            FROM credit_move m JOIN sales_order o ON o.id = m.order_id JOIN source_file f ON f.id = o.source_file_id
            WHERE m.newly_held ORDER BY m.seq
            """, arguments: [cycleID])
        try db.execute(sql: "DELETE FROM credit_move")
        for chunk in Self.chunks(of: passed) {
            try db.execute(sql: "UPDATE sales_order SET credit_state = \(CreditState.passed.sql) WHERE id IN (\(databaseQuestionMarks(count: chunk.count)))",
                           arguments: StatementArguments(chunk))
        }
        try acknowledgeCreditChanges()
    }

    /// Every customer's change of credit position has been looked at: their held orders are not re-checked
    /// again until the position changes anew.
    public func acknowledgeCreditChanges() throws {
        try db.execute(sql: "UPDATE customer SET credit_changed = 0 WHERE credit_changed = 1")
    }

    /// `values` in runs of at most 500, below SQLite's limit of bound parameters.
    private static func chunks<T>(of values: [T]) -> [[T]] {
        stride(from: 0, to: values.count, by: 500).map { Array(values[$0..<min($0 + 500, values.count)]) }
    }
}
