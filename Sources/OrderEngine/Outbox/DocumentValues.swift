import Foundation
import OrderImport
import OrderModel
import OrderOutput
import OrderRules
import OrderStore

/// What an output mapping reads of each outbox document (pick list, purchase order, exception report,
/// back-order report), built from the database.
///
/// The order, customer, line and product fields come from `FactsLoader`, the rules' own loader, so an
/// order's value or a custom field reads the same in a rule and in a document; this type only adds what a
/// document knows beyond them (`document.*`, `supplier.*`, `line.allocated`, `exception.*`, ...) and puts
/// the rows in the document's order. Every read is set-based: ids go to the store in chunks of 500.
public struct DocumentValues {
    let tx: StoreTransaction
    let loader: FactsLoader
    let today: Int64
    /// Whether a row's values read its order's lines together (`OutputMapping.readsOrderLines`).
    let readsOrderLines: Bool

    /// `catalog` types the custom fields (the one the rules and the output mappings check against);
    /// `today` is the day `document.date` and the `days_in_stage` fields count from. `fields` (`entity.name`,
    /// as `OutputExpression.fields` gives them) are the order, customer, line and product fields the mapping
    /// reads: only those are built (nil builds every one), which is most of the cost at 300,000 lines. What a
    /// document adds (`document.*`, `line.allocated`, ...) is always there. Without `readsOrderLines` a row's
    /// order holds only the lines the document prints (a pick list prints half the lines of its orders).
    public init(tx: StoreTransaction, catalog: FieldCatalog, money: MoneyFormat, today: Int64, fields: Set<String>? = nil,
                readsOrderLines: Bool = true) {
        self.tx = tx
        self.today = today
        self.readsOrderLines = readsOrderLines
        // `ship_to.*` is worked out from the order's ship-to fields and its customer's name and address.
        var wanted = fields
        if let fields, fields.contains(where: { $0.hasPrefix("ship_to.") }) {
            wanted = fields.union(Self.shipToSources)
        }
        shipTo = fields?.contains { $0.hasPrefix("ship_to.") } ?? true
        loader = FactsLoader(tx: tx, catalog: catalog, money: money, today: today, fields: wanted)
    }

    /// Whether the documents built carry `ship_to` (when a mapping reads it, or every field is built).
    let shipTo: Bool

    /// The fields `ship_to` is worked out from.
    static let shipToSources: Set<String> = Set(["name", "address1", "address2", "city", "postcode", "country"].flatMap {
        ["order.ship_\($0)", "customer.\($0)"]
    })

    /// Where an order goes, as its documents print it: the order's own ship-to name, or else its customer's
    /// name; the order's own address when it gives any part of one, or else its customer's address — never a
    /// mix of the two. The one place that decides it for output mappings (the built-in layouts read the same
    /// rule from the store).
    static func shipTo(of order: OrderFacts) -> [String: Value] {
        func text(_ value: Value?) -> String { if case .text(let s)? = value { s } else { "" } }
        let own = order.order, customer = order.customer ?? [:]
        let parts = ["address1", "address2", "city", "postcode", "country"]
        let ownAddress = parts.contains { !text(own["ship_\($0)"]).isEmpty }
        var fields: [String: Value] = [:]
        let name = text(own["ship_name"])
        fields["name"] = .text(name.isEmpty ? text(customer["name"]) : name)
        for part in parts { fields[part] = .text(ownAddress ? text(own["ship_\(part)"]) : text(customer[part])) }
        return fields
    }

    /// What an output mapping for a document of `kind` may read: the document's own fields (the one table,
    /// `OutputDocumentKind.catalog`) with the rule fields and the custom ones the inbound mappings declare (a
    /// supplier's too, for a purchase order: added after the document's entities, so that they have a home).
    public static func catalog(_ kind: OutputDocumentKind, mappings: [Mapping]) -> FieldCatalog {
        RulesFile.catalog(mappings, base: kind.catalog())
    }

