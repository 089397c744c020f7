import GRDB
import OrderModel

/// The store's side of what operations staff do by hand (`orderflow release`, `hold`, `cancel`): each is one
/// `OrderDatabase.write` transaction in which the engine decides and these operations read and record.
extension StoreTransaction {
    /// The id of order `ref`; nil when no order has that reference.
    public func salesOrderID(ref: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM sales_order WHERE order_ref = ?", arguments: [ref])
    }

    /// The stages the order's lines are in, each once, by name (for telling a person why nothing was done).
    public func stages(ofOrder orderID: Int64) throws -> [Stage] {
        try String.fetchAll(db, sql: "SELECT DISTINCT stage FROM order_line WHERE order_id = ? ORDER BY stage", arguments: [orderID])
            .map(Stage.init(rawValue:))
    }

    /// The skus of the order's lines waiting in Order Vetting with `reasonCode` (an unknown product) whose
    /// product is still not in the product file, by name.
    public func unknownSkusVetted(inOrder orderID: Int64, reasonCode: String) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT DISTINCT sku FROM order_line l WHERE order_id = ? AND stage = \(Stage.orderVetting.sql) AND reason_code = ?
              AND NOT EXISTS (SELECT 1 FROM product p WHERE p.sku = l.sku) ORDER BY sku
            """, arguments: [orderID, reasonCode])
    }

    /// Records that each rule which put one of the order's lines in one of `stages` (`rule:NAME` reason codes) will
    /// not take the order again: a person released it, and the rule must not undo that on the next cycle.
    public func exemptFromRules(order orderID: Int64, heldIn stages: [Stage], at: Timestamp, actor: Actor) throws {
        guard !stages.isEmpty else { return }
        try db.execute(sql: """
            INSERT OR IGNORE INTO rule_override (order_id, rule, at, actor)
            SELECT DISTINCT order_id, substr(reason_code, 6), ?, ? FROM order_line
            WHERE order_id = ? AND reason_code LIKE 'rule:%' AND stage IN (\(databaseQuestionMarks(count: stages.count)))
            """, arguments: [at.description, actor.description, orderID] + StatementArguments(stages.map(\.rawValue)))
    }

    /// Marks an order released by hand: no longer held by hand, not held for credit again, passed if it was
    /// held for credit, and changed (so the next cycle looks at it).
    public func markReleasedByHand(order orderID: Int64) throws {
        try db.execute(sql: """
            UPDATE sales_order SET manual_hold = 0, credit_override = 1, changed = 1,
                credit_state = CASE credit_state WHEN \(CreditState.held.sql) THEN \(CreditState.passed.sql) ELSE credit_state END
            WHERE id = ?
            """, arguments: [orderID])
    }

    /// Marks an order held by hand (until a person releases it).
    public func markHeldByHand(order orderID: Int64) throws {
        try db.execute(sql: "UPDATE sales_order SET manual_hold = 1 WHERE id = ?", arguments: [orderID])
    }

    /// The order's lines that hold allocated stock.
    public func allocatedLineIDs(ofOrder orderID: Int64) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM order_line WHERE order_id = ? AND allocated > 0", arguments: [orderID])
    }

    /// Takes the order's picking lines off their pick list; the warehouse's confirmation for them is then
    /// refused with a reason.
    public func pullOffPickList(order orderID: Int64) throws {
        try db.execute(sql: "UPDATE order_line SET pick_list_ref = NULL WHERE order_id = ? AND stage = \(Stage.picking.sql)",
                       arguments: [orderID])
    }

    /// How many of the order's lines a cancellation keeps: despatched, on a pick list or on a purchase order.
    public func linesPastCancelling(inOrder orderID: Int64) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM order_line WHERE order_id = ? AND stage IN (\(Stage.despatched.sql), \(Stage.dropShip.sql), \(Stage.picking.sql))
            """, arguments: [orderID]) ?? 0
    }
}
