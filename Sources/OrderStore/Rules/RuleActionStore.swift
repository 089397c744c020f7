import GRDB
import OrderModel

/// What a process rule writes besides its moves, its exceptions and the stock it gives back: holds,
/// ship policies, outputs and its run.
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
}
