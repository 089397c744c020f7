import GRDB
import OrderModel
import OrderStore

/// What operations staff do by hand: release, hold and cancel an order.
///
/// Each action is one transaction with its history rows, stamped with the engine's clock
/// and the person's name, and refuses with a reason when it would do nothing.
public struct OrderActions: Sendable {
    let engine: Engine
    public init(engine: Engine) { self.engine = engine }

    public struct Outcome: Sendable, Codable, Hashable {
        public var orderRef: String
        public var linesMoved: Int
        public var message: String
    }

    func withOrder<T>(_ ref: String, _ body: (Database, Int64, StageMover) throws -> T) throws -> T {
        try engine.database.writer.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM sales_order WHERE order_ref = ?", arguments: [ref]) else {
                throw EngineError.unknownOrder(ref)
            }
            let mover = StageMover(db: db, at: engine.clock.now, cycleID: nil, actor: "user:\(engine.user)")
            return try body(db, id, mover)
        }
    }

    func stagesOf(_ db: Database, _ id: Int64) throws -> String {
        let stages = try String.fetchAll(db, sql: "SELECT DISTINCT stage FROM order_line WHERE order_id = ? ORDER BY stage", arguments: [id])
        return stages.joined(separator: ", ")
    }

    /// Releases an order held for credit, held by hand or waiting in Order Vetting.
    /// A released order is not held by the credit check again.
    public func release(_ ref: String) throws -> Outcome {
        // The user-defined stages an order may be released from come from rules.yaml, read before the transaction.
        // While rules.yaml is broken (the running engine keeps its last good copy), a person can still release:
        // every stage that is not built in came from a rule, so the order's own such stages count as held.
        let fromRules = try? engine.loadRules(mappings: (try? engine.loadMappings()) ?? []).stages.map { Stage(rawValue: $0.name) }
        return try withOrder(ref) { db, id, mover in
            let userStages = try fromRules ?? String.fetchAll(db, sql: "SELECT DISTINCT stage FROM order_line WHERE order_id = ?", arguments: [id])
                .map(Stage.init(rawValue:)).filter { !Stage.builtIn.contains($0) }
            let unknown = try String.fetchAll(db, sql: """
                SELECT DISTINCT sku FROM order_line l WHERE order_id = ? AND stage = 'order-vetting' AND reason_code = ?
                  AND NOT EXISTS (SELECT 1 FROM product p WHERE p.sku = l.sku) ORDER BY sku
                """, arguments: [id, UnknownProductStep.code])
            if !unknown.isEmpty {
                throw EngineError.notPossible("order \(ref) cannot be released: sku \(unknown.joined(separator: ", ")) is not in the product file; import the product and it is released on the next cycle")
            }
            let held: [Stage] = [.heldForCredit, .onHold, .orderVetting] + userStages
            // A rule that put the order where it is will not take it again.
            try db.execute(sql: """
                INSERT OR IGNORE INTO rule_override (order_id, rule, at, actor)
                SELECT DISTINCT order_id, substr(reason_code, 6), ?, ? FROM order_line
                WHERE order_id = ? AND reason_code LIKE 'rule:%' AND stage IN (\(databaseQuestionMarks(count: held.count)))
                """, arguments: [engine.clock.now.description, "user:\(engine.user)", id] + StatementArguments(held.map(\.rawValue)))
            let moved = try mover.moveOrder(id, from: held, to: .new, code: nil, reason: "released by hand")
            guard moved > 0 else {
                throw EngineError.notPossible("order \(ref) is not held (its lines are in \(try stagesOf(db, id))); nothing to release")
            }
            try db.execute(sql: """
                UPDATE sales_order SET manual_hold = 0, credit_override = 1, changed = 1,
                    credit_state = CASE credit_state WHEN 'held' THEN 'passed' ELSE credit_state END
                WHERE id = ?
                """, arguments: [id])
            return Outcome(orderRef: ref, linesMoved: moved, message: "released \(moved) line(s); they are allocated on the next cycle")
        }
    }

    /// Holds an order until `release`: its open lines move to on-hold and give back any allocated stock.
    public func hold(_ ref: String, reason: String) throws -> Outcome {
        let reason = CardNumberRedactor.redact(reason.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !reason.isEmpty else { throw EngineError.notPossible("give a reason: orderflow hold \(ref) --reason 'why'") }
        return try withOrder(ref) { db, id, mover in
            try releaseStock(db, orderID: id)
            // A line waiting on a pick list for the warehouse's confirmation is pulled off it; the warehouse's
            // confirmation for it is then refused with a reason.
            try db.execute(sql: "UPDATE order_line SET pick_list_ref = NULL WHERE order_id = ? AND stage = 'picking'", arguments: [id])
            let moved = try mover.moveOrder(id, from: [.new, .heldForCredit, .orderVetting, .backOrder, .picking], to: .onHold,
                                            code: "manual-hold", reason: "held by hand: \(reason)")
            guard moved > 0 else {
                throw EngineError.notPossible("order \(ref) has no line that can be held (its lines are in \(try stagesOf(db, id)))")
            }
            try db.execute(sql: "UPDATE sales_order SET manual_hold = 1 WHERE id = ?", arguments: [id])
            return Outcome(orderRef: ref, linesMoved: moved, message: "held \(moved) line(s) until 'orderflow release \(ref)'")
        }
    }

    /// Cancels an order's open lines; despatched lines and lines on a sent purchase order are kept.
    public func cancel(_ ref: String) throws -> Outcome {
        try withOrder(ref) { db, id, mover in
            let total = try Cancellation(db: db, mover: mover).cancel(orderID: id, reason: "cancelled by hand")
            guard total > 0 else {
                throw EngineError.notPossible("order \(ref) has no open line to cancel (its lines are in \(try stagesOf(db, id)))")
            }
            let kept = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM order_line WHERE order_id = ? AND stage IN ('despatched', 'drop-ship', 'picking')",
                                        arguments: [id]) ?? 0
            let note = kept > 0 ? "; \(kept) line(s) already despatched, on a pick list or on a sent purchase order are kept" : ""
            return Outcome(orderRef: ref, linesMoved: total, message: "cancelled \(total) line(s)\(note)")
        }
    }

    /// Gives back stock allocated to the order's lines.
    func releaseStock(_ db: Database, orderID: Int64) throws {
        try StockLedger(db: db).release(lineIDs: try Int64.fetchAll(db, sql: "SELECT id FROM order_line WHERE order_id = ? AND allocated > 0",
                                                                 arguments: [orderID]))
    }
}
