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

    func withOrder<T>(_ ref: String, _ body: (StoreTransaction, Int64, StageMover) throws -> T) throws -> T {
        try engine.database.write { tx in
            guard let id = try tx.salesOrderID(ref: ref) else { throw EngineError.unknownOrder(ref) }
            let mover = StageMover(tx, at: engine.clock.now, cycleID: nil, actor: .user(engine.user))
            return try body(tx, id, mover)
        }
    }

    func stagesOf(_ tx: StoreTransaction, _ id: Int64) throws -> String {
        try tx.stages(ofOrder: id).map(\.rawValue).joined(separator: ", ")
    }

    /// Releases an order held for credit, held by hand or waiting in Order Vetting.
    /// A released order is not held by the credit check again.
    public func release(_ ref: String) throws -> Outcome {
        // The user-defined stages an order may be released from come from rules.yaml, read before the transaction.
        // While rules.yaml is broken (the running engine keeps its last good copy), a person can still release:
        // every stage that is not built in came from a rule, so the order's own such stages count as held.
        let fromRules = try? engine.loadRules(mappings: (try? engine.loadMappings()) ?? []).stages.map { Stage(rawValue: $0.name) }
        return try withOrder(ref) { tx, id, mover in
            let userStages = try fromRules ?? tx.stages(ofOrder: id).filter { !Stage.builtIn.contains($0) }
            let unknown = try tx.unknownSkusVetted(inOrder: id, reasonCode: UnknownProductStep.code)
            if !unknown.isEmpty {
                throw EngineError.notPossible("order \(ref) cannot be released: sku \(unknown.joined(separator: ", ")) is not in the product file; import the product and it is released on the next cycle")
            }
            let held: [Stage] = [.heldForCredit, .onHold, .orderVetting] + userStages
            // A rule that put the order where it is will not take it again.
            try tx.exemptFromRules(order: id, heldIn: held, at: engine.clock.now, actor: .user(engine.user))
            let moved = try mover.moveOrder(id, from: held, to: .new, code: nil, reason: "released by hand")
            guard moved > 0 else {
                throw EngineError.notPossible("order \(ref) is not held (its lines are in \(try stagesOf(tx, id))); nothing to release")
            }
            try tx.markReleasedByHand(order: id)
            return Outcome(orderRef: ref, linesMoved: moved, message: "released \(moved) line(s); they are allocated on the next cycle")
        }
    }

    /// Holds an order until `release`: its open lines move to on-hold and give back any allocated stock.
    public func hold(_ ref: String, reason: String) throws -> Outcome {
        let reason = CardNumberRedactor.redact(reason.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !reason.isEmpty else { throw EngineError.notPossible("give a reason: orderflow hold \(ref) --reason 'why'") }
        return try withOrder(ref) { tx, id, mover in
            try releaseStock(tx, orderID: id)
            // A line waiting on a pick list for the warehouse's confirmation is pulled off it; the warehouse's
            // confirmation for it is then refused with a reason.
            try tx.pullOffPickList(order: id)
            let moved = try mover.moveOrder(id, from: [.new, .heldForCredit, .orderVetting, .backOrder, .picking], to: .onHold,
                                            code: "manual-hold", reason: "held by hand: \(reason)")
            guard moved > 0 else {
                throw EngineError.notPossible("order \(ref) has no line that can be held (its lines are in \(try stagesOf(tx, id)))")
            }
            try tx.markHeldByHand(order: id)
            return Outcome(orderRef: ref, linesMoved: moved, message: "held \(moved) line(s) until 'orderflow release \(ref)'")
        }
    }

    /// Cancels an order's open lines; despatched lines and lines on a sent purchase order are kept.
    public func cancel(_ ref: String) throws -> Outcome {
        try withOrder(ref) { tx, id, mover in
            // The cancellation (shared with the cancellations feed) still works on the connection itself.
            let total = try Cancellation(tx, mover: mover).cancel(orderID: id, reason: "cancelled by hand")
            guard total > 0 else {
                throw EngineError.notPossible("order \(ref) has no open line to cancel (its lines are in \(try stagesOf(tx, id)))")
            }
            let kept = try tx.linesPastCancelling(inOrder: id)
            let note = kept > 0 ? "; \(kept) line(s) already despatched, on a pick list or on a sent purchase order are kept" : ""
            return Outcome(orderRef: ref, linesMoved: total, message: "cancelled \(total) line(s)\(note)")
        }
    }

    /// Gives back stock allocated to the order's lines (through the stock ledger, which still works on the connection itself).
    func releaseStock(_ tx: StoreTransaction, orderID: Int64) throws {
        try StockLedger(tx).release(lineIDs: try tx.allocatedLineIDs(ofOrder: orderID))
    }
}
