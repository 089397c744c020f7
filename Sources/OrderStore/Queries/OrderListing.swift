import GRDB
import OrderModel

/// One order in a list (`orderflow orders`): its header, the stages its lines are in, how many lines it has
/// and its value.
public struct OrderListing: Sendable, Hashable {
    public var orderRef: String
    public var orderDate: String
    public var customerRef: String
    /// Sorted by name.
    public var stages: [String]
    public var lines: Int
    /// Its stock lines (at their own or their product's price, cancelled ones included) and its non-stock
    /// lines; nil when the sum is beyond what the engine can hold.
    public var value: Money?
}

extension OrderDatabase {
    /// Orders with at least one line in `stage` (if given) for `customer` (if given), oldest first, at most `limit`.
    ///
    /// Summed with SQLite's fast `SUM` first; only when an order's lines add up beyond Int64 (SQLite stops the
    /// statement) is the list read again with exact sums, that order's value then nil.
    public func orderListings(stage: String?, customer: String?, limit: Int?) throws -> [OrderListing] {
        do {
            return try orderListings(stage: stage, customer: customer, limit: limit, sums: .native)
        } catch let error as DatabaseError where error.message == "integer overflow" {
            return try orderListings(stage: stage, customer: customer, limit: limit, sums: .split)
        }
    }

    private func orderListings(stage: String?, customer: String?, limit: Int?, sums: AmountSum) throws -> [OrderListing] {
        try writer.read { db in
            var conditions: [String] = []
            var args: StatementArguments = []
            if let stage {
                conditions.append("EXISTS (SELECT 1 FROM order_line x WHERE x.order_id = o.id AND x.stage = ?)")
                args += [stage]
            }
            if let customer {
                conditions.append("o.customer_ref = ?")
                args += [customer]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let limitClause = limit.map { " LIMIT \($0)" } ?? ""
            return try Row.fetchAll(db, sql: """
                SELECT o.order_ref, o.order_date, o.customer_ref,
                       (SELECT group_concat(stage) FROM (SELECT DISTINCT stage FROM order_line WHERE order_id = o.id)) AS stages,
                       (SELECT COUNT(*) FROM order_line WHERE order_id = o.id) AS lines,
                       \(sums.subquerySQL("line_value(l.quantity, COALESCE(l.unit_price, p.unit_price, 0))",
                                          from: "FROM order_line l LEFT JOIN product p ON p.sku = l.sku WHERE l.order_id = o.id", as: "value")),
                       \(sums.subquerySQL("ch.value", from: "FROM order_charge ch WHERE ch.order_id = o.id", as: "charges"))
                FROM sales_order o \(whereClause) ORDER BY o.order_date, o.id\(limitClause)
                """, arguments: args).map { row in
                OrderListing(orderRef: row["order_ref"], orderDate: row["order_date"], customerRef: row["customer_ref"],
                             stages: ((row["stages"] as String?) ?? "").split(separator: ",").map(String.init).sorted(),
                             lines: row["lines"], value: sums.total(row, "value", "charges"))
            }
        }
    }
}