    /// A rule's output `ref` (number `number`): one row per matched order (an order rule; its line fields empty)
    /// or line (a line rule), from the facts the rule's search loaded.
    public static func ruleOutput(_ rows: [OutputRow], ref: String, number: Int, today: Int64) -> OutputDocumentValues {
        let entities: [String: [String: Value]] = ["document": ["ref": .text(ref), "number": .number(Decimal(number)), "date": .date(today)]]
        let withDocument = rows.map { row in
            var row = row
            row.order.entities.merge(entities) { _, added in added }
            if row.order.entities["ship_to"] == nil { row.order.entities["ship_to"] = shipTo(of: row.order) }
            return row
        }
        var header = Self.noOrder(entities)
        header.lines = withDocument.map(\.line)
        return OutputDocumentValues(header: header, rows: withDocument)
    }

    /// The number a document's ref ends in (`PO-000042`: 42); null when it ends in none.
    static func number(of ref: String) -> Value {
        let digits = ref.reversed().prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? .null : Decimal(string: String(digits.reversed())).map(Value.number) ?? .null
    }

    /// The facts of the orders `ids`, by id, each carrying the document's `entities` (set once per order, not
    /// once per row: the rows of an order share its facts), and their lines by line id.
    private func facts(_ ids: [Int64], entities: [String: [String: Value]], keep: [Int64: [Int64]]? = nil,
                       decorate: ((Int64, inout [String: Value]) -> Void)? = nil) throws -> (orders: [Int64: OrderFacts], lines: [Int64: LineFacts]) {
        var seen: Set<Int64> = []
        seen.reserveCapacity(ids.count)
        // In id order: each chunk the loader reads then covers neighbouring orders, whose rows share pages (a
        // pick list's orders, in bin order, were spread over the whole database: a page read for each).
        let unique = ids.filter { seen.insert($0).inserted }.sorted()
        var orders: [Int64: OrderFacts] = [:]
        orders.reserveCapacity(unique.count)
        var lines: [Int64: LineFacts] = [:]
        lines.reserveCapacity(ids.count)
        // Looked up by id: in no particular order.
        for var order in try loader.load(unique, keep: keep, oldestFirst: false, decorate: decorate) {
            for line in order.lines { lines[line.lineID] = line }
            // The loader's orders carry no entities of their own: most share the document's (one table, not one per order).
            if order.entities.isEmpty { order.entities = entities } else { order.entities.merge(entities) { own, _ in own } }
            if shipTo { order.entities["ship_to"] = Self.shipTo(of: order) }
            orders[order.orderID] = order
        }
        return (orders, lines)
    }

    /// An empty order carrying the document's `entities`: a document's header where it has no order of its own,
    /// and a row's order where the row names none.
    private static func noOrder(_ entities: [String: [String: Value]]) -> OrderFacts {
        OrderFacts(orderID: 0, order: [:], customer: nil, lines: [], entities: entities)
    }

    /// A document of `rows` (whose orders carry `entities` already) with a header of `order` (none when nil) carrying
    /// `entities` and every row's line (for `count` and `sum`).
    private func document(_ entities: [String: [String: Value]], rows: [OutputRow], order: OrderFacts? = nil) -> OutputDocumentValues {
        var header = order ?? Self.noOrder(entities)
        header.entities.merge(entities) { _, added in added }
        header.lines = rows.map(\.line)
        return OutputDocumentValues(header: header, rows: rows)
    }

    /// The pick list `ref` (number `number`) of `warehouse` holding the picking lines `lineIDs`: one row per
    /// line in pick-list order (bin, sku, order, line), each with its own order and customer; `line.allocated`
    /// and `line.bin_location` beside the line's rule fields.
    public func pickList(lineIDs: [Int64], ref: String, number: Int, warehouse: String) throws -> OutputDocumentValues {
        try pickList(rows: tx.pickListFactRows(lineIDs: lineIDs), ref: ref, number: number, warehouse: warehouse)
    }

