import Foundation
import OrderAllocation
import OrderExport
import OrderImport
import OrderModel
import OrderOutput
import OrderStore

/// Step 6: pick lists, drop-ship purchase orders and the exception report.
///
/// In one transaction the documents are rendered and stored, lines become despatched
/// and stock falls; only then are the files published. A crash between the two leaves
/// the documents pending, and the next cycle publishes them before anything else.
///
/// Each recipient's documents are written in the layout it names (`OutputMappings`): today's built-in
/// layouts unless a warehouse, supplier or report names an output mapping. A document its mapping cannot
/// render (a character its encoding cannot hold, a value wider than its column) is not written — its pick
/// list's lines stay in Picking, its purchase order stays pending — and the step says why; the rest of
/// the export goes on.
public struct ExportStep: CycleStep {
    public let name = "export"
    /// The inbound mappings: the custom fields an output mapping may read.
    public var mappings: [Mapping]
    public init(mappings: [Mapping] = []) { self.mappings = mappings }

    public func run(_ context: CycleContext) throws -> StepReport {
        var recipients = OutputRecipients(context: context, mappings: mappings)
        let counts = try context.store.write { tx -> (Int, Int, Int) in
            let pickLists = try exportPickLists(tx, context, &recipients)
            let orders = try exportPurchaseOrders(tx, context, &recipients)
            let exceptions = try exportExceptions(tx, context, &recipients)
            return (pickLists, orders, exceptions)
        }
        let published = OutboxPublisher(context: context).publishPending()
        return StepReport(step: name, ["pick lists": counts.0, "purchase orders": counts.1, "exception rows": counts.2,
                                       "files written": published.written], warnings: recipients.warnings + published.failures)
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
    func exportPickLists(_ tx: StoreTransaction, _ context: CycleContext, _ recipients: inout OutputRecipients) throws -> Int {
        let confirmed = context.engine.config.despatch == .confirmed
        let outputs = context.engine.config.outputs
        // Lines of warehouses whose pick list an output mapping writes: rendered after the stream, from their values.
        var mapped: [String: [PickListFactRow]] = [:]
        let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .rule("export"))
        var refs: [(warehouse: String, ref: String)] = []
        var writing: (warehouse: String, ref: String, csv: CSVWriter)? = nil
        var onPickList: [(lineID: Int64, orderID: Int64, warehouse: String)] = []
        // What the despatch takes from stock, and whose exposure it changes.
        var left: [Allocator.StockKey: Quantity] = [:]
        var customers: Set<String> = []
        func store(_ list: (warehouse: String, ref: String, csv: CSVWriter)) throws {
            _ = try Self.store(tx, context, folder: OutboxFolder.pickLists, name: "\(list.ref)-\(Self.safeName(list.warehouse)).csv",
                               bytes: list.csv.bytes, rows: list.csv.rows)
        }
        try tx.forEachLineToPick { row in
            if outputs.pickList(for: row.warehouse) != EngineConfig.Outputs.standard {
                mapped[row.warehouse, default: []].append(PickListFactRow(
                    lineID: row.lineID, orderID: row.orderID, binLocation: row.binLocation, sku: row.sku, orderRef: row.orderRef,
                    lineNo: row.lineNo, allocated: row.allocated))
                if confirmed {
                    onPickList.append((row.lineID, row.orderID, row.warehouse))
                } else {
                    let key = Allocator.StockKey(sku: row.sku, warehouse: row.warehouse)
                    left[key] = try (left[key] ?? .zero) + row.allocated
                    customers.insert(row.customerRef)
                }
                return
            }
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
                onPickList.append((row.lineID, row.orderID, row.warehouse))
            } else {
                let key = Allocator.StockKey(sku: row.sku, warehouse: row.warehouse)
                left[key] = try (left[key] ?? .zero) + row.allocated
                customers.insert(row.customerRef)
            }
        }
        if let last = writing { try store(last) }
        writing = nil
        // Each mapped warehouse's pick list, through its mapping; one that cannot be written keeps its lines in Picking.
        var unwritten: Set<String> = []
        for (warehouse, rows) in mapped.sorted(by: { $0.key < $1.key }) {
            let recipient = "warehouse \(warehouse) (outputs.warehouse_pick_lists in orderflow.yaml)"
            let number = try tx.nextOutboxNumber(in: OutboxFolder.pickLists)
            let ref = String(format: "PL-%06d", number)
            do {
                guard let mapping = try recipients.mapping(named: outputs.pickList(for: warehouse), for: .pickList, recipient: recipient) else { continue }
                let values = try recipients.values(tx, for: mapping).pickList(rows: rows, ref: ref, number: number, warehouse: warehouse)
                guard try recipients.store(values, through: mapping, tx, defaultFolder: OutboxFolder.pickLists,
                                           defaultName: "\(ref)-\(Self.safeName(warehouse))",
                                           sequence: (OutboxFolder.pickLists, number), what: "pick list \(ref) for warehouse \(warehouse)") != nil
                else { unwritten.insert(warehouse); continue }
                refs.append((warehouse, ref))
            } catch let error as EngineError {
                recipients.notWritten("pick list for warehouse \(warehouse) not written: \(error)")
                unwritten.insert(warehouse)
            }
        }
        guard !refs.isEmpty else { return 0 }
        // (Their customers stay flagged for a credit re-check: one check too many changes nothing.)
        left = left.filter { !unwritten.contains($0.key.warehouse) }
        let refOf = Dictionary(refs, uniquingKeysWith: { first, _ in first })
        if confirmed {
            // The lines stay in picking, holding their stock, until the warehouse confirms what left.
            for line in onPickList {
                guard let ref = refOf[line.warehouse] else { continue }
                try mover.moveLine(line.lineID, orderID: line.orderID, from: .picking, to: .picking, code: nil,
                                   reason: "on pick list \(ref); waits for the despatch confirmation")
                try tx.markOnPickList(line.lineID, ref: ref)
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
    ///
    /// A supplier whose `po_format` names an output mapping gets its purchase orders through it; one that
    /// cannot be written stays pending (and is tried again each cycle, until its mapping or data is fixed).
    func exportPurchaseOrders(_ tx: StoreTransaction, _ context: CycleContext, _ recipients: inout OutputRecipients) throws -> Int {
        let orders = try tx.purchaseOrdersToWrite()
        guard !orders.isEmpty else { return 0 }
        var customers: Set<String> = []
        var written = 0
        for order in orders {
            if !OutputMappings.isBuiltIn(order.format, for: .purchaseOrder) {
                let what = "purchase order \(order.poRef) for supplier \(order.supplierRef)"
                do {
                    guard let mapping = try recipients.mapping(named: order.format, for: .purchaseOrder,
                                                               recipient: "supplier \(order.supplierRef) (its po_format)"),
                          let values = try recipients.values(tx, for: mapping).purchaseOrder(order.poRef)?.values else { continue }
                    let number = OutboxSequence.number(ofRef: order.poRef, sequence: OutboxFolder.purchaseOrders)
                    guard let id = try recipients.store(values, through: mapping, tx, defaultFolder: OutboxFolder.purchaseOrders,
                                                        defaultName: order.poRef, sequence: nil, what: what,
                                                        numbered: number.map { (OutboxFolder.purchaseOrders, $0) }) else { continue }
                    try tx.markPurchaseOrderWritten(order.poRef, file: id)
                    customers.insert(order.customerRef)
                    written += 1
                } catch let error as EngineError {
                    recipients.notWritten("\(what) not written: \(error)")
                }
                continue
            }
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
            written += 1
        }
        // A written purchase order leaves its customer's open exposure: held orders of those customers get a re-check.
        try tx.flagCreditPositionChanged(of: customers)
        return written
    }

    /// The exceptions raised since the last report, in one report (see `forEachExceptionToReport`).
    func exportExceptions(_ tx: StoreTransaction, _ context: CycleContext, _ recipients: inout OutputRecipients) throws -> Int {
        let name = context.engine.config.outputs.exceptionReport
        if name != EngineConfig.Outputs.standard {
            return try exportMappedExceptions(tx, context, &recipients, mappingName: name)
        }
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

    /// The exception report through the output mapping `outputs.exception_report` names. When it cannot be
    /// written the exceptions stay unreported, for the next cycle's report.
    func exportMappedExceptions(_ tx: StoreTransaction, _ context: CycleContext, _ recipients: inout OutputRecipients,
                                mappingName: String) throws -> Int {
        var exceptions: [ExceptionToReport] = []
        try tx.forEachExceptionToReport { exceptions.append($0) }
        guard let last = exceptions.last?.id else { return 0 }
        let number = try tx.nextOutboxNumber(in: OutboxFolder.exceptions)
        let ref = String(format: "EX-%06d", number)
        do {
            guard let mapping = try recipients.mapping(named: mappingName, for: .exceptionReport,
                                                       recipient: "outputs.exception_report in orderflow.yaml") else { return 0 }
            let values = try recipients.values(tx, for: mapping).exceptionReport(exceptions, ref: ref, number: number)
            guard let file = try recipients.store(values, through: mapping, tx, defaultFolder: OutboxFolder.exceptions, defaultName: ref,
                                                  sequence: (OutboxFolder.exceptions, number), what: "exception report \(ref)") else { return 0 }
            try tx.recordExceptionReport(file: file, lastExceptionID: last)
        } catch let error as EngineError {
            recipients.notWritten("exception report \(ref) not written: \(error)")
            return 0
        }
        return exceptions.count
    }
}
