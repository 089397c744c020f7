import Foundation
import GRDB
import Testing
import OrderDaemon
import OrderEngine
import TestSupport

@Suite struct JobRunnerTests {
    func home(jobs: String) throws -> TestHome {
        let home = try TestHome()
        try Data("time_zone: UTC\njobs:\n\(jobs)".utf8).write(to: home.home.configFile)
        return home
    }

    func runner(_ home: TestHome, at time: String) throws -> JobRunner {
        try JobRunner(engine: home.engine(at: time))
    }

    @Test func aContinuousJobRunsEveryIntervalAndNeverTwiceAtOnce() throws {
        let home = try home(jobs: "  - name: cycle\n    every: 30s\n")
        #expect(try runner(home, at: "2026-11-27T08:00:00Z").tick().map(\.outcome) == [.ok])
        #expect(try runner(home, at: "2026-11-27T08:00:10Z").tick().isEmpty)
        #expect(try runner(home, at: "2026-11-27T08:00:30Z").tick().count == 1)
        // A run that overran (still marked running, e.g. in another process) is not started again.
        try home.engine().database.writer.write { db in
            try db.execute(sql: "INSERT INTO job_run (job, started_at, outcome, trigger) VALUES ('cycle', '2026-11-27T08:01:00Z', 'running', 'schedule')")
        }
        #expect(try runner(home, at: "2026-11-27T08:05:00Z").tick().isEmpty)
        // The engine that died mid-run is recovered; then the job runs once, not once per missed interval.
        #expect(try runner(home, at: "2026-11-27T09:00:00Z").recoverInterrupted() == 1)
        let runs = try runner(home, at: "2026-11-27T09:00:00Z").tick()
        #expect(runs.count == 1)
        // The runs found nothing to do: they are counted, not listed; the interrupted one is listed.
        let history = try runner(home, at: "2026-11-27T09:00:00Z").history(job: "cycle")
        #expect(history.map(\.outcome) == [.failed])
        #expect(history.first?.error == "interrupted: the engine stopped during the run")
        #expect(runs.first?.counts?["import"] != nil)
        #expect(try runner(home, at: "2026-11-27T09:00:00Z").idleRuns().map(\.runs) == [3])
    }

    @Test func aMissedCronRunRunsOnceAtStartUp() throws {
        let home = try home(jobs: "  - name: morning\n    cron: \"0 6 * * *\"\n    steps: [allocate, export]\n")
        #expect(try runner(home, at: "2026-11-27T05:00:00Z").tick(startup: true).isEmpty)   // first start: nothing owed
        #expect(try runner(home, at: "2026-11-27T05:59:00Z").tick().isEmpty)
        let first = try runner(home, at: "2026-11-27T06:00:00Z").tick()
        #expect(first.map(\.trigger) == [.schedule])
        #expect(first[0].scheduledFor == "2026-11-27T06:00:00Z")
        #expect(first[0].counts.map { Set($0.keys) } == ["allocate", "export"])
        // Down from the 27th to the 30th, 07:00: three mornings missed, one catch-up run.
        let catchUp = try runner(home, at: "2026-11-30T07:00:00Z").tick(startup: true)
        #expect(catchUp.map(\.trigger) == [.catchUp])
        #expect(catchUp[0].scheduledFor == "2026-11-30T06:00:00Z")
        #expect(try runner(home, at: "2026-11-30T07:00:30Z").tick().isEmpty)
        #expect(try runner(home, at: "2026-11-30T07:00:30Z").nextRun(of: runner(home, at: "2026-11-30T07:00:30Z").job(named: "morning"))?.description
                == "2026-12-01T06:00:00Z")
    }

    @Test func aJobWhosePolicyIsSkipRecordsTheMissedRunWithoutRunningIt() throws {
        let home = try home(jobs: "  - name: nightly\n    cron: \"0 2 * * *\"\n    missed: skip\n")
        _ = try runner(home, at: "2026-11-27T01:00:00Z").tick(startup: true)
        let runs = try runner(home, at: "2026-11-28T09:00:00Z").tick(startup: true)
        #expect(runs.map(\.outcome) == [.skipped])
        #expect(runs[0].error == "missed while the engine was down; the job's policy is to skip")
    }

    @Test(arguments: [
        ("  - name: a\n    every: soon\n",
         "configuration: job 'a' every 'soon' at orderflow.yaml:4:12: is not an interval; expected whole seconds from 1s to 31 days, like 30s, 5m or 2h"),
        ("  - name: a\n    cron: \"0 25 * * *\"\n",
         "configuration: job 'a' cron '0 25 * * *' at orderflow.yaml:4:14: hour '25' is not a number from 0 to 23"),
        ("  - name: a\n    cron: \"0 6 * * *\"\n    time_zone: Mars/Olympus\n",
         "configuration: job 'a' time_zone 'Mars/Olympus' at orderflow.yaml:5:16: is not a time zone; use a name such as UTC or Europe/London"),
        ("  - name: a\n    every: 5m\n    steps: [allocate, teleport]\n",
         "jobs: job 'a' step 'teleport' at orderflow.yaml:5:23: not in the pipeline of rules.yaml and not a built-in step; the steps are import, credit-check, unknown-products, proforma-vetting, drop-ship, allocate, export, back-order-report"),
        ("  - name: a\n    every: 5m\n    cron: \"* * * * *\"\n",
         "configuration: job 'a' every '5m' at orderflow.yaml:4:12: the job has 'cron' too; give either 'every' or 'cron'"),
    ])
    func jobMistakesAreExplainedWithTheirLineAndColumn(jobs: String, message: String) throws {
        let home = try home(jobs: jobs)
        #expect { _ = try runner(home, at: "2026-11-27T08:00:00Z") } throws: { "\($0)" == message }
    }

    /// A job listing a step twice is refused when orderflow.yaml is read, before any step runs.
    @Test func aJobThatRepeatsAStepIsRefusedAtLoadNotAfterItsStepsCommitted() throws {
        let home = try home(jobs: "  - name: twice\n    every: 5m\n    steps: [allocate, allocate]\n")
        #expect { _ = try runner(home, at: "2026-11-27T08:00:00Z") } throws: {
            "\($0)" == "configuration: job 'twice' step 'allocate' at orderflow.yaml:5:23: is listed twice (first at line 5, column 13); a job runs each step once"
        }
    }

    /// A report whose steps repeat a name adds their counts up; it never traps.
    @Test func aReportWithARepeatedStepAddsItsCounts() throws {
        let home = try TestHome()
        let engine = try home.engine()
        let report = try engine.runSteps([BuiltInStep.allocate, .allocate, .export].map { engine.builtInStep($0, mappings: []) })
        #expect(report.steps.map(\.step) == ["allocate", "allocate", "export"])
        #expect(Set(report.counts.keys) == ["allocate", "export"])
        var twice = report
        twice.steps = [StepReport(step: "x", ["n": 2]), StepReport(step: "x", ["n": 3, "n": 4])]
        #expect(twice.counts == ["x": ["n": 9]])
    }

    /// Every built-in step name is parsed to its step; the step's own name is the same word.
    @Test func everyBuiltInStepRunsAsTheStepOfItsName() throws {
        for step in BuiltInStep.allCases {
            #expect(step.makeStep(mappings: []).name == step.rawValue)
        }
    }
}
