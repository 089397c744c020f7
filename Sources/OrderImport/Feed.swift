/// A kind of input file, with the engine fields that a mapping can fill.
///
/// The order of the cases is the import order within a cycle: master data
/// (customers, products, suppliers) always lands before the orders and receipts
/// that refer to it, whatever the files' ages.
public enum Feed: String, Sendable, CaseIterable, Codable, Comparable {
    case customers, products, suppliers, orders, receipts, stock, despatches, cancellations

    public static func < (a: Feed, b: Feed) -> Bool { a.rank < b.rank }
    /// Position in `allCases` (the import order); a switch, since it is read for every field of every record.
    var rank: Int {
        switch self {
        case .customers: 0
        case .products: 1
        case .suppliers: 2
        case .orders: 3
        case .receipts: 4
        case .stock: 5
        case .despatches: 6
        case .cancellations: 7
        }
    }

    /// The engine fields of this feed in the standard layout's column order.
    public var fields: [FieldSpec] { Self.fieldTable[rank] }

    /// Position of a field in `fields`; the schema is fixed, so a missing name is a programming error.
    public func index(of field: String) -> Int {
        guard let index = Self.indexTable[rank][field] else {
            preconditionFailure("feed \(rawValue) has no field \(field)")
        }
        return index
    }

    // Built once: records look fields up by name on every value they read.
    private static let fieldTable: [[FieldSpec]] = allCases.map(\.schema)
    private static let indexTable: [[String: Int]] = fieldTable.map { specs in
        Dictionary(uniqueKeysWithValues: specs.enumerated().map { ($0.element.name, $0.offset) })
    }

    private var schema: [FieldSpec] {
        switch self {
        case .orders:
            [.init("order_ref", .code, required: true), .init("order_date", .date, required: true),
             .init("customer_ref", .code, required: true), .init("line_no", .integer, required: true, line: true),
             .init("sku", .code, required: true, line: true), .init("quantity", .decimal, required: true, line: true),
             .init("unit_price", .decimal, line: true), .init("payment_method", .code), .init("card_number", .text),
             .init("card_expiry", .text), .init("ship_name", .text), .init("ship_address1", .text),
             .init("ship_address2", .text), .init("ship_city", .text), .init("ship_postcode", .text),
             .init("ship_country", .text), .init("priority", .integer), .init("ship_policy", .code),
             .init("currency", .code), .init("line_type", .code, line: true), .init("shipping_charge", .decimal),
             .init("discount", .decimal), .init("unit", .code, line: true)]
        case .customers:
            [.init("customer_ref", .code, required: true), .init("name", .text), .init("terms", .code, required: true),
             .init("credit_limit", .decimal), .init("balance", .decimal), .init("on_stop", .flag), .init("email", .text),
             .init("address1", .text), .init("address2", .text), .init("city", .text), .init("postcode", .text),
             .init("country", .text), .init("ship_policy", .code), .init("currency", .code)]
        case .products:
            [.init("sku", .code, required: true), .init("description", .text), .init("category", .text),
             .init("unit_price", .decimal), .init("drop_ship", .flag), .init("supplier_ref", .code),
             .init("supplier_cost", .decimal), .init("warehouse", .code), .init("bin_location", .text),
             .init("stock_unit", .code), .init("quantity_decimals", .integer), .init("units", .text)]
        case .suppliers:
            [.init("supplier_ref", .code, required: true), .init("name", .text), .init("email", .text),
             .init("po_format", .code)]
        case .receipts:
            [.init("receipt_ref", .code, required: true), .init("sku", .code, required: true),
             .init("quantity", .decimal, required: true), .init("warehouse", .code), .init("received_at", .date),
             .init("unit", .code)]
        case .stock:
            [.init("sku", .code, required: true), .init("warehouse", .code), .init("on_hand", .decimal, required: true),
             .init("counted_at", .date), .init("unit", .code)]
        case .despatches:
            [.init("pick_list_ref", .code, required: true), .init("order_ref", .code, required: true),
             .init("line_no", .integer, required: true), .init("quantity_despatched", .decimal, required: true),
             .init("unit", .code)]
        case .cancellations:
            [.init("order_ref", .code, required: true), .init("line_no", .integer)]
        }
    }

    /// The custom-field entities a mapping for this feed may fill (`order.channel`, `customer.region`, ...).
    public var customEntities: [String] {
        switch self {
        case .orders: ["order", "line"]
        case .customers: ["customer"]
        case .products: ["product"]
        case .suppliers: ["supplier"]
        case .receipts: ["receipt"]
        case .stock: ["stock"]
        case .despatches: ["despatch"]
        case .cancellations: ["cancellation"]
        }
    }
}

/// What kind of value a field holds: decides the dialect conversions applied to it
/// (decimal comma, date patterns) and, for custom fields, how rules compare it.
public enum FieldKind: String, Sendable, Hashable, CaseIterable, Codable {
    case text, code, integer, decimal, date, flag
}

/// One engine field that a mapping may fill from a source column.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var kind: FieldKind
    /// A mapping for this feed must name a source for it.
    public var required: Bool
    /// On an orders feed: a field of the line, not of the order header (not filled down).
    public var isLineField: Bool
    public init(_ name: String, _ kind: FieldKind = .text, required: Bool = false, line: Bool = false) {
        self.name = name; self.kind = kind; self.required = required; self.isLineField = line
    }
}
