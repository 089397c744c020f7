/// A kind of input file, with the engine fields that a mapping can fill.
///
/// The order of the cases is the import order within a cycle: master data
/// (customers, products, suppliers) always lands before the orders and receipts
/// that refer to it, whatever the files' ages.
public enum Feed: String, Sendable, CaseIterable, Codable, Comparable {
    case customers, products, suppliers, orders, receipts

    public static func < (a: Feed, b: Feed) -> Bool { a.rank < b.rank }
    var rank: Int { Feed.allCases.firstIndex(of: self)! }

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
            [.init("order_ref", required: true), .init("order_date", required: true), .init("customer_ref", required: true),
             .init("line_no", required: true), .init("sku", required: true), .init("quantity", required: true),
             .init("unit_price"), .init("payment_method"), .init("card_number"), .init("card_expiry"),
             .init("ship_name"), .init("ship_address1"), .init("ship_address2"), .init("ship_city"),
             .init("ship_postcode"), .init("ship_country")]
        case .customers:
            [.init("customer_ref", required: true), .init("name"), .init("terms", required: true), .init("credit_limit"),
             .init("balance"), .init("on_stop"), .init("email"), .init("address1"), .init("address2"), .init("city"),
             .init("postcode"), .init("country")]
        case .products:
            [.init("sku", required: true), .init("description"), .init("category"), .init("unit_price"), .init("drop_ship"),
             .init("supplier_ref"), .init("supplier_cost"), .init("warehouse"), .init("bin_location")]
        case .suppliers:
            [.init("supplier_ref", required: true), .init("name"), .init("email"), .init("po_format")]
        case .receipts:
            [.init("receipt_ref", required: true), .init("sku", required: true), .init("quantity", required: true),
             .init("warehouse"), .init("received_at")]
        }
    }
}

/// One engine field that a mapping may fill from a source column.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    /// A mapping for this feed must name a source for it.
    public var required: Bool
    public init(_ name: String, required: Bool = false) { self.name = name; self.required = required }
}
