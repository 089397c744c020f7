import GRDB
import OrderAllocation
import OrderModel

/// Step: allocate stock to new and back-ordered lines: priority first, then oldest order first.
///
/// Incremental by default: besides new lines it re-examines only back orders whose stock gained
/// (a receipt, a count, a cancellation, a short pick) or whose order changed (released, a new
/// policy), plus orders under `part-after:N`, whose policy turns with time. Nothing else can have
/// become allocatable, so the outcome equals a full re-run (`allocation_mode: full`), which the
/// tests check on random workloads.
public struct AllocateStep: CycleStep {
    public let name = "allocate"
    /// Roll everything back and only report what would happen (`orderflow allocate --dry-run`).
    public var dryRun = false
    public init(dryRun: Bool = false) { self.dryRun = dryRun }

    /// One line's outcome, for the preview.
    public struct Preview: Sendable, Codable, Hashable {
        public var orderRef: String
        public var lineNo: Int
        public var sku: String
        public var quantity: Int64
        public var from: String
        public var outcome: String
        enum CodingKeys: String, CodingKey { case orderRef = "order_ref", lineNo = "line_no", sku, quantity, from, outcome }
    }

    public func run(_ context: CycleContext) throws -> StepReport {
        let (report, _) = try allocate(context)
        return report
    }

    /// Allocates (or previews); returns the counts and, for a dry run, each line's outcome.
    public func allocate(_ context: CycleContext) throws -> (StepReport, [Preview]) {
        try context.db.write { db in
            var result: (StepReport, [Preview]) = (StepReport(step: name, ["picked": 0, "back-ordered": 0]), [])
            try db.inSavepoint {
                result = try allocate(db, context)
                return dryRun ? .rollback : .commit
            }
            return result
        }
    }

