import Foundation
import GRDB
import OrderModel
import OrderRules

/// Loads what rules see of a set of orders: order, customer, lines and products, in a few set-based queries.
struct FactsLoader {
    let db: Database
    let catalog: FieldCatalog
    let money: MoneyFormat
    let today: Int64

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
        guard let minor else { return .null }
        return .number(Decimal(sign: minor < 0 ? .minus : .plus, exponent: -money.fractionDigits, significand: Decimal(minor.magnitude)))
    }

    func text(_ s: String?) -> Value { s.map(Value.text) ?? .null }

    func custom(_ json: String?, entity: String, into values: inout [String: Value]) {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String] else { return }
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
        var lines: [Int64: [(LineFacts, Row)]] = [:]
        let lineQuery = try db.makeStatement(sql: """
            SELECT l.id, l.order_id, l.line_no, l.sku, l.quantity, COALESCE(l.unit_price, p.unit_price) AS price, l.stage,
                   l.stage_since, COALESCE(l.warehouse, p.warehouse) AS warehouse, l.custom,
                   p.sku AS p_sku, p.description, p.category, p.unit_price AS p_price, p.drop_ship, p.supplier_ref,
                   p.supplier_cost, p.warehouse AS p_warehouse, p.bin_location, p.custom AS p_custom
            FROM order_line l LEFT JOIN product p ON p.sku = l.sku
            WHERE l.order_id IN (\(marks)) ORDER BY l.order_id, l.line_no
            """)
        let lc = ColumnIndex(lineQuery)
        for row in try Row.fetchAll(lineQuery, arguments: args) {
            let quantity: Int64 = row[lc.quantity]
            let price: Int64? = row[lc.price]
            var line: [String: Value] = [
                "line_no": .number(Decimal(row[lc.line_no] as Int)), "sku": .text(row[lc.sku]), "quantity": .number(Decimal(quantity)),
                "unit_price": number(price), "value": price.map { number($0 * quantity) } ?? .null, "stage": .text(row[lc.stage]),
                "days_in_stage": day(row[lc.stage_since]).map { .number(Decimal(today - $0)) } ?? .null,
                "warehouse": text(row[lc.warehouse]),
            ]
            custom(row[lc.custom], entity: "line", into: &line)
            var product: [String: Value]? = nil
            if row[lc.p_sku] as String? != nil {
                var p: [String: Value] = [
                    "sku": .text(row[lc.p_sku]), "description": .text(row[lc.description]), "category": .text(row[lc.category]),
                    "unit_price": number(row[lc.p_price]), "drop_ship": .bool(row[lc.drop_ship]), "supplier_ref": text(row[lc.supplier_ref]),
                    "supplier_cost": number(row[lc.supplier_cost]), "warehouse": text(row[lc.p_warehouse]),
                    "bin_location": text(row[lc.bin_location]),
                ]
                custom(row[lc.p_custom], entity: "product", into: &p)
                product = p
            }
            lines[row[lc.order_id], default: []].append((LineFacts(lineID: row[lc.id], line: line, product: product), row))
        }
        var out: [OrderFacts] = []
        let orderQuery = try db.makeStatement(sql: """
            SELECT o.*, c.customer_ref AS c_ref, c.name AS c_name, c.terms, c.credit_limit, c.balance, c.on_stop, c.email,
                   c.address1, c.address2, c.city, c.postcode, c.country, c.custom AS c_custom
            FROM sales_order o LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE o.id IN (\(marks)) ORDER BY o.order_date, o.id
            """)
        let oc = ColumnIndex(orderQuery)
        for row in try Row.fetchAll(orderQuery, arguments: args) {
            let id: Int64 = row[oc.id]
            let orderLines = lines[id] ?? []
            let live = orderLines.filter { $0.1[lc.stage] as String != "cancelled" }
            var total = Decimal(0), items = Decimal(0)
            for (facts, _) in live {
                if case .number(let v) = facts.line["value"] ?? .null { total += v }
                if case .number(let q) = facts.line["quantity"] ?? .null { items += q }
            }
            let stages = Set(live.map { $0.1[lc.stage] as String })
            let latest = live.compactMap { day($0.1[lc.stage_since]) }.max()
            var customer: [String: Value]? = nil
            if row[oc.c_ref] as String? != nil {
                var c: [String: Value] = [
                    "ref": .text(row[oc.c_ref]), "name": .text(row[oc.c_name]), "terms": .text(row[oc.terms]),
                    "credit_limit": number(row[oc.credit_limit]), "balance": number(row[oc.balance]), "on_stop": .bool(row[oc.on_stop]),
                    "email": .text(row[oc.email]), "address1": .text(row[oc.address1]), "address2": .text(row[oc.address2]),
                    "city": .text(row[oc.city]), "postcode": .text(row[oc.postcode]), "country": .text(row[oc.country]),
                ]
                custom(row[oc.c_custom], entity: "customer", into: &c)
                customer = c
            }
            let orderDay = day(row[oc.order_date])
            var order: [String: Value] = [
                "ref": .text(row[oc.order_ref]), "date": orderDay.map(Value.date) ?? .null, "total": .number(total),
                "item_count": .number(items), "line_count": .number(Decimal(live.count)),
                "payment_method": text(row[oc.payment_method] ?? (customer?["terms"].flatMap { if case .text(let t) = $0 { t } else { nil } })),
                "customer_ref": .text(row[oc.customer_ref]), "credit_state": .text(row[oc.credit_state]),
                "stage": stages.count == 1 ? .text(stages.first!) : (stages.isEmpty ? .null : .text("mixed")),
                "days_in_stage": latest.map { .number(Decimal(today - $0)) } ?? .null,
                "age_days": orderDay.map { .number(Decimal(today - $0)) } ?? .null,
            ]
            for key in ["ship_name", "ship_address1", "ship_address2", "ship_city", "ship_postcode", "ship_country"] {
                order[key] = .text(row[oc[key]])
            }
            custom(row[oc.custom], entity: "order", into: &order)
            out.append(OrderFacts(orderID: id, order: order, customer: customer, lines: orderLines.map(\.0)))
        }
        return out
    }
}
