import Foundation
import OrderModel
import OrderStore
import OrderRules

/// Loads what rules see of a set of orders: order, customer, lines and products, from the store's rows
/// (a few set-based queries), building only the fields a rule reads.
struct FactsLoader {
    let tx: StoreTransaction
    let catalog: FieldCatalog
    let money: MoneyFormat
    let today: Int64
    /// The fields to load per entity (`order`, `customer`, `line`, `product`); nil loads every field.
    /// A rule reads a handful of fields: loading only those spares building the rest for every order.
    private let wanted: [String: Set<String>]?

    /// The fields wanted of one entity, asked once for each field of each row: a short list compared in
    /// place (field names are short strings, compared without hashing) where a set hashed the name every
    /// time, a tenth of a 300,000-line pick list's cost through an output mapping.
    struct Wanted {
        /// Nil: every field.
        let names: [String]?
        init(_ names: Set<String>?) { self.names = names.map { $0.sorted() } }
        /// Whether the entity is read at all (its custom fields are then added).
        var any: Bool { names.map { !$0.isEmpty } ?? true }
        @inline(__always)
        func contains(_ name: String) -> Bool { names.map { $0.contains(name) } ?? true }
    }

    init(tx: StoreTransaction, catalog: FieldCatalog, money: MoneyFormat, today: Int64, fields: Set<String>? = nil) {
        self.tx = tx; self.catalog = catalog; self.money = money; self.today = today
        // What the step itself reads of every order and line, whatever the rule: the order's ref, the
        // line's number and stage.
        wanted = fields.map { fields in
            var byEntity: [String: Set<String>] = ["order": ["ref"], "line": ["line_no", "stage"], "customer": [], "product": []]
            for field in fields {
                guard let dot = field.firstIndex(of: ".") else { continue }
                byEntity[String(field[..<dot]), default: []].insert(String(field[field.index(after: dot)...]))
            }
            return byEntity
        }
    }

    /// A rule's necessary condition as a filter the store may check in SQL; nil when its values are not
    /// all text or true/false (the rule itself checks it then, as it checks every condition).
    static func filter(_ condition: Rule.Condition) -> RuleFactFilter? {
        guard let comparison = RuleFactFilter.Comparison(rawValue: condition.op) else { return nil }
        var literals: [RuleFactFilter.Literal] = []
        for value in condition.values {
            switch value {
            case .text(let t): literals.append(.text(t))
            case .bool(let b): literals.append(.bool(b))
            default: return nil
            }
        }
        return RuleFactFilter(field: "\(condition.entity).\(condition.field)", comparison: comparison, literals: literals)
    }

    /// Orders with at least one line in `stages` (all orders when nil), oldest first; `prefilter` narrows them in SQL.
    func orderIDs(stages: [Stage]?, excludingOverridesFor rule: String? = nil, prefilter: [Rule.Condition] = []) throws -> [Int64] {
        try tx.ruleFactOrderIDs(stages: stages, excludingOverridesFor: rule, prefilter: prefilter.compactMap(Self.filter))
    }

    /// Whether an order's own fields, as wanted, are computed from all of its lines (`order.total`,
    /// `order.stage`, ...): then `load` keeps every line whatever its `keep` says.
    var ordersReadTheirLines: Bool {
        let order = Wanted(wanted?["order"])
        return Wanted(wanted?["line"]).contains("value") || ["total", "item_count", "line_count", "stage", "days_in_stage"].contains { order.contains($0) }
    }

