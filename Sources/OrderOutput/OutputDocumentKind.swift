import OrderRules

/// The documents the engine writes to the outbox, as a mapping's `document:` names them, each with the
/// fields its expressions may read.
///
/// Every document reads the rule language's built-in entities (`order`, `customer`, `line`, `product`,
/// with the custom fields the inbound mappings declare) and adds its own:
///
/// | document | header entities (one per document) | row entities (one per row) |
/// |---|---|---|
/// | `pick-list` | `document.ref`, `document.number`, `document.date`, `document.warehouse` | `line.allocated` (number), `line.bin_location` (text) |
/// | `purchase-order` | `document.ref`, `document.number`, `document.date`; `supplier.ref`, `supplier.name`, `supplier.email`, `supplier.format` (and the supplier's custom fields) | `line.unit_cost` (number) |
/// | `exception-report` | `document.ref`, `document.number`, `document.date` | `exception.kind`, `exception.order_ref`, `exception.line_no` (number), `exception.sku`, `exception.reason`, `exception.source_file`, `exception.source_line` (number) |
/// | `back-order-report` | `document.ref`, `document.number`, `document.date` | `back_order.since` (date), `back_order.available` (number), `back_order.reason` (text) |
/// | `rule-output` | `document.ref`, `document.number`, `document.date` | — |
///
/// Every document also has `ship_to.name`, `ship_to.address1`, `ship_to.address2`, `ship_to.city`,
/// `ship_to.postcode` and `ship_to.country` (text): where the order goes, as the built-in layouts print it —
/// the order's own ship-to, or its customer's name and address (never a mix of the two). A row reads its
/// own order's; a header without an order (a pick list, a report) reads them empty.
///
/// `document.ref` and the fields without a type above are text; `document.number` is the document's
/// gapless sequence number, `document.date` the day it is written. Header entities may be read in any
/// expression (a row sees its document's); row entities only in a row's expressions, or in a header
/// expression inside `sum`, `count`, `any line:`.
public enum OutputDocumentKind: String, Sendable, Hashable, CaseIterable {
    case pickList = "pick-list"
    case purchaseOrder = "purchase-order"
    case exceptionReport = "exception-report"
    case backOrderReport = "back-order-report"
    case ruleOutput = "rule-output"

    /// The `document` entity every document has.
    static let documentFields: [String: ValueType] = ["ref": .text, "number": .number, "date": .date]

    /// Where the order goes, resolved as its documents print it (the order's ship-to, or its customer's name
    /// and address); on a pick list, each row's own order's.
    static let shipToFields: [String: ValueType] = ["name": .text, "address1": .text, "address2": .text, "city": .text,
                                                     "postcode": .text, "country": .text]

    /// The fields this document's expressions may read: `base` (the built-in entities with the custom
    /// fields) plus this document's own entities.
    public func catalog(base: FieldCatalog = FieldCatalog()) -> FieldCatalog {
        var catalog = base
        catalog.addEntity("document", fields: Self.documentFields, perLine: false)
        catalog.addEntity("ship_to", fields: Self.shipToFields, perLine: false)
        switch self {
        case .pickList:
            catalog.addEntity("document", fields: ["warehouse": .text], perLine: false)
            catalog.addEntity("line", fields: ["allocated": .number, "bin_location": .text], perLine: true)
        case .purchaseOrder:
            catalog.addEntity("supplier", fields: ["ref": .text, "name": .text, "email": .text, "format": .text], perLine: false)
            catalog.addEntity("line", fields: ["unit_cost": .number], perLine: true)
        case .exceptionReport:
            catalog.addEntity("exception", fields: [
                "kind": .text, "order_ref": .text, "line_no": .number, "sku": .text, "reason": .text,
                "source_file": .text, "source_line": .number,
            ], perLine: true)
        case .backOrderReport:
            catalog.addEntity("back_order", fields: ["since": .date, "available": .number, "reason": .text], perLine: true)
        case .ruleOutput:
            break
        }
        return catalog
    }
}
