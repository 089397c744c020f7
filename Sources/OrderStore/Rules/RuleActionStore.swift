import GRDB
import OrderModel

/// What a process rule writes besides its moves: holds, ship policies, stock given back, exceptions,
/// outputs and its run.
extension StoreTransaction {
    /// Sets whether a person (or a rule acting for one) holds the order: a held order is not credit
    /// checked until released.
    public func setManualHold(_ held: Bool, ofOrder orderID: Int64) throws {
        try db.cachedStatement(sql: "UPDATE sales_order SET manual_hold = ? WHERE id = ?").execute(arguments: [held, orderID])
    }

    /// Gives the order the ship policy `policy` (as written, `part-after:3`), marking it changed for
    /// allocation; returns whether it had another one.
    public func setShipPolicy(_ policy: String, ofOrder orderID: Int64) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE sales_order SET ship_policy = ?, changed = 1 WHERE id = ? AND COALESCE(ship_policy, '') <> ?")
            .execute(arguments: [policy, orderID, policy])
        return db.changesCount > 0
    }

    /// Records an exception a rule raised, for the next exception report.
    public func recordRuleException(kind: String, orderRef: String?, lineNo: Int?, reason: String, cycleID: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, line_no, sku, reason, source_file, source_line)
            VALUES (?, ?, ?, ?, NULL, ?, NULL, NULL)
            """).execute(arguments: [cycleID, kind, orderRef, lineNo, reason])
    }

    /// Whether `rule` has already written the order (line 0) or this line of it to the outbox.
    public func hasRuleOutput(rule: String, orderID: Int64, lineID: Int64) throws -> Bool {
        // A prepared statement: asked once per matching line of a line-scoped rule.
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM rule_output WHERE rule = ? AND order_id = ? AND line_id = ?"),
                          arguments: [rule, orderID, lineID]) ?? false
    }

    /// Records the rows a rule's output file `file` holds, so they are not written again.
    public func recordRuleOutputs(rule: String, _ written: [(orderID: Int64, lineID: Int64)], file: Int64) throws {
        for (orderID, lineID) in written {
            try RuleOutput(rule: rule, orderID: orderID, lineID: lineID, outboxFileID: file).insert(db)
        }
    }

    /// Records what a rule did in this cycle.
    public func recordRuleRun(rule: String, matched: Int, acted: Int, cycleID: Int64, at: Timestamp) throws {
        var run = RuleRun(cycleID: cycleID, rule: rule, matched: matched, acted: acted, at: at.description)
        try run.insert(db)
    }

    /// Gives back all the stock the lines hold: each lot gets back what the line took of it, youngest lot
    /// first, and the line's and its stock's allocated fall (the stock is marked as having gained, for the
    /// back orders waiting for it).
    public func giveBackStock(heldBy lineIDs: [Int64]) throws {
        for lineID in lineIDs {
            guard let line = try Row.fetchOne(db.cachedStatement(sql: "SELECT sku, warehouse, allocated FROM order_line WHERE id = ?"),
                                              arguments: [lineID]) else { continue }
            let allocated: Quantity = line["allocated"]
            var giving = allocated
            guard giving > .zero else { continue }
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT a.lot_id, a.quantity FROM allocation a JOIN stock_lot l ON l.id = a.lot_id
                WHERE a.line_id = ? ORDER BY l.received_at DESC, l.id DESC
                """), arguments: [lineID]) where giving > .zero {
                let lot: Int64 = row["lot_id"], held: Quantity = row["quantity"]
                let back = min(held, giving)
                try db.cachedStatement(sql: "UPDATE stock_lot SET remaining = remaining + ? WHERE id = ?").execute(arguments: [back, lot])
                if back == held {
                    try db.cachedStatement(sql: "DELETE FROM allocation WHERE line_id = ? AND lot_id = ?").execute(arguments: [lineID, lot])
                } else {
                    try db.cachedStatement(sql: "UPDATE allocation SET quantity = quantity - ? WHERE line_id = ? AND lot_id = ?")
                        .execute(arguments: [back, lineID, lot])
                }
                giving = try giving - back
            }
            try db.cachedStatement(sql: "UPDATE order_line SET allocated = allocated - ? WHERE id = ?").execute(arguments: [allocated, lineID])
            try db.cachedStatement(sql: "UPDATE stock SET allocated = allocated - ?, gained = 1 WHERE sku = ? AND warehouse = ?")
                .execute(arguments: [allocated, line["sku"] as String, line["warehouse"] as String])
        }
    }
}