    /// The facts of the orders `ids`.
    /// - Parameters:
    ///   - keep: the lines to read, by order id (the others are left out of `OrderFacts.lines`), for a caller
    ///     that reads only some lines of each order and no fact of all of them together; ignored when an
    ///     order's wanted fields need all its lines (`ordersReadTheirLines`). Nil reads every line.
    ///   - oldestFirst: the orders oldest first, as the rules take them; a caller that looks them up by id
    ///     spares the sort.
    ///   - decorate: adds a caller's own fields to a line as it is built (a document's `line.allocated`): a line
    ///     changed after it was loaded is copied whole, its table shared with its order's.
    func load(_ ids: [Int64], keep: [Int64: [Int64]]? = nil, oldestFirst: Bool = true,
              decorate: ((Int64, inout [String: Value]) -> Void)? = nil) throws -> [OrderFacts] {
        guard !ids.isEmpty else { return [] }
        let keep = ordersReadTheirLines ? nil : keep
        var result: [OrderFacts] = []
        result.reserveCapacity(ids.count)
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            result += try loadChunk(chunk, keep: keep, oldestFirst: oldestFirst, decorate: decorate)
        }
        return result
    }

    func day(_ text: String?) -> Int64? {
        text.flatMap { Timestamp(iso8601: $0) }.map(\.day)
    }

    func number(_ minor: Int64?) -> Value {
        minor.map { .number(amount($0)) } ?? .null
    }

    /// Minor units as a decimal amount in the home's currency.
    func amount(_ minor: Int64) -> Decimal {
        Decimal(sign: minor < 0 ? .minus : .plus, exponent: -money.fractionDigits, significand: Decimal(minor.magnitude))
    }

    /// A unit price (ten-thousandths of the minor unit) as a decimal amount, exactly: `0.0425`.
    func price(_ price: UnitPrice) -> Decimal {
        Decimal(sign: price.tenThousandths < 0 ? .minus : .plus, exponent: -(money.fractionDigits + UnitPrice.extraDecimals),
                significand: Decimal(price.tenThousandths.magnitude))
    }

    func priceValue(_ price: UnitPrice?) -> Value {
        price.map { .number(self.price($0)) } ?? .null
    }

    /// A quantity as the decimal it is: `12.75`.
    static func decimal(_ quantity: Quantity) -> Decimal {
        Decimal(sign: quantity.thousandths < 0 ? .minus : .plus, exponent: -3, significand: Decimal(quantity.thousandths.magnitude))
    }

    func text(_ s: String?) -> Value { s.map(Value.text) ?? .null }

    /// Adds the custom fields (a JSON object, often absent) when the entity is read at all (`wants` nil or not
    /// empty): a custom field may stand in for a built-in one, so they are not picked one by one.
    func custom(_ json: String?, entity: String, wants: Set<String>?, into values: inout [String: Value]) {
        custom(json, entity: entity, wants: Wanted(wants), into: &values)
    }

    func custom(_ json: String?, entity: String, wants: Wanted, into values: inout [String: Value]) {
        guard wants.any, let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String] else { return }
        for (key, raw) in object {
            let name = key.hasPrefix(entity + ".") ? String(key.dropFirst(entity.count + 1)) : key
            switch catalog.type(entity: entity, name: name) {
            case .number?: values[name] = Decimal(string: raw, locale: Locale(identifier: "en_US_POSIX")).map(Value.number) ?? .null
            case .date?: values[name] = day(raw).map(Value.date) ?? .null
            case .bool?: values[name] = .bool(raw == "true")
            case .text?, nil: values[name] = .text(raw)
            }
        }
    }

    func loadChunk(_ ids: [Int64], keep: [Int64: [Int64]]? = nil, oldestFirst: Bool = true, decorate: ((Int64, inout [String: Value]) -> Void)? = nil) throws -> [OrderFacts] {
        var lines: [Int64: [Facts]] = [:]
        // Only the fields wanted are built (all when no set was given); `put` skips the others unevaluated,
        // and the store's rows decode a column only when it is read.
        let (lineWants, productWants, orderWants, customerWants) = (Wanted(wanted?["line"]), Wanted(wanted?["product"]),
                                                                    Wanted(wanted?["order"]), Wanted(wanted?["customer"]))
        func put(_ values: inout [String: Value], _ wants: Wanted, _ name: String, _ value: @autoclosure () -> Value) {
            if wants.contains(name) { values[name] = value() }
        }
        // What the order's own fields need of its lines, computed only when one of those fields is read: a
        // document that prints the order's ref and ship-to computes no line value, no stage, no date.
        let needsValue = lineWants.contains("value") || orderWants.contains("total")
        let needsQuantity = orderWants.contains("item_count")
        let needsLive = needsValue || needsQuantity || orderWants.contains("line_count") || orderWants.contains("stage")
            || orderWants.contains("days_in_stage")
        let needsOrderDay = orderWants.contains("date") || orderWants.contains("age_days")
        // Room for the fields wanted and the two a document adds to each line (`line.allocated`,
        // `line.bin_location`): a document's copy of the line then needs no larger table.
        let lineCapacity = (lineWants.names?.count ?? 9) + 2
        /// What the order's own fields are computed from, per line.
        struct Facts { var line: LineFacts; var stage: String; var stageSince: String; var value: Decimal?; var quantity: Decimal }
        let forEachLine = { (body: (RuleFactLineRow) throws -> Void) throws in
            if let keep { try tx.forEachRuleFactLine(ids: ids.flatMap { keep[$0] ?? [] }, body) } else { try tx.forEachRuleFactLine(ofOrders: ids, body) }
        }
        try forEachLine { row in
            let quantity = row.quantity
            let price = row.price
            // The line value as everywhere (`LineValue`, rounded to the minor unit); one beyond Int64 is the exact
            // Decimal product: a large number to a rule, not a trap.
            let value = needsValue ? price.map { p in
                (try? LineValue.of(quantity, at: p)).map { amount($0.minorUnits) } ?? self.price(p) * Self.decimal(quantity)
            } : nil
            let stage = needsLive ? row.stage : "", stageSince = needsLive ? row.stageSince : ""
            var line: [String: Value] = [:]
            line.reserveCapacity(lineCapacity)
            put(&line, lineWants, "line_no", .number(Decimal(row.lineNo)))
            put(&line, lineWants, "sku", .text(row.sku))
            put(&line, lineWants, "quantity", .number(Self.decimal(quantity)))
            put(&line, lineWants, "unit_price", priceValue(price))
            put(&line, lineWants, "value", value.map(Value.number) ?? .null)
            put(&line, lineWants, "stage", .text(row.stage))
            put(&line, lineWants, "days_in_stage", day(row.stageSince).map { .number(Decimal(today - $0)) } ?? .null)
            put(&line, lineWants, "warehouse", text(row.warehouse))
            put(&line, lineWants, "unit_as_written", text(row.unitAsWritten))
            custom(row.custom, entity: "line", wants: lineWants, into: &line)
            decorate?(row.lineID, &line)
            var product: [String: Value]? = nil
            if row.hasProduct {
                var p: [String: Value] = [:]
                p.reserveCapacity(productWants.names?.count ?? 11)
                put(&p, productWants, "sku", .text(row.productSKU))
                put(&p, productWants, "description", .text(row.productDescription))
                put(&p, productWants, "category", .text(row.productCategory))
                put(&p, productWants, "unit_price", priceValue(row.productPrice))
                put(&p, productWants, "drop_ship", .bool(row.productDropShip))
                put(&p, productWants, "supplier_ref", text(row.productSupplierRef))
                put(&p, productWants, "supplier_cost", priceValue(row.productSupplierCost))
                put(&p, productWants, "warehouse", text(row.productWarehouse))
                put(&p, productWants, "bin_location", text(row.productBinLocation))
                put(&p, productWants, "stock_unit", text(row.productStockUnit))
                put(&p, productWants, "quantity_decimals", .number(Decimal(row.productQuantityDecimals)))
                custom(row.productCustom, entity: "product", wants: productWants, into: &p)
                product = p
            }
            lines[row.orderID, default: []].append(Facts(line: LineFacts(lineID: row.lineID, line: line, product: product),
                                                         stage: stage, stageSince: stageSince, value: value,
                                                         quantity: needsQuantity ? Self.decimal(quantity) : 0))
        }
        // Non-stock lines count in the order's total only (rules' `line` facts are the stock lines).
        var charges: [Int64: Decimal] = [:]
        if orderWants.contains("total") {
            for charge in try tx.ruleFactCharges(ofOrders: ids) {
                charges[charge.orderID, default: 0] += amount(charge.value)
            }
        }
        var out: [OrderFacts] = []
        try tx.forEachRuleFactOrder(ofOrders: ids, oldestFirst: oldestFirst) { row in
            let id = row.orderID
            let orderLines = lines[id] ?? []
            let live = needsLive ? orderLines.filter { $0.stage != Stage.cancelled.rawValue } : []
            let known = row.hasCustomer
            var customer: [String: Value]? = nil
            if known {
                var c: [String: Value] = [:]
                c.reserveCapacity(customerWants.names?.count ?? 13)
                put(&c, customerWants, "ref", .text(row.customerRef))
                put(&c, customerWants, "name", .text(row.customerName))
                put(&c, customerWants, "terms", .text(row.customerTerms))
                put(&c, customerWants, "credit_limit", number(row.customerCreditLimit))
                put(&c, customerWants, "balance", number(row.customerBalance))
                put(&c, customerWants, "on_stop", .bool(row.customerOnStop))
                put(&c, customerWants, "email", .text(row.customerEmail))
                put(&c, customerWants, "address1", .text(row.customerAddress1))
                put(&c, customerWants, "address2", .text(row.customerAddress2))
                put(&c, customerWants, "city", .text(row.customerCity))
                put(&c, customerWants, "postcode", .text(row.customerPostcode))
                put(&c, customerWants, "country", .text(row.customerCountry))
                put(&c, customerWants, "currency", text(row.customerCurrency))
                custom(row.customerCustom, entity: "customer", wants: customerWants, into: &c)
                customer = c
            }
            let orderDay = needsOrderDay ? day(row.orderDate) : nil
            var order: [String: Value] = [:]
            order.reserveCapacity(orderWants.names?.count ?? 20)
            put(&order, orderWants, "ref", .text(row.orderRef))
            put(&order, orderWants, "date", orderDay.map(Value.date) ?? .null)
            put(&order, orderWants, "total", .number(live.reduce(charges[id] ?? 0) { $0 + ($1.value ?? 0) }))
            put(&order, orderWants, "item_count", .number(live.reduce(Decimal(0)) { $0 + $1.quantity }))
            put(&order, orderWants, "line_count", .number(Decimal(live.count)))
            put(&order, orderWants, "payment_method", text(row.paymentMethod ?? (known ? row.customerTerms : nil)))
            put(&order, orderWants, "customer_ref", .text(row.customerRef))
            put(&order, orderWants, "currency", text(row.currency))
            put(&order, orderWants, "credit_state", .text(row.creditState.rawValue))
            put(&order, orderWants, "stage", {
                let stages = Set(live.map(\.stage))
                return stages.count == 1 ? .text(stages.first!) : (stages.isEmpty ? .null : .text("mixed"))
            }())
            put(&order, orderWants, "days_in_stage", live.compactMap { day($0.stageSince) }.max().map { .number(Decimal(today - $0)) } ?? .null)
            put(&order, orderWants, "age_days", orderDay.map { .number(Decimal(today - $0)) } ?? .null)
            put(&order, orderWants, "ship_name", .text(row.shipName))
            put(&order, orderWants, "ship_address1", .text(row.shipAddress1))
            put(&order, orderWants, "ship_address2", .text(row.shipAddress2))
            put(&order, orderWants, "ship_city", .text(row.shipCity))
            put(&order, orderWants, "ship_postcode", .text(row.shipPostcode))
            put(&order, orderWants, "ship_country", .text(row.shipCountry))
            custom(row.custom, entity: "order", wants: orderWants, into: &order)
            out.append(OrderFacts(orderID: id, order: order, customer: customer, lines: orderLines.map(\.line)))
        }
        return out
    }
}
