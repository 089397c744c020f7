import Foundation
import Testing
import OrderDaemon
import OrderEngine
import OrderJobs
import TestSupport

/// A scheduled report is written even when nothing is in it (its header alone), unless the job says skip.
@Suite struct EmptyReportTests {
    @Test func anEmptyScheduledBackOrderReportStillWritesItsHeader() throws {
        let home = try TestHome()
        let report = JobDefinition(name: "report", schedule: .every(seconds: 60), steps: ["back-order-report"], catchUp: true)
        let run = try JobRunner(engine: home.engine()).run(report, trigger: .schedule)
        #expect(run.counts?["back-order-report"]?["files written"] == 1)
        let text = try String(contentsOf: home.root.appendingPathComponent("outbox/back-orders/BO-000001.csv"), encoding: .utf8)
        #expect(text.hasPrefix("order_ref,line_no,sku,warehouse,quantity,days_waiting"))
        #expect(text.split(whereSeparator: \.isNewline).count == 1)
    }

    @Test func aJobMaySkipEmptyReports() throws {
        let home = try TestHome()
        try Data("jobs:\n  - name: report\n    every: 1m\n    steps: [back-order-report]\n    empty_reports: skip\n".utf8).write(to: home.home.configFile)
        let runner = try JobRunner(engine: home.engine())
        let run = try runner.run(try runner.job(named: "report"), trigger: .schedule)
        #expect(run.counts?["back-order-report"]?["files written"] == 0)
        #expect(!FileManager.default.fileExists(atPath: home.root.appendingPathComponent("outbox/back-orders/BO-000001.csv").path))
    }
}
