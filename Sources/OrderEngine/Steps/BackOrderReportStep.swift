import Foundation
import OrderExport
import OrderModel
import OrderStore

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
        let rows = try context.store.write { tx -> Int in
            let lines = try tx.backOrderReportLines()
            guard !lines.isEmpty || writeEmpty else { return -1 }
            var csv = CSVWriter(header: Self.header)
            let today = context.now.day
            for line in lines {
                let since = line.stageSince.flatMap(Timestamp.init(iso8601:))?.day ?? today
                csv.append([line.orderRef, "\(line.lineNo)", line.sku, line.warehouse ?? "", "\(line.quantity)",
                            "\(today - since)", "\(line.available)", "\(max(.zero, try line.quantity - line.available))",
                            line.available >= line.quantity ? "Y" : "N", line.customerRef, String(line.orderDate.prefix(10))])
            }
            let number = try OutboxSequence.next(tx, folder: "back-orders")
            _ = try ExportStep.store(tx, context, folder: "back-orders", name: String(format: "BO-%06d.csv", number), bytes: csv.bytes,
                                     rows: csv.rows)
            return lines.count
        }
        let published = rows >= 0 ? OutboxPublisher(context: context).publishPending() : .init()
        return StepReport(step: name, ["lines": max(0, rows), "files written": published.written], warnings: published.failures)
    }
}
