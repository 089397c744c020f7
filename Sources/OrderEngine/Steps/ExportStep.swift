import Foundation
import OrderAllocation
import OrderExport
import OrderModel
import OrderStore

/// Step 6: pick lists, drop-ship purchase orders and the exception report.
///
/// In one transaction the documents are rendered and stored, lines become despatched
/// and stock falls; only then are the files published. A crash between the two leaves
/// the documents pending, and the next cycle publishes them before anything else.
public struct ExportStep: CycleStep {
    public let name = "export"
    public init() {}

    public func run(_ context: CycleContext) throws -> StepReport {
        let counts = try context.store.write { tx -> (Int, Int, Int) in
            let pickLists = try exportPickLists(tx, context)
            let orders = try exportPurchaseOrders(tx, context)
            let exceptions = try exportExceptions(tx, context)
            return (pickLists, orders, exceptions)
        }
        let published = OutboxPublisher(context: context).publishPending()
        return StepReport(step: name, ["pick lists": counts.0, "purchase orders": counts.1, "exception rows": counts.2,
                                       "files written": published.written], warnings: published.failures)
    }

    static func address(_ address: DeliveryAddress) -> Address {
        Address(name: address.name, address1: address.address1, address2: address.address2,
                city: address.city, postcode: address.postcode, country: address.country)
    }

    /// Stores a rendered document of this cycle in the outbox, pending publication; returns its id.
    static func store(_ tx: StoreTransaction, _ context: CycleContext, folder: String, name: String, bytes: [UInt8], rows: Int) throws -> Int64 {
        try tx.storeOutboxFile(folder: folder, name: name, bytes: bytes, rows: rows, cycleID: context.cycleID, at: context.now)
    }

