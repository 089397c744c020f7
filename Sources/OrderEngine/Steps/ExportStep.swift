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

    /// Writes one pick list per warehouse from the lines in Picking, then despatches them (or, with
    /// confirmed despatch, marks them as on their pick list).
    ///
    /// The store hands the lines over already in pick-list order, warehouse by warehouse, so each row is
    /// rendered as it is read and only the pick list being written is in memory: at 1,000,000 lines the
    /// lines held for sorting had been the cycle's largest allocation.
    func exportPickLists(_ tx: StoreTransaction, _ context: CycleContext) throws -> Int {
        let confirmed = context.engine.config.despatch == .confirmed
        let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .rule("export"))
        var refs: [(warehouse: String, ref: String)] = []
        var writing: (warehouse: String, ref: String, csv: CSVWriter)? = nil
        var onPickList: [(lineID: Int64, orderID: Int64, ref: String)] = []
        // What the despatch takes from stock, and whose exposure it changes.
        var left: [Allocator.StockKey: Quantity] = [:]
        var customers: Set<String> = []
        func store(_ list: (warehouse: String, ref: String, csv: CSVWriter)) throws {
            _ = try Self.store(tx, context, folder: OutboxFolder.pickLists, name: "\(list.ref)-\(Self.safeName(list.warehouse)).csv",
                               bytes: list.csv.bytes, rows: list.csv.rows)
        }
        try tx.forEachLineToPick { row in
            if writing?.warehouse != row.warehouse {
                if let done = writing { try store(done) }
                let number = try OutboxSequence.next(tx, folder: OutboxFolder.pickLists)
                let ref = String(format: "PL-%06d", number)
                refs.append((row.warehouse, ref))
                writing = (row.warehouse, ref, CSVWriter(header: Documents.pickListHeader))
            }
            let line = PickListLine(binLocation: row.binLocation, sku: row.sku, description: row.description, quantity: row.quantity,
                                    orderRef: row.orderRef, lineNo: row.lineNo, customerRef: row.customerRef,
                                    shipTo: Self.address(row.shipTo))
            writing?.csv.append(Documents.pickListRow(ref: refs[refs.count - 1].ref, warehouse: row.warehouse, line))
            if confirmed {
                onPickList.append((row.lineID, row.orderID, refs[refs.count - 1].ref))
            } else {
                let key = Allocator.StockKey(sku: row.sku, warehouse: row.warehouse)
                left[key] = try (left[key] ?? .zero) + row.allocated
                customers.insert(row.customerRef)
            }
        }
        guard let last = writing else { return 0 }
        try store(last)
        writing = nil
        if confirmed {
            // The lines stay in picking, holding their stock, until the warehouse confirms what left.
            for line in onPickList {
                try mover.moveLine(line.lineID, orderID: line.orderID, from: .picking, to: .picking, code: nil,
                                   reason: "on pick list \(line.ref); waits for the despatch confirmation")
                try tx.markOnPickList(line.lineID, ref: line.ref)
            }
        } else {
            try tx.despatchLinesToPick(onto: refs, actor: mover.actor, at: context.now, cycleID: context.cycleID)
            // Stock falls by what left; despatched lines leave their customers' open exposure, so held orders
            // of those customers get a re-check.
            try tx.takeDespatchedStock(left.filter { $0.value != .zero }.map { (sku: $0.key.sku, warehouse: $0.key.warehouse, quantity: $0.value) })
            try tx.flagCreditPositionChanged(of: customers)
        }
        return refs.count
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
            csv.append([e.kind.description, e.orderRef ?? "", e.lineNo.map(String.init) ?? "", e.sku ?? "",
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
