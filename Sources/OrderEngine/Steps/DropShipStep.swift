import Foundation
import OrderModel
import OrderStore

/// Step 4: drop-ship lines go to Drop Ship, with one purchase order per (order, supplier).
public struct DropShipStep: CycleStep {
    public let name = "drop-ship"
    public init() {}

    public func run(_ context: CycleContext) throws -> StepReport {
        try context.store.write { tx in
            // The new lines whose sku is in the (small) set of drop-ship products, from the stage index.
            let lines = try tx.newDropShipLines()
            let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .rule("drop-ship"))
            // Each line's purchase order is decided here; the lines move together.
            let batch = try StageMover.Batch(mover)
            var orders = 0
            var current: (orderID: Int64, supplierRef: String)? = nil
            var poRef = ""
            for line in lines {
                // Lines come by order and supplier: a new pair opens (or finds) its purchase order.
                if current?.orderID != line.orderID || current?.supplierRef != line.supplierRef {
                    current = (line.orderID, line.supplierRef)
                    if let open = try tx.openPurchaseOrder(ofOrder: line.orderID, supplier: line.supplierRef) {
                        poRef = open
                    } else {
                        guard let number = try tx.takePurchaseOrderNumber(folder: OutboxFolder.purchaseOrders) else {
                            throw EngineError.notPossible("the outbox sequence of \(OutboxFolder.purchaseOrders) cannot be read back after it was taken; the database may be damaged")
                        }
                        poRef = String(format: "PO-%06d", number)
                        try tx.createPurchaseOrder(PurchaseOrderRecord(poRef: poRef, orderID: line.orderID, supplierRef: line.supplierRef,
                                                                       createdAt: context.now.description, cycleID: context.cycleID))
                        orders += 1
                    }
                }
                try batch.stage(line.lineID, orderID: line.orderID, from: .new, to: .dropShip, code: "drop-ship",
                                reason: "supplied direct by \(line.supplierRef) on \(poRef)", poRef: poRef)
            }
            try batch.write()
            try batch.clear()
            return StepReport(step: name, ["lines": lines.count, "purchase orders": orders])
        }
    }
}
