import GRDB
import OrderModel

/// One stage's load: how many orders and lines are there and what they are worth.
public struct StageTotal: Sendable, Hashable {
    public var stage: String
    /// Orders with at least one line in the stage.
    public var orders: Int
    public var lines: Int
    /// The lines' value (their own price, or their product's); nil when beyond what the engine can hold.
    public var value: Money?
}

/// Lines released to the warehouse (moved into picking) in one hour.
public struct HourCount: Sendable, Hashable {
    /// `2026-12-06T07`: the hour's start, UTC, as the history stores times.
    public var hour: String
    public var lines: Int
}

/// Where the history stands: the newest cycle, stage move and imported file.
///
/// Every change to which lines are where, or what they are worth, comes with one of these (a line is
/// imported and moved with a stage move; a product's price arrives in an imported file; a cycle's
/// other changes are in a kept cycle), so while the mark is the same, totals read before are still
/// true. Reading it costs three lookups of a table's last row, whatever the backlog.
public struct HistoryMark: Sendable, Hashable {
    public var cycle: Int64
    public var move: Int64
    public var file: Int64
}

extension OrderDatabase {
    /// Where the history stands now.
    public func historyMark() throws -> HistoryMark {
        try writer.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT MAX(id) FROM cycle) AS cycle, (SELECT MAX(id) FROM stage_move) AS move,
                       (SELECT MAX(id) FROM source_file) AS file
                """)
            return HistoryMark(cycle: row?["cycle"] ?? 0, move: row?["move"] ?? 0, file: row?["file"] ?? 0)
        }
    }

    /// Every stage that holds a line, with its orders, lines and value, read in one pass over the stage index
    /// (it carries each line's sku, quantity and price) and the product price index.
    public func stageTotals() throws -> [StageTotal] {
        do {
            return try stageTotals(sums: .native)
        } catch let error as DatabaseError where error.message == "integer overflow" {
            return try stageTotals(sums: .split)
        }
    }

    private func stageTotals(sums: AmountSum) throws -> [StageTotal] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT l.stage, COUNT(DISTINCT l.order_id) AS orders, COUNT(*) AS lines,
                       \(sums.sql("line_value(l.quantity, COALESCE(l.unit_price, p.unit_price, 0))", as: "value"))
                FROM order_line l INDEXED BY order_line_stage LEFT JOIN product p INDEXED BY product_price ON p.sku = l.sku
                GROUP BY l.stage
                """).map { row in
                StageTotal(stage: row["stage"], orders: row["orders"], lines: row["lines"], value: sums.read(row, "value"))
            }
        }
    }

    /// Lines moved into picking per hour since `since` (UTC hours), oldest first; hours without any are left out.
    public func linesReleasedPerHour(since: Timestamp) throws -> [HourCount] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT substr(at, 1, 13) AS hour, COUNT(*) AS lines FROM stage_move INDEXED BY stage_move_picking_at
                WHERE to_stage = \(Stage.picking.sql) AND at >= ? GROUP BY hour ORDER BY hour
                """, arguments: [since.description]).map { HourCount(hour: $0["hour"], lines: $0["lines"]) }
        }
    }
}
