import GRDB
import OrderModel
import OrderStore
import OrderRules

/// Step 2: the credit check, oldest order first, for new orders and the orders it holds.
///
/// Candidates are found through a partial index on orders that have not passed, so the
/// cost follows the orders waiting for the check, not the size of the order book.
public struct CreditCheckStep: CycleStep {
    public let name = "credit-check"
    public init() {}

    /// A candidate order as read: what the check decides on, and what its outcome is written with.
    struct Checked {
        var candidate: CreditCheck.Candidate
        var orderRef: String
        var wasHeld: Bool
        var heldCode: String?
    }

    public func run(_ context: CycleContext) throws -> StepReport {
        do {
            return try check(context, sums: .native)
        } catch let error as DatabaseError where error.message == "integer overflow" {
            // SQLite's SUM stops rather than wraps: again, summing exactly, so that only the orders whose
            // totals are beyond Int64 are held (as too large to compute) and the others are decided as usual.
            context.logger.warning("credit check: an order value or exposure is beyond what SQLite sums; checking again with exact sums")
        }
        do {
            return try check(context, sums: .split)
        } catch let error as DatabaseError where error.message == "integer overflow" {
            throw EngineError.notPossible("credit check: the order values of a customer add up beyond what the engine can hold (±\(Int64.max) minor units); nothing was changed; check the quantities and prices of the newest orders ('orderflow orders')")
        }
    }