    func allocate(_ db: Database, _ context: CycleContext) throws -> (StepReport, [Preview]) {
        let config = context.engine.config
        let full = config.allocationMode == "full"
        let policySQL = "COALESCE(o.ship_policy, c.ship_policy, ?)"
        let defaultPolicy = config.shipPolicy.description
        // Orders whose policy turns with time are looked at every cycle — but only if there are any.
        let timed: Bool
        if case .partAfter = config.shipPolicy { timed = true } else {
            timed = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM customer WHERE ship_policy LIKE 'part-after:%')
                    OR EXISTS (SELECT 1 FROM sales_order WHERE ship_policy IS NOT NULL AND ship_policy LIKE 'part-after:%')
                """) ?? false
        }
        // The orders to look at: every order with new lines; back orders whose stock gained, whose order
        // changed, or whose policy turns with time (all back orders in full mode).
        let rows = try Row.fetchAll(db, sql: """
            WITH candidates AS (
                SELECT l.order_id FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN product p ON p.sku = l.sku
                WHERE l.stage = 'new' AND o.credit_state = 'passed' AND p.drop_ship = 0
                UNION
                SELECT l.order_id FROM stock s CROSS JOIN order_line l ON l.stage = 'back-order' AND l.sku = s.sku AND l.warehouse = s.warehouse
                WHERE s.gained = 1
                UNION
                SELECT id FROM sales_order WHERE changed = 1
                \(full ? "UNION SELECT order_id FROM order_line WHERE stage = 'back-order'" : "")
                \(timed && !full ? """
                UNION
                SELECT l.order_id FROM order_line l JOIN sales_order o ON o.id = l.order_id LEFT JOIN customer c ON c.customer_ref = o.customer_ref
                WHERE l.stage = 'back-order' AND \(policySQL) LIKE 'part-after:%'
                """ : "")
            )
            SELECT l.id, l.order_id, l.line_no, l.part, l.sku, COALESCE(l.warehouse, p.warehouse) AS warehouse, l.quantity, l.stage,
                   o.order_ref, o.priority, o.order_date, o.back_order_since, \(policySQL) AS policy
            FROM candidates x CROSS JOIN sales_order o ON o.id = x.order_id
            CROSS JOIN order_line l ON l.order_id = o.id
            JOIN product p ON p.sku = l.sku
            LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE ((l.stage = 'new' AND o.credit_state = 'passed') OR l.stage = 'back-order') AND p.drop_ship = 0
            ORDER BY o.priority DESC, o.order_date, o.id, l.line_no, l.part
            """, arguments: timed && !full ? [defaultPolicy, defaultPolicy] : [defaultPolicy])
        var available: [Allocator.StockKey: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT sku, warehouse, on_hand - allocated AS free FROM stock WHERE on_hand > allocated") {
            available[Allocator.StockKey(sku: row["sku"], warehouse: row["warehouse"])] = row["free"]
        }
        let today = context.now.day
        var orders: [Allocator.OrderDemand] = []
        for row in rows {
            let demand = Allocator.Demand(lineID: row["id"], stock: Allocator.StockKey(sku: row["sku"], warehouse: row["warehouse"]),
                                          quantity: row["quantity"])
            let orderID: Int64 = row["order_id"]
            if let last = orders.last, last.orderID == orderID {
                orders[orders.count - 1].lines.append(demand)
            } else {
                let since = (row["back_order_since"] as String?).flatMap(Timestamp.init(iso8601:))?.day
                let policy = (ShipPolicy(parsing: row["policy"]) ?? .part).effective(backOrderSince: since, today: today)
                orders.append(Allocator.OrderDemand(orderID: orderID, policy: policy, lines: [demand]))
            }
        }
        let plan = Allocator().allocate(orders, available: available, splitLines: config.splitLines)
        let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "rule:allocate")
        var cursors: [Allocator.StockKey: LotCursor] = [:]
        let nowText = context.now.description
        /// Allocates `quantity` to a line from its lots and moves it to picking: one update, one history row.
        func pick(_ lineID: Int64, orderID: Int64, from: Stage, sku: String, warehouse: String, quantity: Int64, note: String) throws {
            let key = Allocator.StockKey(sku: sku, warehouse: warehouse)
            let cursor = try cursors[key] ?? LotCursor(db, sku: sku, warehouse: warehouse)
            cursors[key] = cursor
            let sources = try cursor.take(quantity, lineID: lineID, db)
            let reason = "allocated \(quantity)\(note) from \(warehouse) (\(sources.joined(separator: ", ")))"
            try db.cachedStatement(sql: """
                UPDATE order_line SET stage = 'picking', stage_since = ?, reason_code = NULL, stage_reason = ?,
                    allocated = allocated + ?, warehouse = ? WHERE id = ?
                """).execute(arguments: [nowText, reason, quantity, warehouse, lineID])
            try db.cachedStatement(sql: """
                INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
                VALUES (?, ?, ?, 'picking', ?, ?, ?, ?)
                """).execute(arguments: [orderID, lineID, from.rawValue, reason, mover.actor, nowText, context.cycleID])
        }
        var picked = 0, backOrdered = 0
        var waitingSince: Set<Int64> = []
        var preview: [Preview] = []
        for (row, outcome) in zip(rows, plan.outcomes) {
            let lineID: Int64 = row["id"], orderID: Int64 = row["order_id"]
            let from = Stage(rawValue: row["stage"])
            let sku: String = row["sku"], warehouse: String = row["warehouse"], quantity: Int64 = row["quantity"]
            switch outcome {
            case .allocated:
                picked += 1
                try pick(lineID, orderID: orderID, from: from, sku: sku, warehouse: warehouse, quantity: quantity, note: "")
                if dryRun { preview.append(Preview(orderRef: row["order_ref"], lineNo: row["line_no"], sku: sku, quantity: quantity, from: from.rawValue, outcome: "picking")) }
            case .partial(let now):
                picked += 1
                let rest = quantity - now
                let part = (try Int.fetchOne(db, sql: "SELECT MAX(part) FROM order_line WHERE order_id = ? AND line_no = ?",
                                             arguments: [orderID, row["line_no"] as Int]) ?? 0) + 1
                try db.execute(sql: "UPDATE order_line SET quantity = ? WHERE id = ?", arguments: [now, lineID])
                try db.execute(sql: """
                    INSERT INTO order_line (order_id, line_no, part, sku, quantity, unit_price, stage, stage_since, reason_code, stage_reason,
                                            warehouse, source_line, custom)
                    SELECT order_id, line_no, ?, sku, ?, unit_price, 'back-order', ?, 'insufficient-stock', ?, ?, source_line, custom
                    FROM order_line WHERE id = ?
                    """, arguments: [part, rest, context.now.description, "split: \(rest) of \(quantity) wait for stock in \(warehouse)", warehouse, lineID])
                try mover.recordSplit(lineID: db.lastInsertedRowID, orderID: orderID, from: from,
                                      reason: "split from line \(row["line_no"] as Int): \(now) allocated now, \(rest) wait for stock")
                try pick(lineID, orderID: orderID, from: from, sku: sku, warehouse: warehouse, quantity: now, note: " of \(quantity); the rest waits,")
                waitingSince.insert(orderID)
                if dryRun { preview.append(Preview(orderRef: row["order_ref"], lineNo: row["line_no"], sku: sku, quantity: quantity, from: from.rawValue, outcome: "picking \(now), back-order \(rest)")) }
            case .short(let free):
                if dryRun && from == .backOrder { preview.append(Preview(orderRef: row["order_ref"], lineNo: row["line_no"], sku: sku, quantity: quantity, from: from.rawValue, outcome: "back-order")) }
                guard from == .new else { continue }
                backOrdered += 1
                let reason = free >= quantity ? "waits for the rest of its order (ship policy complete)" : "needs \(quantity), \(free) available in \(warehouse)"
                try db.cachedStatement(sql: """
                    UPDATE order_line SET stage = 'back-order', stage_since = ?, reason_code = 'insufficient-stock', stage_reason = ?,
                        warehouse = ? WHERE id = ?
                    """).execute(arguments: [nowText, reason, warehouse, lineID])
                try db.cachedStatement(sql: """
                    INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
                    VALUES (?, ?, 'new', 'back-order', ?, ?, ?, ?)
                    """).execute(arguments: [orderID, lineID, reason, mover.actor, nowText, context.cycleID])
                waitingSince.insert(orderID)
                try ExceptionEntry(kind: "back-order", orderRef: row["order_ref"], lineNo: row["line_no"], sku: sku, reason: reason)
                    .insert(db, cycleID: context.cycleID)
                if dryRun { preview.append(Preview(orderRef: row["order_ref"], lineNo: row["line_no"], sku: sku, quantity: quantity, from: from.rawValue, outcome: "back-order")) }
            }
        }
        for cursor in cursors.values { try cursor.flush(db) }
        let stockUpdate = try db.cachedStatement(sql: "UPDATE stock SET allocated = allocated + ? WHERE sku = ? AND warehouse = ?")
        for (key, quantity) in plan.allocatedBy { try stockUpdate.execute(arguments: [quantity, key.sku, key.warehouse]) }
        let since = try db.cachedStatement(sql: "UPDATE sales_order SET back_order_since = ? WHERE id = ? AND back_order_since IS NULL")
        for orderID in waitingSince { try since.execute(arguments: [nowText, orderID]) }
        try db.execute(sql: "UPDATE stock SET gained = 0 WHERE gained = 1")
        try db.execute(sql: "UPDATE sales_order SET changed = 0 WHERE changed = 1")
        return (StepReport(step: name, ["picked": picked, "back-ordered": backOrdered, "examined": rows.count]), preview)
    }
}