    /// The pick list of the picking lines `picked` (as `pickList(lineIDs:...)`), whose rows the caller read
    /// already: the export streams every line to pick once, and a second read of them by id had cost a
    /// 300,000-line pick list a tenth of its time. Rows in pick-list order already cost the sort little.
    public func pickList(rows picked: [PickListFactRow], ref: String, number: Int, warehouse: String) throws -> OutputDocumentValues {
        // The order `Documents.pickList` prints (its `precedes`); indices are sorted, not the rows.
        let order = picked.indices.sorted { i, j in
            let (a, b) = (picked[i], picked[j])
            if a.binLocation != b.binLocation { return a.binLocation < b.binLocation }
            if a.sku != b.sku { return a.sku < b.sku }
            if a.orderRef != b.orderRef { return a.orderRef < b.orderRef }
            return a.lineNo < b.lineNo
        }
        let entities: [String: [String: Value]] = ["document": ["ref": .text(ref), "number": .number(Decimal(number)), "date": .date(today),
                                                                "warehouse": .text(warehouse)]]
        // When no row reads its order's lines together, only the lines printed are built, each with its two
        // pick-list fields as it is built; else every line is, and a row's line gets them on its own copy.
        var printed: [Int64: Int] = [:]
        var linesOf: [Int64: [Int64]] = [:]
        if !readsOrderLines {
            printed.reserveCapacity(picked.count)
            for (i, p) in picked.enumerated() {
                if printed.updateValue(i, forKey: p.lineID) == nil { linesOf[p.orderID, default: []].append(p.lineID) }
            }
        }
        let (orders, lines) = readsOrderLines
            ? try facts(picked.map(\.orderID), entities: entities)
            : try facts(picked.map(\.orderID), entities: entities, keep: linesOf, decorate: { id, line in
                guard let i = printed[id] else { return }
                line["allocated"] = .number(FactsLoader.decimal(picked[i].allocated))
                line["bin_location"] = .text(picked[i].binLocation)
            })
        var rows: [OutputRow] = []
        rows.reserveCapacity(picked.count)
        for i in order {
            let p = picked[i]
            guard let order = orders[p.orderID], var line = lines[p.lineID] else { continue }
            if readsOrderLines {
                line.line["allocated"] = .number(FactsLoader.decimal(p.allocated))
                line.line["bin_location"] = .text(p.binLocation)
            }
            rows.append(OutputRow(order: order, line: line))
        }
        return document(entities, rows: rows)
    }

    /// A purchase order with the supplier's format (`csv`, `xml` or an output mapping's name).
    public struct PurchaseOrder {
        public var poRef: String
        public var format: String
        public var values: OutputDocumentValues
    }

    /// The purchase order `poRef`; nil when there is none.
    public func purchaseOrder(_ poRef: String) throws -> PurchaseOrder? {
        try purchaseOrders([poRef]).first
    }

    /// The purchase orders `poRefs` in po_ref order (unknown refs left out): the header is the order's facts
    /// with `document` (ref, number, date: the day it was made) and `supplier` (ref, name, email, format and
    /// its custom fields); the rows are its lines in Drop Ship with `line.unit_cost`, the supplier's cost (null
    /// when there is none).
    public func purchaseOrders(_ poRefs: [String]) throws -> [PurchaseOrder] {
        let found = try tx.purchaseOrderFactRows(poRefs: poRefs)
        let (orders, lines) = try facts(found.map(\.orderID), entities: [:])
        return found.compactMap { po in
            guard var order = orders[po.orderID] else { return nil }
            var supplier: [String: Value] = ["ref": .text(po.supplierRef), "format": .text(po.format)]
            if po.supplierKnown {
                supplier["name"] = .text(po.supplierName)
                supplier["email"] = .text(po.supplierEmail)
                loader.custom(po.supplierCustom, entity: "supplier", wants: nil, into: &supplier)
            } else {
                supplier["name"] = .null
                supplier["email"] = .null
            }
            let date = loader.day(po.createdAt).map(Value.date) ?? .date(today)
            let entities: [String: [String: Value]] = ["document": ["ref": .text(po.poRef), "number": Self.number(of: po.poRef), "date": date],
                                                       "supplier": supplier]
            order.entities.merge(entities) { _, added in added }
            let rows: [OutputRow] = po.lines.compactMap { poLine in
                guard var line = lines[poLine.lineID] else { return nil }
                line.line["unit_cost"] = loader.priceValue(poLine.supplierCost)
                return OutputRow(order: order, line: line)
            }
            let values = document(entities, rows: rows, order: order)
            return PurchaseOrder(poRef: po.poRef, format: po.format, values: values)
        }
    }