    func check(_ context: CycleContext, sums: AmountSum) throws -> StepReport {
        try context.db.write { db in
            // One pass over the candidates' lines, grouped by order, gives each order's value and line facts.
            let query = try db.makeStatement(sql: """
                SELECT o.id, o.order_ref, o.customer_ref, o.order_date, o.payment_method, o.card_status, o.card_last4,
                       o.card_expiry, o.credit_override, o.credit_state, o.currency, x.*,
                       \(sums.subquerySQL("ch.value", from: "FROM order_charge ch WHERE ch.order_id = o.id", as: "charges"))
                FROM (
                    SELECT l.order_id,
                           MAX(CASE WHEN l.stage = 'held-for-credit' THEN l.reason_code END) AS held_code,
                           \(sums.sql("CASE WHEN l.stage <> 'cancelled' THEN line_value(l.quantity, COALESCE(l.unit_price, p.unit_price, 0)) END", as: "value")),
                           MAX(l.stage IN ('new', 'held-for-credit')) AS open,
                           MAX(l.stage = 'new') AS has_new,
                           MAX(l.stage = 'held-for-credit' AND l.reason_code LIKE 'card-%') AS card_held
                    FROM order_line l LEFT JOIN product p INDEXED BY product_price ON p.sku = l.sku
                    -- The orders to check: those with new lines, and the held orders of customers whose credit
                    -- position changed (a held order's outcome depends on nothing else). Both come from indexes.
                    WHERE l.order_id IN (
                        SELECT order_id FROM order_line WHERE stage = 'new'
                        UNION
                        SELECT h.id FROM customer c CROSS JOIN sales_order h ON h.customer_ref = c.customer_ref
                        WHERE c.credit_changed = 1 AND h.credit_state = 'held'
                        UNION
                        -- Held for want of an exchange rate: looked at again every cycle, since orderflow.yaml may give one now.
                        SELECT order_id FROM order_line INDEXED BY order_line_currency_held
                        WHERE stage = 'held-for-credit' AND reason_code = 'currency-mismatch')
                    GROUP BY l.order_id
                ) x
                CROSS JOIN sales_order o ON o.id = x.order_id
                WHERE o.credit_state <> 'passed' AND o.manual_hold = 0 AND x.open
                  -- A card problem of an order that says it pays by CARD is a fact of the order (its card, its
                  -- month): it cannot clear by itself, so it waits for a person's release instead of a re-check.
                  AND NOT (o.payment_method = 'CARD' AND NOT x.has_new AND x.card_held)
                ORDER BY o.order_date, o.id
                """)
            // Read straight into values (no row copies), by column position resolved once.
            let c = ColumnIndex(query)
            let (id, orderRef, customerRef, orderDate, paymentMethod, cardStatus, cardLast4, cardExpiry, override, state, heldCode) =
                (c.id, c.order_ref, c.customer_ref, c.order_date, c.payment_method, c.card_status, c.card_last4, c.card_expiry,
                 c.credit_override, c.credit_state, c.held_code)
            let currency = c.currency
            var rows: [Checked] = []
            let cursor = try Row.fetchCursor(query)
            while let row = try cursor.next() {
                rows.append(Checked(
                    candidate: CreditCheck.Candidate(
                        orderID: row[id], customerRef: row[customerRef],
                        orderDate: Timestamp(iso8601: row[orderDate]) ?? context.now,
                        paymentMethod: (row[paymentMethod] as String?).flatMap(PaymentMethod.init(rawValue:)),
                        card: PaymentCard(status: PaymentCard.Status(rawValue: row[cardStatus]) ?? .missing, lastFour: row[cardLast4]),
                        cardExpiry: (row[cardExpiry] as String?).flatMap(CardExpiry.init(stored:)),
                        value: sums.total(row, c, "value", "charges"),
                        overridden: row[override],
                        currency: (row[currency] as String?).flatMap(CurrencyCode.init)),
                    orderRef: row[orderRef], wasHeld: (row[state] as String) == "held", heldCode: row[heldCode]))
            }
            guard !rows.isEmpty else {
                try db.execute(sql: "UPDATE customer SET credit_changed = 0 WHERE credit_changed = 1")
                return StepReport(step: name, ["checked": 0, "passed": 0, "held": 0, "released": 0])
            }
            // Customers and their open exposure, for the candidates' customers only.
            let refs = Array(Set(rows.map(\.candidate.customerRef)))
            var customers: [String: CreditCheck.Customer] = [:]
            var open: [String: Money?] = [:]
            for chunk in stride(from: 0, to: refs.count, by: 500).map({ Array(refs[$0..<min($0 + 500, refs.count)]) }) {
                let marks = databaseQuestionMarks(count: chunk.count)
                for row in try Row.fetchAll(db, sql: """
                    SELECT customer_ref, terms, credit_limit, balance, on_stop, currency FROM customer WHERE customer_ref IN (\(marks))
                    """, arguments: StatementArguments(chunk)) {
                    customers[row[0]] = CreditCheck.Customer(
                        terms: PaymentMethod(rawValue: row[1]) ?? .account,
                        creditLimit: Money(minorUnits: row[2]), balance: Money(minorUnits: row[3]), onStop: row[4],
                        currency: (row[5] as String?).flatMap(CurrencyCode.init))
                }
                // A line is open until despatched, cancelled or sent to its supplier as a drop-ship PO.
                let openWhere = """
                    WHERE o.customer_ref IN (\(marks)) AND o.credit_state = 'passed' AND l.stage NOT IN ('despatched', 'cancelled')
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
                // An order's non-stock lines count while any of its stock lines is open.
                let charges = try db.makeStatement(sql: """
                    SELECT o.customer_ref, o.currency, \(sums.sql("ch.value", as: "value"))
                    FROM sales_order o JOIN order_charge ch ON ch.order_id = o.id
                    WHERE o.id IN (SELECT l.order_id FROM sales_order o JOIN order_line l ON l.order_id = o.id
                                   LEFT JOIN purchase_order po ON po.po_ref = l.po_ref \(openWhere))
                    GROUP BY o.customer_ref, o.currency
                    """)
                let ec = ColumnIndex(exposure)
                for row in try Row.fetchAll(exposure, arguments: StatementArguments(chunk))
                    + Row.fetchAll(charges, arguments: StatementArguments(chunk)) {
                    let ref: String = row[0]
                    // Open orders in another currency count in the customer's, at the configured rate; without
                    // one the exposure is unknown and the customer's account orders are held, not passed blindly.
                    var value = sums.read(row, ec, "value")
                    if let stated = (row[1] as String?).flatMap(CurrencyCode.init),
                       let credit = customers[ref]?.currency ?? context.engine.config.currency, let amount = value {
                        value = context.engine.config.rates.convert(amount, from: stated, to: credit)
                    }
                    let before: Money?? = open[ref]
                    switch before {
                    case .none: open[ref] = .some(value)
                    case .some(let sum): open[ref] = .some(sum.flatMap { sum in value.flatMap { try? sum + $0 } })
                    }
                }
            }
            let decisions = CreditCheck().decide(rows.map(\.candidate), customers: customers, openExposure: open, money: context.money,
                                                 rates: context.engine.config.rates)
            // Each order's outcome is staged in a temporary table, then the lines, their history, the orders
            // newly held and their exceptions are written set-based (a few statements, not four per order).
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
            func move(_ id: Int64, _ ref: String, fromNew: Bool, fromHeld: Bool, to: Stage, code: String?, reason: String,
                      newlyHeld: Bool) throws {
                stage.bind(id, at: 1); stage.bind(ref, at: 2); stage.bind(fromNew, at: 3); stage.bind(fromHeld, at: 4)
                stage.bind(to.rawValue, at: 5); stage.bind(code, at: 6); stage.bind(reason, at: 7); stage.bind(newlyHeld, at: 8)
                try stage.execute()
            }
            var passed = 0, held = 0, released = 0
            var passedIDs: [Int64] = []
            for (checked, decision) in zip(rows, decisions) {
                let id = checked.candidate.orderID
                switch decision {
                case .pass:
                    passed += 1
                    passedIDs.append(id)
                    // Only an order with held lines has lines to bring back (a held line always has its code).
                    guard checked.heldCode != nil else { continue }
                    released += 1
                    let why = checked.candidate.overridden ? "released by hand: credit check overridden" : "credit check passed"
                    try move(id, checked.orderRef, fromNew: false, fromHeld: true, to: .new, code: nil, reason: why, newlyHeld: false)
                case .hold(let hold):
                    held += 1
                    // Held again for the same reason: only its new lines join the held ones, nothing is reported again.
                    let again = checked.wasHeld && checked.heldCode == hold.code
                    try move(id, checked.orderRef, fromNew: true, fromHeld: !again, to: .heldForCredit, code: hold.code,
                             reason: "\(hold.code): \(hold.reason)", newlyHeld: !again)
                }
            }
            // The lines that move: each staged order's lines in the stages its outcome takes from.
            let moving = """
                credit_move m CROSS JOIN order_line l ON l.order_id = m.order_id
                WHERE (l.stage = 'new' AND m.from_new) OR (l.stage = 'held-for-credit' AND m.from_held)
                """
            try db.execute(sql: """
                INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
                SELECT l.order_id, l.id, l.stage, m.to_stage, m.reason, 'rule:credit-check', ?, ? FROM \(moving)
                ORDER BY m.seq, l.line_no, l.part
                """, arguments: [context.now.description, context.cycleID])
            try db.execute(sql: """
                UPDATE order_line SET (stage, stage_since, reason_code, stage_reason) = (
                    SELECT m.to_stage, ?, m.code, m.reason FROM credit_move m WHERE m.order_id = order_line.order_id)
                WHERE id IN (SELECT l.id FROM \(moving))
                """, arguments: [context.now.description])
            try db.execute(sql: "UPDATE sales_order SET credit_state = 'held' WHERE id IN (SELECT order_id FROM credit_move WHERE newly_held)")
            try db.execute(sql: """
                INSERT INTO exception (cycle_id, kind, order_ref, reason, source_file, source_line)
                SELECT ?, 'held-for-credit', m.order_ref, m.reason, f.name, o.source_line
                FROM credit_move m JOIN sales_order o ON o.id = m.order_id JOIN source_file f ON f.id = o.source_file_id
                WHERE m.newly_held ORDER BY m.seq
                """, arguments: [context.cycleID])
            try db.execute(sql: "DELETE FROM credit_move")
            for chunk in stride(from: 0, to: passedIDs.count, by: 500).map({ Array(passedIDs[$0..<min($0 + 500, passedIDs.count)]) }) {
                try db.execute(sql: "UPDATE sales_order SET credit_state = 'passed' WHERE id IN (\(databaseQuestionMarks(count: chunk.count)))",
                               arguments: StatementArguments(chunk))
            }
            try db.execute(sql: "UPDATE customer SET credit_changed = 0 WHERE credit_changed = 1")
            return StepReport(step: name, ["checked": rows.count, "passed": passed, "held": held, "released": released])
        }
    }
}
