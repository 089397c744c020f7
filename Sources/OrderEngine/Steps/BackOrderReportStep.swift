import Foundation
import OrderExport
import OrderImport
import OrderModel
import OrderOutput
import OrderStore

/// Step: the back-order report — every line waiting for stock, how long it has waited, how much
/// is short, and whether the stock on hand now covers it. Run it per cycle (in the pipeline) or
/// at set times (as a job's step, e.g. every morning).
public struct BackOrderReportStep: CycleStep {
    public let name = "back-order-report"
    /// Whether a report with no lines is still written (its header alone): a scheduled report is expected
    /// every time, and an empty one says "nothing waits"; in the per-cycle pipeline an empty one is skipped.
    public var writeEmpty: Bool
    /// The inbound mappings: the custom fields an output mapping of the report may read.
    public var mappings: [Mapping]
    public init(writeEmpty: Bool = false, mappings: [Mapping] = []) {
        self.writeEmpty = writeEmpty
        self.mappings = mappings
    }

    public static let header = ["order_ref", "line_no", "sku", "warehouse", "quantity", "days_waiting", "available",
                                "quantity_short", "covered_by_stock", "customer_ref", "order_date"]

    public func run(_ context: CycleContext) throws -> StepReport {
        let mappingName = context.engine.config.outputs.backOrderReport
        if mappingName != EngineConfig.Outputs.standard { return try runMapped(context, mappingName: mappingName) }
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

    /// The report through the output mapping `outputs.back_order_report` names; one that cannot be written is
    /// not (the step says why) and the next run writes the report as it is then.
    func runMapped(_ context: CycleContext, mappingName: String) throws -> StepReport {
        var recipients = OutputRecipients(context: context, mappings: mappings)
        let rows = try context.store.write { tx -> Int in
            let number = try tx.nextOutboxNumber(in: Self.folder)
            let ref = String(format: "BO-%06d", number)
            do {
                guard let mapping = try recipients.mapping(named: mappingName, for: .backOrderReport,
                                                           recipient: "outputs.back_order_report in orderflow.yaml") else { return -1 }
                let values = try recipients.values(tx, for: mapping).backOrderReport(ref: ref, number: number)
                guard !values.rows.isEmpty || writeEmpty else { return -1 }
                guard try recipients.store(values, through: mapping, tx, defaultFolder: Self.folder, defaultName: ref,
                                           sequence: (Self.folder, number), what: "back-order report \(ref)") != nil else { return -1 }
                return values.rows.count
            } catch let error as EngineError {
                recipients.notWritten("back-order report \(ref) not written: \(error)")
                return -1
            }
        }
        let published = rows >= 0 ? OutboxPublisher(context: context).publishPending() : .init()
        return StepReport(step: name, ["lines": max(0, rows), "files written": published.written],
                          warnings: recipients.warnings + published.failures)
    }

    /// The outbox folder (and sequence) of the report.
    static let folder = "back-orders"
}
