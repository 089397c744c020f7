/// The fields a rule can test: the built-in ones and the custom fields the mappings define.
///
/// Users extend what rules can see by adding custom fields to a mapping; the catalog is
/// built from those declarations, so a rule naming a field that no mapping fills is an
/// error at load time, not a silent null.
public struct FieldCatalog: Sendable {
    public private(set) var fields: [String: [String: ValueType]]

    public static let builtIn: [String: [String: ValueType]] = [
        "order": [
            "ref": .text, "date": .date, "total": .number, "item_count": .number, "line_count": .number,
            "payment_method": .text, "customer_ref": .text, "ship_name": .text, "ship_address1": .text,
            "ship_address2": .text, "ship_city": .text, "ship_postcode": .text, "ship_country": .text,
            "stage": .text, "days_in_stage": .number, "age_days": .number, "credit_state": .text, "currency": .text,
        ],
        "line": [
            "line_no": .number, "sku": .text, "quantity": .number, "unit_price": .number, "value": .number,
            "stage": .text, "days_in_stage": .number, "warehouse": .text, "unit_as_written": .text,
        ],
        "customer": [
            "ref": .text, "name": .text, "terms": .text, "credit_limit": .number, "balance": .number, "on_stop": .bool,
            "email": .text, "address1": .text, "address2": .text, "city": .text, "postcode": .text, "country": .text,
            "currency": .text,
        ],
        "product": [
            "sku": .text, "description": .text, "category": .text, "unit_price": .number, "drop_ship": .bool,
            "supplier_ref": .text, "supplier_cost": .number, "warehouse": .text, "bin_location": .text,
            "stock_unit": .text, "quantity_decimals": .number,
        ],
    ]

    /// The entities whose fields belong to one line (a row of a document): an order-level expression reads
    /// them only inside `any line:`, `sum`, `count`.
    public private(set) var lineEntities: Set<String> = ["line", "product"]

    public init() { fields = Self.builtIn }

    /// A catalog of exactly these entities, for an output document whose fields are not an order's
    /// (an exception report's rows). `lineEntities` are the per-row ones.
    public init(entities: [String: [String: ValueType]], lineEntities: Set<String>) {
        fields = entities
        self.lineEntities = lineEntities
    }

    /// Adds an entity an output document provides (`document`, `supplier`, `exception`), or more fields
    /// to one already known; `perLine` says whether its values belong to each row.
    public mutating func addEntity(_ entity: String, fields added: [String: ValueType], perLine: Bool) {
        fields[entity, default: [:]].merge(added) { current, _ in current }
        if perLine { lineEntities.insert(entity) }
    }

    /// The entities, sorted, for messages.
    var entityNames: [String] { fields.keys.sorted() }

    /// Adds a custom field (`order.channel` as text, `product.hazardous` as bool, ...).
    public mutating func addCustom(entity: String, name: String, type: ValueType) {
        guard fields[entity] != nil, fields[entity]?[name] == nil else { return }
        fields[entity, default: [:]][name] = type
    }

    public func type(entity: String, name: String) -> ValueType? { fields[entity]?[name] }

    /// The closest known field names, for "did you mean".
    func suggestions(entity: String, name: String) -> [String] {
        let all = fields.flatMap { e, names in names.keys.map { "\(e).\($0)" } }
        let target = "\(entity).\(name)"
        return all.map { ($0, Self.distance($0, target)) }.filter { $0.1 <= 2 }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

/// What a rule sees of one order: its fields, its customer's and its lines with their products.
public struct OrderFacts: Sendable {
    public var orderID: Int64
    public var order: [String: Value]
    /// Nil when the customer is unknown: every customer field is then null.
    public var customer: [String: Value]?
    public var lines: [LineFacts]
    /// Entities beyond order and customer that an output document adds at its own level (`document.ref`,
    /// `supplier.name`), by entity then field; rules over orders leave it empty.
    public var entities: [String: [String: Value]]
    public init(orderID: Int64, order: [String: Value], customer: [String: Value]?, lines: [LineFacts],
                entities: [String: [String: Value]] = [:]) {
        self.orderID = orderID; self.order = order; self.customer = customer; self.lines = lines; self.entities = entities
    }
}

public struct LineFacts: Sendable {
    public var lineID: Int64
    public var line: [String: Value]
    /// Nil when the product is unknown.
    public var product: [String: Value]?
    /// Entities beyond line and product that an output document adds per row (`exception.reason`).
    public var entities: [String: [String: Value]]
    public init(lineID: Int64, line: [String: Value], product: [String: Value]?, entities: [String: [String: Value]] = [:]) {
        self.lineID = lineID; self.line = line; self.product = product; self.entities = entities
    }
}
