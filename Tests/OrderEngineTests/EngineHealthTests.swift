import Foundation
import Testing
import OrderDaemon
import OrderEngine
import OrderModel
import TestSupport

/// Failed cycles and runs are recorded with their error, and the engine's health reads them.
@Suite struct EngineHealthTests {
    struct Failing: CycleStep {
        var name: String { "failing" }
        func run(_ context: CycleContext) throws -> StepReport { throw EngineError.notPossible("the disk said no") }
    }

    @Test func aFailedCycleKeepsItsErrorAndIsNotTheLastGoodOne() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        let good = try home.cycle()
        let engine = try home.engine(at: "2026-11-27T09:05:00Z")
        #expect(throws: EngineError.notPossible("the disk said no")) { try engine.runSteps([Failing()]) }
        let cycles = try OrderQueries(engine: engine).status().cycles
        #expect(cycles.first?.error == "failing: the disk said no")
        #expect(cycles.first?.finishedAt == "2026-11-27T09:05:00Z")
        let health = try EngineHealth.read(home: home.home, database: engine.database, failedSince: Timestamp(secondsSinceEpoch: 0))
        #expect(health.lastGoodCycle?.id == good.cycleID)
        #expect(health.running == false)
    }

    @Test func aJobRunThatFailsIsRecordedOnOneLineAndCountsAsTheLastFailure() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        let engine = try home.engine()
        try FileManager.default.removeItem(at: home.home.rulesFile)
        try Data("pipeline:\n  - import\n  - name: broken\n    search: \"order.total >\"\n".utf8).write(to: home.home.rulesFile)
        let runner = try JobRunner.reading(engine: engine)
        let problem = try #require(runner.problem)
        #expect(problem.hasPrefix("rules: rules.yaml:"))
        #expect(!problem.contains("\n"))
        let run = try runner.run(try runner.job(named: "cycle"), trigger: .schedule)
        #expect(run.outcome == .failed)
        let health = try EngineHealth.read(home: home.home, database: engine.database, failedSince: Timestamp(secondsSinceEpoch: 0))
        #expect(health.lastFailure?.job == "cycle")
        #expect(health.runsFailed == 1)
        #expect(health.filesWaiting == 1)
    }

    @Test func aRunningEngineReloadsAGoodEditAndRefusesABrokenOneOnce() throws {
        let home = try TestHome()
        let runner = try JobRunner(engine: home.engine())
        var reloader = ConfigurationReloader(home: home.home)
        guard case .unchanged = reloader.check(runner) else { Issue.record("nothing changed"); return }
        try Data("jobs:\n  - name: cycle\n    every: 2s\n  - name: nightly\n    cron: \"0 2 * * *\"\n".utf8).write(to: home.home.configFile)
        guard case .applied(let next) = reloader.check(runner) else { Issue.record("a good edit applies"); return }
        #expect(next.jobs.map(\.name) == ["cycle", "nightly"])
        try Data("jobs:\n  - name: cycle\n    every: soon\n".utf8).write(to: home.home.configFile)
        guard case .rejected(let message) = reloader.check(next) else { Issue.record("a broken edit is refused"); return }
        #expect(message == "configuration: job 'cycle' every 'soon' at orderflow.yaml:3:12: is not an interval; expected whole seconds from 1s to 31 days, like 30s, 5m or 2h")
        guard case .stillRejected = reloader.check(next) else { Issue.record("reported once"); return }
        #expect(try JobRunner.history(next.engine.database, filter: .init(failedOnly: true)).map(\.job) == ["configuration"])
    }
}
