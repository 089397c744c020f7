import GRDB
import OrderModel

/// Counts of order lines, for the benchmarks' checks that a run lost no work (every line imported, none
/// left unrouted) and for choosing what a benchmark's receipt delivers.
extension OrderDatabase {
    /// Every order line, split parts included.
    public func lineCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM order_line") ?? 0 }
    }

    /// The lines as imported: each line once, however often it was split.
    public func importedLineCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM order_line WHERE part = 0") ?? 0 }
    }

    /// The lines in `stage` now.
    public func lineCount(in stage: Stage) throws -> Int {
        // The stage as a literal, not a bound value, so SQLite can use the stage's partial index where it has one.
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM order_line WHERE stage = \(stage.sql)") ?? 0 }
    }

    /// The lines in Back Order and the first `limit` skus (in sku order) they wait for, in one snapshot.
    public func backOrderBacklog(skuLimit limit: Int) throws -> (lines: Int, skus: [String]) {
        try writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM order_line WHERE stage = \(Stage.backOrder.sql)") ?? 0,
             try String.fetchAll(db, sql: "SELECT DISTINCT sku FROM order_line WHERE stage = \(Stage.backOrder.sql) ORDER BY sku LIMIT ?",
                                 arguments: [limit]))
        }
    }
}
