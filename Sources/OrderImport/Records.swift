import OrderModel

/// A ship-to address as given on an order; blank fields fall back to the customer's.
public struct ShipTo: Sendable, Hashable, Codable {
    public var name, address1, address2, city, postcode, country: String
    public init(name: String = "", address1: String = "", address2: String = "", city: String = "",
                postcode: String = "", country: String = "") {
        self.name = name; self.address1 = address1; self.address2 = address2
        self.city = city; self.postcode = postcode; self.country = country
    }
}

/// One validated order-file row.
public struct OrderLineInput: Sendable, Hashable {
    public var orderRef: String
    public var orderDate: Timestamp
    public var customerRef: String
    public var lineNo: Int
    /// Blank only on a non-stock line that names no product.
    public var sku: String
    /// As written, in `unit` (converted to the product's stock unit when the line is stored).
    public var quantity: Quantity
    /// Nil means the product's price (a non-stock line always has its own; it may be negative, a discount).
    public var unitPrice: UnitPrice?
    /// The unit the line is written in (in capitals); nil means the product's stock unit.
    public var unit: String? = nil
    /// Nil means the customer's terms.
    public var paymentMethod: PaymentMethod?
    public var card: PaymentCard
    public var cardExpiry: CardExpiry?
    public var shipTo: ShipTo
    public var sourceLine: Int
    /// Sorts before the order date in allocation: higher first (e.g. express = 1).
    public var priority: Int = 0
    /// Nil means the customer's policy, else the configured default.
    public var shipPolicy: ShipPolicy? = nil
    /// The currency the order's prices are in; nil means its customer's.
    public var currency: CurrencyCode? = nil
    /// Custom fields of the order (`order.*`) and of the line (`line.*`), by qualified name.
    public var custom: [String: String] = [:]
    /// For XML: the record's number and path.
    public var location: String? = nil
    /// A non-stock line (gift wrap, shipping, a discount) only counts in the order's value.
    public var kind: LineKind = .stock
    /// Order-level amounts from the order's columns (nil: none): counted like non-stock lines.
    public var shippingCharge: Money? = nil
    /// A positive amount taken off the order's value.
    public var discount: Money? = nil
}

/// A whole order, all of whose rows were valid.
public struct OrderInput: Sendable, Hashable {
    public var orderRef: String
    public var orderDate: Timestamp
    public var customerRef: String
    public var paymentMethod: PaymentMethod?
    public var card: PaymentCard
    public var cardExpiry: CardExpiry?
    public var shipTo: ShipTo
    public var sourceLine: Int
    public var priority: Int = 0
    public var shipPolicy: ShipPolicy? = nil
    public var currency: CurrencyCode? = nil
    public var shippingCharge: Money? = nil
    public var discount: Money? = nil
    /// Stock and non-stock lines together, by line number (they share the numbering).
    public var lines: [OrderLineInput]
    /// `order.*` custom fields, from the order's first row.
    public var custom: [String: String]
}

public struct CustomerInput: Sendable, Hashable {
    public var customerRef: String
    public var name: String
    public var terms: PaymentMethod
    public var creditLimit: Money
    public var balance: Money
    public var onStop: Bool
    public var email, address1, address2, city, postcode, country: String
    public var sourceLine: Int
    public var custom: [String: String] = [:]
    public var shipPolicy: ShipPolicy? = nil
    /// The currency of the credit limit and balance; nil means the home's.
    public var currency: CurrencyCode? = nil
}

public struct ProductInput: Sendable, Hashable {
    public var sku: String
    public var description: String
    public var category: String
    public var unitPrice: UnitPrice
    public var dropShip: Bool
    public var supplierRef: String?
    public var supplierCost: UnitPrice?
    /// Nil means the configured default warehouse.
    public var warehouse: String?
    public var binLocation: String
    public var sourceLine: Int
    public var custom: [String: String] = [:]
    /// The unit stock is kept and allocated in (`EA`, `KGM`), in capitals.
    public var stockUnit: String = "EA"
    /// How many decimals a quantity of this product may have in its stock unit (0 to 3).
    public var quantityDecimals: Int = 0
    /// The product's own conversions into its stock unit (`CS=12`).
    public var units: UnitConversions = .none
}

public struct SupplierInput: Sendable, Hashable {
    /// What a supplier's purchase orders are written as: `csv` or `xml` (the standard layouts), or the name of
    /// an output mapping (issue 16). A name of lower-case letters, digits, `-` and `_`, starting with a letter or
    /// digit, at most 64 long: it names a file, so it can hold no path.
    public struct POFormat: RawRepresentable, Sendable, Hashable, Codable {
        public let rawValue: String
        /// Nil when `rawValue` is not such a name (upper case included: the decoder lower-cases first).
        public init?(rawValue: String) {
            let bytes = Array(rawValue.utf8)
            func allowed(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
            guard let first = bytes.first, bytes.count <= 64, allowed(first),
                  bytes.allSatisfy({ allowed($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else { return nil }
            self.rawValue = rawValue
        }
        private init(known: String) { rawValue = known }
        /// Today's CSV layout, the default.
        public static let csv = POFormat(known: "csv")
        /// Today's XML layout.
        public static let xml = POFormat(known: "xml")
    }
    public var supplierRef: String
    public var name: String
    public var email: String
    public var poFormat: POFormat
    public var sourceLine: Int
    public var custom: [String: String] = [:]
}

public struct ReceiptInput: Sendable, Hashable {
    public var receiptRef: String
    public var sku: String
    /// As written, in `unit`.
    public var quantity: Quantity
    /// The unit the receipt is written in; nil means the product's stock unit.
    public var unit: String? = nil
    /// Nil means the product's warehouse.
    public var warehouse: String?
    /// Nil means the engine's clock.
    public var receivedAt: Timestamp?
    public var sourceLine: Int
    public var custom: [String: String] = [:]
}

/// A stock count: the absolute quantity on hand of a sku in a warehouse.
public struct StockCountInput: Sendable, Hashable {
    public var sku: String
    /// Nil means the product's warehouse.
    public var warehouse: String?
    /// As written, in `unit`.
    public var onHand: Quantity
    public var countedAt: Timestamp?
    public var sourceLine: Int
    /// The unit the count is written in; nil means the product's stock unit.
    public var unit: String? = nil
}

/// A warehouse's confirmation of what it despatched from a pick list line.
public struct DespatchInput: Sendable, Hashable {
    public var pickListRef: String
    public var orderRef: String
    public var lineNo: Int
    /// As written, in `unit`.
    public var quantity: Quantity
    public var sourceLine: Int
    /// The unit the confirmation is written in; nil means the product's stock unit.
    public var unit: String? = nil
}

/// A cancellation of an order, or of one of its lines.
public struct CancellationInput: Sendable, Hashable {
    public var orderRef: String
    public var lineNo: Int?
    public var sourceLine: Int
}
