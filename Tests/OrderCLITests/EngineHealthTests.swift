import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A running engine and a broken edit: it keeps its last good configuration, says so once, records it,
/// and applies a good edit (orderflow.yaml too) at the next cycle boundary. `status` and `jobs` keep working.
@Suite(.serialized) struct EngineHealthTests {
    typealias Daemon = DaemonTests.Daemon
    let cli = CommandLineTests()

    func occurrences(of text: String, in output: String) -> Int { output.components(separatedBy: text).count - 1 }

    @Test func aBrokenRulesEditIsReportedOnceAndTheEngineRunsOnItsLastGoodConfiguration() throws {
        let home = try DaemonTests().fastHome()
        let path = home.root.path
        let daemon = try Daemon(home: home)
        try daemon.waitForLog("engine started")
        try daemon.waitFor("the master data to be imported") { home.exists("archive/receipts/r.csv") }

        let good = try String(contentsOf: home.home.rulesFile, encoding: .utf8)
        try Data("pipeline:\n  - import\n  - name: broken\n    search: \"order.total >\"\n".utf8).write(to: home.home.rulesFile)
        try daemon.waitForLog("configuration edit rejected")
        // Still working on the last good rules: an order is imported, allocated, picked.
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("KEEP", sku: "SKU1")]))
        try daemon.waitFor("the order to be despatched") { (try? home.stages("KEEP")) == [1: "despatched"] }
        #expect(occurrences(of: "configuration edit rejected", in: daemon.output) == 1)
        let rejected = try #require(daemon.output.split(separator: "\n").first { $0.contains("configuration edit rejected") })
        #expect(rejected.contains("rules.yaml:"))

        // Operators see it: status names the engine and the failure; jobs and jobs history work.
        let status = try cli.run(["status", "--home", path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("running, pid \(daemon.process.processIdentifier) since "))
        #expect(status.stdout.contains("last failure     configuration at "))
        #expect(status.stdout.contains("rules.yaml:"))
        let jobs = try cli.run(["jobs", "--home", path])
        #expect(jobs.status == 0, "\(jobs.stderr)")
        #expect(jobs.stderr.contains("warning: rules: rules.yaml:"))
        let failed = try cli.run(["jobs", "history", "--failed", "--home", path])
        #expect(failed.status == 0, "\(failed.stderr)")
        #expect(failed.stdout.contains("configuration  reload"))

        // A good edit of orderflow.yaml with a new job applies at the next cycle boundary, and the job runs.
        try Data(good.utf8).write(to: home.home.rulesFile)
        try Data("inbox:\n  poll_interval: 200ms\n  settle: 500ms\njobs:\n  - name: cycle\n    every: 1s\n  - name: report\n    every: 1s\n    steps: [back-order-report]\n".utf8)
            .write(to: home.home.configFile)
        try daemon.waitForLog("configuration reloaded")
        try daemon.waitFor("the new job to run") {
            (try? cli.run(["jobs", "history", "report", "--home", path]).stdout.contains("report  schedule")) == true
        }
        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(try daemon.exitStatus(within: 20) == 0)
        let after = try cli.run(["status", "--home", path])
        #expect(after.stdout.contains("  not running"))
        #expect(after.stdout.contains("last good cycle  "))
    }

    @Test func idleCyclesAreCountedNotRecordedAndHistoryFilters() throws {
        let home = try DaemonTests().fastHome()
        let path = home.root.path
        // The first run imports the master data (recorded); the next three find nothing to do (counted).
        for minute in 0..<4 {
            #expect(try cli.run(["run", "--once", "--home", path, "--now", "2026-11-27T09:0\(minute):00Z"]).status == 0)
        }
        let history = try cli.run(["jobs", "history", "--json", "--home", path])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 1)
        let text = try cli.run(["jobs", "history", "--home", path])
        #expect(text.stdout.contains("cycle: 3 run(s) with nothing to do since "))
        #expect(try cli.run(["jobs", "history", "--failed", "--home", path]).stdout == "no such runs\n")
        #expect(try cli.run(["jobs", "history", "--busy", "--since", "2000-01-01", "--home", path]).stdout.contains("schedule"))
        #expect(try cli.run(["jobs", "history", "--since", "2999-01-01", "--home", path]).stdout.hasPrefix("no such runs"))
        let cycles = try cli.run(["status", "--json", "--home", path])
        let status = try #require(try JSONSerialization.jsonObject(with: Data(cycles.stdout.utf8)) as? [String: Any])
        #expect((status["cycles"] as? [Any])?.count == 1)
        let engine = try #require(status["engine"] as? [String: Any])
        #expect(engine["running"] as? Bool == false)
        #expect(engine["files_waiting"] as? Int == 0)
    }

    @Test func statusAndJobsHistoryReadTheDatabaseWhileOrderflowYamlIsBroken() throws {
        let home = try DaemonTests().fastHome()
        let path = home.root.path
        #expect(try cli.run(["run", "--once", "--home", path]).status == 0)
        try Data("inbox:\n  poll_interval: [oops\n".utf8).write(to: home.home.configFile)
        let history = try cli.run(["jobs", "history", "--home", path])
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stderr.hasPrefix("warning: configuration: orderflow.yaml"))
        #expect(history.stdout.contains("cycle"))
        let status = try cli.run(["status", "--home", path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("not running"))
    }
}

/// Operator commands beside the running engine: `jobs run` asks it, `allocate --dry-run` previews.
@Suite(.serialized) struct OperatorBesideEngineTests {
    let cli = CommandLineTests()

    @Test func jobsRunAsksTheRunningEngineAndPrintsTheOutcome() throws {
        let home = try DaemonTests().fastHome()
        let path = home.root.path
        try Data("inbox:\n  poll_interval: 200ms\n  settle: 500ms\njobs:\n  - name: cycle\n    every: 1h\n".utf8).write(to: home.home.configFile)
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("ASKED", sku: "SKU1")]))
        let daemon = try DaemonTests.Daemon(home: home)
        // The hourly job runs at start and sees the files (they are taken once seen unchanged for `settle`).
        try daemon.waitForLog("job run")
        // Not due again for an hour: only a person's request runs it.
        let deadline = Date().addingTimeInterval(20)
        while (try? home.stages("ASKED")) != [1: "despatched"] {
            try #require(Date() < deadline, "the order was not despatched after 20 s of requests; log:\n\(daemon.output)")
            usleep(300_000)
            let run = try cli.run(["jobs", "run", "cycle", "--home", path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("the engine is running; asked it to run cycle"))
            #expect(run.stdout.hasPrefix("job cycle ok"))
            #expect(run.stdout.contains("import           duplicates 0"))
        }
        let unknown = try cli.run(["jobs", "run", "nightly", "--home", path])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no job 'nightly'; the jobs are cycle"))
        let history = try cli.run(["jobs", "history", "--home", path])
        #expect(history.stdout.contains("manual"))

        let preview = try cli.run(["allocate", "--dry-run", "--home", path])
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.hasPrefix("would pick 0 line(s)"))
        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(try daemon.exitStatus(within: 20) == 0)
    }
}