    /// The exception report `ref` (number `number`) of `exceptions` (as `forEachExceptionToReport` hands them
    /// out), one row each with its `exception` fields, in their order. Where an exception names an order of
    /// the database (not a rejected or duplicate one, whose ref is the file's), the row has that order's facts,
    /// and that line's where it names one; else they are empty.
    public func exceptionReport(_ exceptions: [ExceptionToReport], ref: String, number: Int) throws -> OutputDocumentValues {
        let foreign = ExceptionKind.ordersNotStored
        let refs = Set(exceptions.compactMap { e in foreign.contains(e.note.kind) ? nil : e.note.orderRef })
        let ids = try tx.orderIDs(refs: refs.sorted())
        let entities: [String: [String: Value]] = ["document": ["ref": .text(ref), "number": .number(Decimal(number)), "date": .date(today)]]
        let (orders, _) = try facts(ids.values.sorted(), entities: entities)
        let none = Self.noOrder(entities)
        var rows: [OutputRow] = []
        rows.reserveCapacity(exceptions.count)
        for exception in exceptions {
            let e = exception.note
            let fields: [String: Value] = [
                "kind": .text(e.kind.description), "order_ref": loader.text(e.orderRef), "line_no": e.lineNo.map { .number(Decimal($0)) } ?? .null,
                "sku": loader.text(e.sku), "reason": .text(e.reason), "source_file": loader.text(e.sourceFile),
                "source_line": e.sourceLine.map { .number(Decimal($0)) } ?? .null,
            ]
            let order = foreign.contains(e.kind) ? nil : e.orderRef.flatMap { ids[$0] }.flatMap { orders[$0] }
            var line = e.lineNo.flatMap { no in order?.lines.first { $0.line["line_no"] == .number(Decimal(no)) } }
                ?? LineFacts(lineID: 0, line: [:], product: nil)
            line.entities["exception"] = fields
            rows.append(OutputRow(order: order ?? none, line: line))
        }
        return document(entities, rows: rows)
    }

    /// The back-order report `ref` (number `number`): every line in Back Order, in the report's order (the
    /// queue's), each with its order's facts and `back_order` (since: the day it entered Back Order,
    /// available: the stock free in its warehouse now, reason: why it waits).
    public func backOrderReport(ref: String, number: Int) throws -> OutputDocumentValues {
        let waiting = try tx.backOrderFactRows()
        let entities: [String: [String: Value]] = ["document": ["ref": .text(ref), "number": .number(Decimal(number)), "date": .date(today)]]
        let (orders, lines) = try facts(waiting.map(\.orderID), entities: entities)
        var rows: [OutputRow] = []
        rows.reserveCapacity(waiting.count)
        for w in waiting {
            guard let order = orders[w.orderID], var line = lines[w.lineID] else { continue }
            line.entities["back_order"] = ["since": loader.day(w.stageSince).map(Value.date) ?? .date(today),
                                           "available": .number(FactsLoader.decimal(w.available)), "reason": loader.text(w.reason)]
            rows.append(OutputRow(order: order, line: line))
        }
        return document(entities, rows: rows)
    }
}
