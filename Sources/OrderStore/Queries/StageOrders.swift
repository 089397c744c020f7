import GRDB
import OrderModel

/// One order in a stage, as the console's stage list shows it.
public struct StageOrder: Sendable, Hashable {
    public var orderRef: String
    public var orderDate: String
    public var customerRef: String
    public var customerName: String
    /// The order's lines in the stage.
    public var lines: Int
    /// When its first line in the stage got there.
    public var since: String
    /// Why its lines are there (the newest reason among them).
    public var reason: String?
    /// The value of its lines in the stage; nil when beyond what the engine can hold.
    public var value: Money?
}

/// What the stage list is asked for: filters, order and page.
public struct StageOrderQuery: Sendable, Hashable {
    /// The columns a stage list sorts by.
    public enum Sort: String, Sendable, CaseIterable {
        case age, ref, date, customer, lines, value
    }
    public var stage: String
    public var customer: String?
    public var sku: String?
    /// Part of the order ref, the customer's name or the reason.
    public var text: String?
    public var sort: Sort
    public var descending: Bool
    public var offset: Int
    public var limit: Int

    public init(stage: String, customer: String? = nil, sku: String? = nil, text: String? = nil, sort: Sort = .age,
                descending: Bool = false, offset: Int = 0, limit: Int = 50) {
        self.stage = stage
        self.customer = customer
        self.sku = sku
        self.text = text
        self.sort = sort
        self.descending = descending
        self.offset = max(0, offset)
        self.limit = min(max(1, limit), 500)
    }
}

extension OrderDatabase {
    /// One page of the orders with a line in a stage, and how many there are in all.
    ///
    /// Two passes, so that the cost of a page is one pass over the stage's lines by the stage index plus
    /// the page's own rows: the first groups the stage's lines by order with only what the sort needs
    /// (the value sort also prices them), the second reads the page's orders in full.
    ///
    /// Summed with SQLite's fast `SUM` first; only when an order's lines add up beyond Int64 (SQLite stops
    /// the statement) is the page read again with exact sums, that order's value then nil.
    public func stageOrders(_ query: StageOrderQuery) throws -> (total: Int, orders: [StageOrder]) {
        do {
            return try AmountSum.detectingOverflow { try stageOrders(query, sums: .native) }
        } catch is AmountSum.Overflow {
            return try stageOrders(query, sums: .split)
        }
    }

    private func stageOrders(_ query: StageOrderQuery, sums: AmountSum) throws -> (total: Int, orders: [StageOrder]) {
        try writer.read { db in
            var filters = ["l.stage = ?"]
            var arguments: [any DatabaseValueConvertible] = [query.stage]
            if let customer = query.customer {
                filters.append("o.customer_ref = ?")
                arguments.append(customer)
            }
            if let sku = query.sku {
                // Orders with a line of that sku in this stage: read from the stage index alone (it carries the sku).
                filters.append("l.order_id IN (SELECT order_id FROM order_line INDEXED BY order_line_stage WHERE stage = ? AND sku = ?)")
                arguments += [query.stage, sku]
            }
            if let text = query.text {
                let pattern = containsPattern(text)
                filters.append("""
                    (o.order_ref LIKE ? ESCAPE '\\' OR l.stage_reason LIKE ? ESCAPE '\\' OR
                     o.customer_ref IN (SELECT customer_ref FROM customer WHERE name LIKE ? ESCAPE '\\'))
                    """)
                arguments += [pattern, pattern, pattern]
            }
            let where_ = filters.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: """
                SELECT COUNT(DISTINCT l.order_id) FROM order_line l JOIN sales_order o ON o.id = l.order_id WHERE \(where_)
                """, arguments: StatementArguments(arguments)) ?? 0
            let key: String
            switch query.sort {
            case .age: key = "MIN(l.stage_since)"
            case .ref: key = "o.order_ref"
            case .date: key = "o.order_date"
            case .customer: key = "o.customer_ref"
            case .lines: key = "COUNT(*)"
            case .value:
                // With exact sums, an order beyond Int64 sorts by TOTAL, SQLite's floating-point sum that
                // never stops: an order's place, never a value shown.
                let sum = sums == .native ? "SUM" : "TOTAL"
                key = "\(sum)(line_value(l.quantity, COALESCE(l.unit_price, (SELECT unit_price FROM product p WHERE p.sku = l.sku), 0)))"
            }
            let direction = query.descending ? "DESC" : "ASC"
            let ids = try Int64.fetchAll(db, sql: """
                SELECT l.order_id FROM order_line l JOIN sales_order o ON o.id = l.order_id WHERE \(where_)
                GROUP BY l.order_id ORDER BY \(key) \(direction), l.order_id \(direction) LIMIT ? OFFSET ?
                """, arguments: StatementArguments(arguments + [query.limit, query.offset]))
            guard !ids.isEmpty else { return (total, []) }
            let byID = try Dictionary(Row.fetchAll(db, sql: """
                SELECT l.order_id, o.order_ref, o.order_date, o.customer_ref, COALESCE(c.name, '') AS customer_name,
                       COUNT(*) AS lines, MIN(l.stage_since) AS since, MAX(l.stage_reason) AS reason,
                       \(sums.sql("line_value(l.quantity, COALESCE(l.unit_price, p.unit_price, 0))", as: "value"))
                FROM order_line l JOIN sales_order o ON o.id = l.order_id
                LEFT JOIN customer c ON c.customer_ref = o.customer_ref LEFT JOIN product p ON p.sku = l.sku
                WHERE l.stage = ? AND l.order_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                GROUP BY l.order_id
                """, arguments: StatementArguments([query.stage] + ids)).map { row -> (Int64, StageOrder) in
                (row["order_id"], StageOrder(orderRef: row["order_ref"], orderDate: row["order_date"], customerRef: row["customer_ref"],
                                             customerName: row["customer_name"], lines: row["lines"], since: row["since"],
                                             reason: row["reason"], value: sums.read(row, "value")))
            }, uniquingKeysWith: { first, _ in first })
            return (total, ids.compactMap { byID[$0] })
        }
    }
}
