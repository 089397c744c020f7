import Foundation
import GRDB
import OrderModel
import OrderStore
import OrderRules

/// Loads what rules see of a set of orders: order, customer, lines and products, in a few set-based queries.
struct FactsLoader {
    let db: Database
    let catalog: FieldCatalog
    let money: MoneyFormat
    let today: Int64
    /// The fields to load per entity (`order`, `customer`, `line`, `product`); nil loads every field.
    /// A rule reads a handful of fields: loading only those spares building the rest for every order.
    private let wanted: [String: Set<String>]?

    init(db: Database, catalog: FieldCatalog, money: MoneyFormat, today: Int64, fields: Set<String>? = nil) {
        self.db = db; self.catalog = catalog; self.money = money; self.today = today
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

    /// SQL for the rule fields that map straight onto a column (text and true/false only).
    static let columns: [String: String] = [
        "customer.terms": "c.terms", "customer.ref": "c.customer_ref", "customer.name": "c.name", "customer.city": "c.city",
        "customer.country": "c.country", "customer.postcode": "c.postcode", "customer.on_stop": "c.on_stop",
        "order.ref": "o.order_ref", "order.customer_ref": "o.customer_ref", "order.credit_state": "o.credit_state",
        "order.payment_method": "COALESCE(o.payment_method, c.terms)", "order.ship_country": "o.ship_country",
        "order.ship_city": "o.ship_city", "order.ship_postcode": "o.ship_postcode", "order.ship_name": "o.ship_name",
    ]

    /// The SQL for a rule's necessary conditions that can be checked in the database; nil for the others.
    static func sql(_ condition: Rule.Condition) -> (String, StatementArguments)? {
        guard let column = columns["\(condition.entity).\(condition.field)"] else { return nil }
        var args: StatementArguments = []
        for value in condition.values {
            switch value {
            case .text(let t): args += [t]
            case .bool(let b): args += [b]
            default: return nil
            }
        }
        if condition.op == "in" { return ("\(column) IN (\(databaseQuestionMarks(count: condition.values.count)))", args) }
        return ("\(column) \(condition.op) ?", args)
    }

    /// Orders with at least one line in `stages` (all orders when nil), oldest first; `prefilter` narrows them in SQL.
    func orderIDs(stages: [String]?, excludingOverridesFor rule: String? = nil, prefilter: [Rule.Condition] = []) throws -> [Int64] {
        var sql: String
        var args: StatementArguments = []
        if let stages {
            // Start from the lines at those stages (an index range), not from every order.
            sql = """
                SELECT o.id FROM (SELECT DISTINCT order_id FROM order_line WHERE stage IN (\(databaseQuestionMarks(count: stages.count)))) x
                JOIN sales_order o ON o.id = x.order_id LEFT JOIN customer c ON c.customer_ref = o.customer_ref WHERE 1
                """
            args += StatementArguments(stages)
        } else {
            sql = "SELECT o.id FROM sales_order o LEFT JOIN customer c ON c.customer_ref = o.customer_ref WHERE 1"
        }
        for condition in prefilter {
            guard let (clause, values) = Self.sql(condition) else { continue }
            sql += " AND \(clause)"
            args += values
        }
        if let rule {
            sql += " AND NOT EXISTS (SELECT 1 FROM rule_override r WHERE r.order_id = o.id AND r.rule = ?)"
            args += [rule]
        }
        sql += " ORDER BY o.order_date, o.id"
        return try Int64.fetchAll(db, sql: sql, arguments: args)
    }

    func load(_ ids: [Int64]) throws -> [OrderFacts] {
        guard !ids.isEmpty else { return [] }
        var result: [OrderFacts] = []
        result.reserveCapacity(ids.count)
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            result += try loadChunk(chunk)
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
        guard wants.map({ !$0.isEmpty }) ?? true, let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String] else { return }
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

    func loadChunk(_ ids: [Int64]) throws -> [OrderFacts] {
        let marks = databaseQuestionMarks(count: ids.count)
        let args = StatementArguments(ids)
        var lines: [Int64: [Facts]] = [:]
        let lineQuery = try db.makeStatement(sql: """
            SELECT l.id, l.order_id, l.line_no, l.sku, l.quantity, COALESCE(l.unit_price, p.unit_price) AS price, l.stage,
                   l.stage_since, COALESCE(l.warehouse, p.warehouse) AS warehouse, l.custom, l.unit_as_written,
                   p.sku AS p_sku, p.description, p.category, p.unit_price AS p_price, p.drop_ship, p.supplier_ref,
                   p.supplier_cost, p.warehouse AS p_warehouse, p.bin_location, p.custom AS p_custom,
                   p.stock_unit, p.quantity_decimals
            FROM order_line l LEFT JOIN product p ON p.sku = l.sku
            WHERE l.order_id IN (\(marks)) ORDER BY l.order_id, l.line_no
            """)
        let lc = ColumnIndex(lineQuery)
        // Only the fields wanted are built (all when no set was given); `put` skips the others unevaluated.
        let (lineWants, productWants, orderWants, customerWants) = (wanted?["line"], wanted?["product"], wanted?["order"], wanted?["customer"])
        func put(_ values: inout [String: Value], _ wants: Set<String>?, _ name: String, _ value: @autoclosure () -> Value) {
            if wants?.contains(name) ?? true { values[name] = value() }
        }
        /// What the order's own fields are computed from, per line.
        struct Facts { var line: LineFacts; var stage: String; var stageSince: String; var value: Decimal?; var quantity: Decimal }
        for row in try Row.fetchAll(lineQuery, arguments: args) {
            let quantity: Quantity = row[lc.quantity]
            let price: UnitPrice? = row[lc.price]
            // The line value as everywhere (`LineValue`, rounded to the minor unit); one beyond Int64 is the exact
            // Decimal product: a large number to a rule, not a trap.
            let value = price.map { p in
                (try? LineValue.of(quantity, at: p)).map { amount($0.minorUnits) } ?? self.price(p) * Self.decimal(quantity)
            }
            let stage: String = row[lc.stage], stageSince: String = row[lc.stage_since]
            var line: [String: Value] = [:]
            put(&line, lineWants, "line_no", .number(Decimal(row[lc.line_no] as Int)))
            put(&line, lineWants, "sku", .text(row[lc.sku]))
            put(&line, lineWants, "quantity", .number(Self.decimal(quantity)))
            put(&line, lineWants, "unit_price", priceValue(price))
            put(&line, lineWants, "value", value.map(Value.number) ?? .null)
            put(&line, lineWants, "stage", .text(stage))
            put(&line, lineWants, "days_in_stage", day(stageSince).map { .number(Decimal(today - $0)) } ?? .null)
            put(&line, lineWants, "warehouse", text(row[lc.warehouse]))
            put(&line, lineWants, "unit_as_written", text(row[lc.unit_as_written]))
            custom(row[lc.custom], entity: "line", wants: lineWants, into: &line)
            var product: [String: Value]? = nil
            if row[lc.p_sku] as String? != nil {
                var p: [String: Value] = [:]
                put(&p, productWants, "sku", .text(row[lc.p_sku]))
                put(&p, productWants, "description", .text(row[lc.description]))
                put(&p, productWants, "category", .text(row[lc.category]))
                put(&p, productWants, "unit_price", priceValue(row[lc.p_price]))
                put(&p, productWants, "drop_ship", .bool(row[lc.drop_ship]))
                put(&p, productWants, "supplier_ref", text(row[lc.supplier_ref]))
                put(&p, productWants, "supplier_cost", priceValue(row[lc.supplier_cost]))
                put(&p, productWants, "warehouse", text(row[lc.p_warehouse]))
                put(&p, productWants, "bin_location", text(row[lc.bin_location]))
                put(&p, productWants, "stock_unit", text(row[lc.stock_unit]))
                put(&p, productWants, "quantity_decimals", .number(Decimal(row[lc.quantity_decimals] as Int)))
                custom(row[lc.p_custom], entity: "product", wants: productWants, into: &p)
                product = p
            }
            lines[row[lc.order_id], default: []].append(Facts(line: LineFacts(lineID: row[lc.id], line: line, product: product),
                                                               stage: stage, stageSince: stageSince, value: value,
                                                               quantity: Self.decimal(quantity)))
        }
        // Non-stock lines count in the order's total only (rules' `line` facts are the stock lines).
        var charges: [Int64: Decimal] = [:]
        if orderWants?.contains("total") ?? true {
            for row in try Row.fetchAll(db, sql: "SELECT order_id, value FROM order_charge WHERE order_id IN (\(marks))", arguments: args) {
                charges[row[0], default: 0] += amount(row[1])
            }
        }
        var out: [OrderFacts] = []
        let orderQuery = try db.makeStatement(sql: """
            SELECT o.*, c.customer_ref AS c_ref, c.name AS c_name, c.terms, c.credit_limit, c.balance, c.on_stop, c.email,
                   c.address1, c.address2, c.city, c.postcode, c.country, c.currency AS c_currency, c.custom AS c_custom
            FROM sales_order o LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE o.id IN (\(marks)) ORDER BY o.order_date, o.id
            """)
        let oc = ColumnIndex(orderQuery)
        for row in try Row.fetchAll(orderQuery, arguments: args) {
            let id: Int64 = row[oc.id]
            let orderLines = lines[id] ?? []
            let live = orderLines.filter { $0.stage != "cancelled" }
            var customer: [String: Value]? = nil
            if row[oc.c_ref] as String? != nil {
                var c: [String: Value] = [:]
                put(&c, customerWants, "ref", .text(row[oc.c_ref]))
                put(&c, customerWants, "name", .text(row[oc.c_name]))
                put(&c, customerWants, "terms", .text(row[oc.terms]))
                put(&c, customerWants, "credit_limit", number(row[oc.credit_limit]))
                put(&c, customerWants, "balance", number(row[oc.balance]))
                put(&c, customerWants, "on_stop", .bool(row[oc.on_stop]))
                put(&c, customerWants, "email", .text(row[oc.email]))
                put(&c, customerWants, "address1", .text(row[oc.address1]))
                put(&c, customerWants, "address2", .text(row[oc.address2]))
                put(&c, customerWants, "city", .text(row[oc.city]))
                put(&c, customerWants, "postcode", .text(row[oc.postcode]))
                put(&c, customerWants, "country", .text(row[oc.country]))
                put(&c, customerWants, "currency", text(row[oc.c_currency]))
                custom(row[oc.c_custom], entity: "customer", wants: customerWants, into: &c)
                customer = c
            }
            let orderDay = day(row[oc.order_date])
            var order: [String: Value] = [:]
            put(&order, orderWants, "ref", .text(row[oc.order_ref]))
            put(&order, orderWants, "date", orderDay.map(Value.date) ?? .null)
            put(&order, orderWants, "total", .number(live.reduce(charges[id] ?? 0) { $0 + ($1.value ?? 0) }))
            put(&order, orderWants, "item_count", .number(live.reduce(Decimal(0)) { $0 + $1.quantity }))
            put(&order, orderWants, "line_count", .number(Decimal(live.count)))
            put(&order, orderWants, "payment_method", text(row[oc.payment_method] ?? (row[oc.c_ref] as String? != nil ? row[oc.terms] : nil)))
            put(&order, orderWants, "customer_ref", .text(row[oc.customer_ref]))
            put(&order, orderWants, "currency", text(row[oc.currency]))
            put(&order, orderWants, "credit_state", .text(row[oc.credit_state]))
            put(&order, orderWants, "stage", {
                let stages = Set(live.map(\.stage))
                return stages.count == 1 ? .text(stages.first!) : (stages.isEmpty ? .null : .text("mixed"))
            }())
            put(&order, orderWants, "days_in_stage", live.compactMap { day($0.stageSince) }.max().map { .number(Decimal(today - $0)) } ?? .null)
            put(&order, orderWants, "age_days", orderDay.map { .number(Decimal(today - $0)) } ?? .null)
            for key in ["ship_name", "ship_address1", "ship_address2", "ship_city", "ship_postcode", "ship_country"] {
                put(&order, orderWants, key, .text(row[oc[key]]))
            }
            custom(row[oc.custom], entity: "order", wants: orderWants, into: &order)
            out.append(OrderFacts(orderID: id, order: order, customer: customer, lines: orderLines.map(\.line)))
        }
        return out
    }
}