    /// A name part that cannot escape its folder or confuse a shell: letters, digits, `-` and `_` only.
    static func safeName(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.map { s -> Character in
            (s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == "_")) ? Character(s) : "_"
        })
        return cleaned.isEmpty ? "_" : String(cleaned.prefix(40))
    }

    /// A picking line as the pick list and the despatch need it.
    struct PickedLine {
        var id, orderID: Int64
        var warehouse: String
        var allocated: Quantity
        var line: PickListLine
    }

    func exportPickLists(_ tx: StoreTransaction, _ context: CycleContext) throws -> Int {
        var byWarehouse: [String: [PickedLine]] = [:]
        try tx.forEachLineToPick { row in
            let picked = PickedLine(
                id: row.lineID, orderID: row.orderID, warehouse: row.warehouse, allocated: row.allocated,
                line: PickListLine(binLocation: row.binLocation, sku: row.sku, description: row.description, quantity: row.quantity,
                                   orderRef: row.orderRef, lineNo: row.lineNo, customerRef: row.customerRef,
                                   shipTo: Self.address(row.shipTo)))
            byWarehouse[picked.warehouse, default: []].append(picked)
        }
        guard !byWarehouse.isEmpty else { return 0 }
        let confirmed = context.engine.config.despatch == .confirmed
        let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .rule("export"))
        var refs: [(warehouse: String, ref: String)] = []
        for (warehouse, lines) in byWarehouse.sorted(by: { $0.key < $1.key }) {
            let number = try OutboxSequence.next(tx, folder: OutboxFolder.pickLists)
            let ref = String(format: "PL-%06d", number)
            refs.append((warehouse, ref))
            let csv = Documents.pickList(ref: ref, warehouse: warehouse, lines: lines.map(\.line))
            _ = try Self.store(tx, context, folder: OutboxFolder.pickLists, name: "\(ref)-\(Self.safeName(warehouse)).csv",
                               bytes: csv.bytes, rows: csv.rows)
            if confirmed {
                // The lines stay in picking, holding their stock, until the warehouse confirms what left.
                for line in lines {
                    try mover.moveLine(line.id, orderID: line.orderID, from: .picking, to: .picking, code: nil,
                                       reason: "on pick list \(ref); waits for the despatch confirmation")
                    try tx.markOnPickList(line.id, ref: ref)
                }
            }
        }
        if !confirmed { try despatch(byWarehouse, refs: refs, tx, context, actor: mover.actor) }
        return byWarehouse.count
    }

    /// Despatches every line just put on a pick list, for all warehouses at once: the history and the
    /// lines in one pass over the picking lines each, stock and customers from the rows already read.
    func despatch(_ byWarehouse: [String: [PickedLine]], refs: [(warehouse: String, ref: String)], _ tx: StoreTransaction,
                  _ context: CycleContext, actor: Actor) throws {
        try tx.despatchLinesToPick(onto: refs, actor: actor, at: context.now, cycleID: context.cycleID)
        // Stock falls by what left; despatched lines leave their customers' open exposure, so held orders
        // of those customers get a re-check.
        var left: [Allocator.StockKey: Quantity] = [:]
        var customers: Set<String> = []
        for lines in byWarehouse.values {
            for picked in lines {
                let key = Allocator.StockKey(sku: picked.line.sku, warehouse: picked.warehouse)
                left[key] = try (left[key] ?? .zero) + picked.allocated
                customers.insert(picked.line.customerRef)
            }
        }
        try tx.takeDespatchedStock(left.filter { $0.value != .zero }.map { (sku: $0.key.sku, warehouse: $0.key.warehouse, quantity: $0.value) })
        try tx.flagCreditPositionChanged(of: customers)
    }

    /// Every purchase order not yet written, each to its own file.
    func exportPurchaseOrders(_ tx: StoreTransaction, _ context: CycleContext) throws -> Int {
        let orders = try tx.purchaseOrdersToWrite()
        guard !orders.isEmpty else { return 0 }
        var customers: Set<String> = []
        for order in orders {
            let poLines = order.lines.map { line in
                PurchaseOrder.Line(lineNo: line.lineNo, sku: line.sku, description: line.description, quantity: line.quantity,
                                   unitCost: line.supplierCost.map { context.money.format($0) } ?? "")
            }
            let po = PurchaseOrder(poRef: order.poRef, supplierRef: order.supplierRef, orderRef: order.orderRef,
                                   shipTo: Self.address(order.shipTo), lines: poLines)
            let xml = order.format == "xml"
            let bytes = xml ? Documents.purchaseOrderXML(po) : Documents.purchaseOrderCSV(po)
            let id = try Self.store(tx, context, folder: OutboxFolder.purchaseOrders, name: "\(order.poRef).\(xml ? "xml" : "csv")",
                                    bytes: bytes, rows: poLines.count)
            try tx.markPurchaseOrderWritten(order.poRef, file: id)
            customers.insert(order.customerRef)
        }
        // A written purchase order leaves its customer's open exposure: held orders of those customers get a re-check.
        try tx.flagCreditPositionChanged(of: customers)
        return orders.count
    }

    /// The exceptions raised since the last report, in one report (see `forEachExceptionToReport`).
    func exportExceptions(_ tx: StoreTransaction, _ context: CycleContext) throws -> Int {
        var csv = CSVWriter(header: Documents.exceptionHeader)
        var last: Int64 = 0
        try tx.forEachExceptionToReport { exception in
            let e = exception.note
            csv.append([e.kind, e.orderRef ?? "", e.lineNo.map(String.init) ?? "", e.sku ?? "",
                        e.reason, e.sourceFile ?? "", e.sourceLine.map(String.init) ?? ""])
            last = exception.id
        }
        guard csv.rows > 0 else { return 0 }
        let number = try OutboxSequence.next(tx, folder: OutboxFolder.exceptions)
        let file = try Self.store(tx, context, folder: OutboxFolder.exceptions, name: String(format: "EX-%06d.csv", number),
                                  bytes: csv.bytes, rows: csv.rows)
        try tx.recordExceptionReport(file: file, lastExceptionID: last)
        return csv.rows
    }
}
