import GRDB
import OrderModel

/// What process rules and `orderflow search` read of orders: which orders to look at, and the rows their
/// facts are built from (orders with customers, lines with products, charges), in a few set-based queries.
extension StoreTransaction {
    /// The columns behind the rule fields that map straight onto one (text and true/false only).
    private static let ruleFactColumns: [String: String] = [
        "customer.terms": "c.terms", "customer.ref": "c.customer_ref", "customer.name": "c.name", "customer.city": "c.city",
        "customer.country": "c.country", "customer.postcode": "c.postcode", "customer.on_stop": "c.on_stop",
        "order.ref": "o.order_ref", "order.customer_ref": "o.customer_ref", "order.credit_state": "o.credit_state",
        "order.payment_method": "COALESCE(o.payment_method, c.terms)", "order.ship_country": "o.ship_country",
        "order.ship_city": "o.ship_city", "order.ship_postcode": "o.ship_postcode", "order.ship_name": "o.ship_name",
    ]

    /// The SQL for a filter whose field is a column; nil for the others (checked by the rule itself).
    private static func sql(_ filter: RuleFactFilter) -> (String, StatementArguments)? {
        guard let column = ruleFactColumns[filter.field] else { return nil }
        var args: StatementArguments = []
        for literal in filter.literals {
            switch literal {
            case .text(let t): args += [t]
            case .bool(let b): args += [b]
            }
        }
        if filter.comparison == .in { return ("\(column) IN (\(databaseQuestionMarks(count: filter.literals.count)))", args) }
        return ("\(column) \(filter.comparison.rawValue) ?", args)
    }

    /// The orders with at least one line in `stages` (all orders when nil), oldest first, that pass every
    /// filter of `prefilter` the store can check and that no person released from rule `excludingOverridesFor`.
    public func ruleFactOrderIDs(stages: [Stage]?, excludingOverridesFor rule: String? = nil, prefilter: [RuleFactFilter] = []) throws -> [Int64] {
        var sql: String
        var args: StatementArguments = []
        if let stages {
            // Start from the lines at those stages (an index range), not from every order.
            sql = """
                SELECT o.id FROM (SELECT DISTINCT order_id FROM order_line WHERE stage IN (\(databaseQuestionMarks(count: stages.count)))) x
                JOIN sales_order o ON o.id = x.order_id LEFT JOIN customer c ON c.customer_ref = o.customer_ref WHERE 1
                """
            args += StatementArguments(stages.map(\.rawValue))
        } else {
            sql = "SELECT o.id FROM sales_order o LEFT JOIN customer c ON c.customer_ref = o.customer_ref WHERE 1"
        }
        for filter in prefilter {
            guard let (clause, values) = Self.sql(filter) else { continue }
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

    /// The lines of the orders `ids` (at most 500), with their products, by order and line number.
    public func forEachRuleFactLine(ofOrders ids: [Int64], _ body: (RuleFactLineRow) throws -> Void) throws {
        try forEachRuleFactLine(where: "l.order_id IN (\(Self.marks(ids.count)))", orderBy: "ORDER BY l.order_id, l.line_no", ids, body)
    }

    /// The lines `ids` (of a few hundred orders), with their products, in no particular order: for a caller
    /// that reads only some lines of each order, none of them together (a pick list prints half the lines of
    /// its orders), and so spares SQLite the sort.
    public func forEachRuleFactLine(ids: [Int64], _ body: (RuleFactLineRow) throws -> Void) throws {
        try forEachRuleFactLine(where: "l.id IN (\(Self.marks(ids.count)))", orderBy: "", ids, body)
    }

    /// `?,?,…,?`, `count` marks: GRDB's `databaseQuestionMarks` joins a repeated collection through unspecialised
    /// generic code, a tenth of a millisecond for each list of a few hundred ids, which a document reads hundreds of.
    static func marks(_ count: Int) -> String {
        count > 0 ? String(repeating: "?,", count: count - 1) + "?" : ""
    }

    private func forEachRuleFactLine(where condition: String, orderBy: String, _ ids: [Int64], _ body: (RuleFactLineRow) throws -> Void) throws {
        let query = try db.makeStatement(sql: """
            SELECT l.id, l.order_id, l.line_no, l.sku, l.quantity, COALESCE(l.unit_price, p.unit_price) AS price, l.stage,
                   l.stage_since, COALESCE(l.warehouse, p.warehouse) AS warehouse, l.custom, l.unit_as_written,
                   p.sku AS p_sku, p.description, p.category, p.unit_price AS p_price, p.drop_ship, p.supplier_ref,
                   p.supplier_cost, p.warehouse AS p_warehouse, p.bin_location, p.custom AS p_custom,
                   p.stock_unit, p.quantity_decimals
            FROM order_line l LEFT JOIN product p ON p.sku = l.sku
            WHERE \(condition) \(orderBy)
            """)
        let columns = RuleFactLineRow.Columns(ColumnIndex(query))
        let rows = try Row.fetchCursor(query, arguments: StatementArguments(ids))
        while let row = try rows.next() { try body(RuleFactLineRow(row: row, c: columns)) }
    }

    /// The charges (non-stock lines) of the orders `ids` (at most 500), in minor units.
    public func ruleFactCharges(ofOrders ids: [Int64]) throws -> [(orderID: Int64, value: Int64)] {
        try Row.fetchAll(db, sql: "SELECT order_id, value FROM order_charge WHERE order_id IN (\(Self.marks(ids.count)))",
                         arguments: StatementArguments(ids)).map { (orderID: $0[0], value: $0[1]) }
    }

    /// The orders `ids` (at most 500), with their customers, oldest first (in no particular order when not
    /// `oldestFirst`: a caller that looks them up by id spares SQLite the sort of their wide rows).
    public func forEachRuleFactOrder(ofOrders ids: [Int64], oldestFirst: Bool = true, _ body: (RuleFactOrderRow) throws -> Void) throws {
        let query = try db.makeStatement(sql: """
            SELECT o.*, c.customer_ref AS c_ref, c.name AS c_name, c.terms, c.credit_limit, c.balance, c.on_stop, c.email,
                   c.address1, c.address2, c.city, c.postcode, c.country, c.currency AS c_currency, c.custom AS c_custom
            FROM sales_order o LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE o.id IN (\(Self.marks(ids.count))) \(oldestFirst ? "ORDER BY o.order_date, o.id" : "")
            """)
        let columns = ColumnIndex(query)
        let rows = try Row.fetchCursor(query, arguments: StatementArguments(ids))
        while let row = try rows.next() { try body(RuleFactOrderRow(row: row, c: columns)) }
    }
}
