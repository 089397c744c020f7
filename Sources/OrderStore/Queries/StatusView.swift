import GRDB
import OrderModel

/// What `orderflow status` shows of the database: orders and lines per stage, stock per sku, the last
/// cycles and the outbox files waiting to be written. Read in one snapshot, so the parts agree.
public struct StatusView: Sendable, Hashable {
    /// How many orders (with at least one line there) and lines a stage holds.
    public struct StageCount: Sendable, Hashable {
        public var stage: String
        public var orders: Int
        public var lines: Int
    }

    /// One sku's stock in one warehouse beside what waits for it in Back Order.
    public struct StockPosition: Sendable, Hashable {
        public var sku: String
        public var warehouse: String
        public var onHand: Quantity
        public var allocated: Quantity
        public var backOrdered: Quantity
    }

    /// A cycle as recorded: its counts as the JSON text it stored, and its error when it failed.
    public struct CycleRun: Sendable, Hashable {
        public var id: Int64
        public var startedAt: String
        public var finishedAt: String?
        public var summaryJSON: String?
        public var error: String?
    }

    /// In no particular order (the engine orders stages as the pipeline does).
    public var stages: [StageCount]
    /// The sum over every sku and warehouse, named `*`.
    public var stockTotals: StockPosition
    /// Most back-ordered first, then by sku and warehouse.
    public var stock: [StockPosition]
    /// Newest first.
    public var cycles: [CycleRun]
    public var pendingOutputs: Int
}

extension StatusView {
    /// Every sku and warehouse with stock or with a line waiting for it: on hand, allocated, back-ordered.
    static let stockSQL = """
        SELECT k.sku, k.warehouse, COALESCE(s.on_hand, 0) AS on_hand, COALESCE(s.allocated, 0) AS allocated,
                       COALESCE(b.qty, 0) AS back_ordered
                FROM (SELECT sku, warehouse FROM stock
                      UNION SELECT sku, warehouse FROM order_line INDEXED BY order_line_queue WHERE stage = \(Stage.backOrder.sql)) k
                LEFT JOIN stock s ON s.sku = k.sku AND s.warehouse = k.warehouse
                LEFT JOIN (SELECT sku, warehouse, SUM(quantity) AS qty FROM order_line INDEXED BY order_line_queue
                           WHERE stage = \(Stage.backOrder.sql) GROUP BY sku, warehouse) b
                  ON b.sku = k.sku AND b.warehouse = k.warehouse
        """
}

extension OrderDatabase {
    /// The status snapshot: stock for the `stockLimit` skus most back-ordered (all when nil), the last
    /// `cycleLimit` cycles.
    public func statusView(stockLimit: Int?, cycleLimit: Int) throws -> StatusView {
        try writer.read { db in
            let stages = try Row.fetchAll(db, sql: """
                SELECT stage, COUNT(DISTINCT order_id) AS orders, COUNT(*) AS lines FROM order_line GROUP BY stage
                """).map { StatusView.StageCount(stage: $0["stage"], orders: $0["orders"], lines: $0["lines"]) }
            let stockSQL = StatusView.stockSQL
            func position(_ row: Row) -> StatusView.StockPosition {
                StatusView.StockPosition(sku: row["sku"], warehouse: row["warehouse"], onHand: row["on_hand"], allocated: row["allocated"],
                                         backOrdered: row["back_ordered"])
            }
            let limit = stockLimit.map { " LIMIT \($0)" } ?? ""
            let stock = try Row.fetchAll(db, sql: stockSQL + " ORDER BY back_ordered DESC, k.sku, k.warehouse" + limit).map(position)
            // An aggregate without GROUP BY always gives one row; the zero position stands in only for form's sake.
            let totals = try Row.fetchOne(db, sql: """
                SELECT '*' AS sku, '*' AS warehouse, COALESCE(SUM(on_hand), 0) AS on_hand, COALESCE(SUM(allocated), 0) AS allocated,
                       COALESCE(SUM(back_ordered), 0) AS back_ordered FROM (\(stockSQL))
                """).map(position)
                ?? StatusView.StockPosition(sku: "*", warehouse: "*", onHand: .zero, allocated: .zero, backOrdered: .zero)
            let cycles = try Row.fetchAll(db, sql: "SELECT id, started_at, finished_at, summary, error FROM cycle ORDER BY id DESC LIMIT ?",
                                          arguments: [cycleLimit]).map { row in
                StatusView.CycleRun(id: row["id"], startedAt: row["started_at"], finishedAt: row["finished_at"], summaryJSON: row["summary"],
                                    error: row["error"])
            }
            let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox_file WHERE written_at IS NULL") ?? 0
            return StatusView(stages: stages, stockTotals: totals, stock: stock, cycles: cycles, pendingOutputs: pending)
        }
    }
}
