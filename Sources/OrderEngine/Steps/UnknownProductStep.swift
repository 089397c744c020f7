import OrderModel
import OrderStore

/// Step 3: orders with a line whose sku is not in the product file wait in Order Vetting.
///
/// Re-checked every cycle: once a products file brings the missing skus, the order
/// returns to `new` and continues in the same cycle.
public struct UnknownProductStep: CycleStep {
    public let name = "unknown-products"
    public static let code = "unknown-sku"
    /// An order whose line, now that its product is known, is in a unit the product does not convert from
    /// or finer than its precision: it stays in Order Vetting until it is cancelled or sent again.
    public static let precisionCode = "quantity-precision"
    public init() {}

    public func run(_ context: CycleContext) throws -> StepReport {
        try context.store.write { tx in
            let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .rule("unknown-products"))
            var released = 0, held = 0
            let waiting = try tx.ordersNoLongerMissingProducts(reasonCode: Self.code)
            var refused = 0
            /// Keeps (or puts) an order in Order Vetting for a line its product does not allow, and reports it.
            func refuse(_ id: Int64, from stage: Stage, _ problem: String) throws -> Int {
                let reason = "\(Self.precisionCode): \(problem)"
                try mover.moveOrder(id, from: [stage], to: .orderVetting, code: Self.precisionCode, reason: reason)
                try tx.recordOrderVettingException(orderID: id, reason: reason, cycleID: context.cycleID)
                return 1
            }
            for id in waiting {
                if let problem = try convertWrittenQuantities(orderID: id, tx, context) {
                    refused += try refuse(id, from: .orderVetting, problem)
                    continue
                }
                try mover.moveOrder(id, from: [.orderVetting], to: .new, code: nil, reason: "every sku is now in the product file")
                released += 1
            }
            // Lines written before their product was known that reach `new` with the product now known (their order
            // was held for credit meanwhile, so never waited here): converted now, or their order waits here in words.
            for id in try tx.newOrdersWithUncheckedUnits() {
                if let problem = try convertWrittenQuantities(orderID: id, tx, context) { refused += try refuse(id, from: .new, problem) }
            }
            for order in try tx.newOrdersWithUnknownProducts() {
                let reason = "\(Self.code): \(order.skus.sorted().joined(separator: ", ")) not in the product file"
                try mover.moveOrder(order.orderID, from: [.new], to: .orderVetting, code: Self.code, reason: reason)
                try tx.recordOrderVettingException(orderRef: order.orderRef, reason: reason, cycleID: context.cycleID)
                held += 1
            }
            guard refused > 0 else { return StepReport(step: name, ["held": held, "released": released]) }
            return StepReport(step: name, ["held": held, "released": released, "refused": refused])
        }
    }

    /// The lines of an order imported before their product was known, converted to the product's stock unit
    /// now (`ProductUnits`); the first line whose unit or precision the product does not allow, in words.
    func convertWrittenQuantities(orderID: Int64, _ tx: StoreTransaction, _ context: CycleContext) throws -> String? {
        for line in try tx.linesAwaitingUnitCheck(ofOrder: orderID) {
            guard let product = try ProductUnits.load(sku: line.sku, tx) else { continue }
            switch product.stockQuantity(line.quantity, unit: line.unitAsWritten, home: context.engine.config.units,
                                         line: line.sourceLine, field: "quantity") {
            case .success(let quantity):
                try tx.setCheckedQuantity(quantity, ofLine: line.id)
            case .failure(let problem):
                return "line \(line.lineNo) (\(line.fileName) line \(line.sourceLine)): \(problem.message)"
            }
        }
        return nil
    }
}
