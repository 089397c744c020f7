import GRDB
import OrderExport
import OrderModel

/// Step: the back-order report — every line waiting for stock, how long it has waited, how much
/// is short, and whether the stock on hand now covers it. Run it per cycle (in the pipeline) or
/// at set times (as a job's step, e.g. every morning).
public struct BackOrderReportStep: CycleStep {
    public let name = "back-order-report"
    /// Whether a report with no lines is still written (its header alone): a scheduled report is expected
    /// every time, and an empty one says "nothing waits"; in the per-cycle pipeline an empty one is skipped.
    public var writeEmpty: Bool
    public init(writeEmpty: Bool = false) { self.writeEmpty = writeEmpty }

    public static let header = ["order_ref", "line_no", "sku", "warehouse", "quantity", "days_waiting", "available",
                                "quantity_short", "covered_by_stock", "customer_ref", "order_date"]

    public func run(_ context: CycleContext) throws -> StepReport {
        let rows = try context.db.write { db -> Int in
            let lines = try Row.fetchAll(db, sql: """
                SELECT o.order_ref, l.line_no, l.sku, l.warehouse, l.quantity, l.stage_since, o.customer_ref, o.order_date,
                       COALESCE(s.on_hand - s.allocated, 0) AS available
                FROM order_line l JOIN sales_order o ON o.id = l.order_id
                LEFT JOIN stock s ON s.sku = l.sku AND s.warehouse = l.warehouse
                WHERE l.stage = 'back-order'
                ORDER BY o.priority DESC, o.order_date, o.id, l.line_no, l.part
                """)
            guard !lines.isEmpty || writeEmpty else { return -1 }
            var csv = CSVWriter(header: Self.header)
            let today = context.now.day
            for row in lines {
                let quantity: Quantity = row["quantity"], available: Quantity = row["available"]
                let since = (row["stage_since"] as String?).flatMap(Timestamp.init(iso8601:))?.day ?? today
                csv.append([row["order_ref"], "\(row["line_no"] as Int)", row["sku"], row["warehouse"] ?? "", "\(quantity)",
                            "\(today - since)", "\(available)", "\(max(.zero, try quantity - available))", available >= quantity ? "Y" : "N",
                            row["customer_ref"], String((row["order_date"] as String).prefix(10))])
            }
            let number = try OutboxSequence.next(db, folder: "back-orders")
            _ = try ExportStep.store(.init(db), context, folder: "back-orders", name: String(format: "BO-%06d.csv", number), bytes: csv.bytes, rows: csv.rows)
            return lines.count
        }
        let published = rows >= 0 ? OutboxPublisher(context: context).publishPending() : .init()
        return StepReport(step: name, ["lines": max(0, rows), "files written": published.written], warnings: published.failures)
    }
}
