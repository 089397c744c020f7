import Foundation
import Testing
import OrderEngine
import TestSupport

@Suite struct HomeCheckTests {
    @Test func aFreshHomeChecksClean() throws {
        let home = try TestHome()
        let report = HomeCheck(home: home.home).run()
        #expect(report.problems == [])
        #expect(report.mappings == 8)
    }

    /// Everything the engine would refuse is found, each with its place, and all of them at once.
    @Test func everyProblemTheEngineWouldRefuseIsListed() throws {
        let home = try TestHome()
        try Data("cache_mb: 1\njobs:\n  - name: a\n    cron: \"*/0 * * * *\"\n  - name: b\n    every: 5m\n    steps: [ghost]\n".utf8)
            .write(to: home.home.configFile)
        try Data("stages: []\npipeline:\n  - step: import\n  - step: export\n  - step: export\n".utf8).write(to: home.home.rulesFile)
        let problems = HomeCheck(home: home.home).run().problems
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("configuration: cache_mb '1' at orderflow.yaml:1:11:") })
        #expect(problems.contains { $0.hasPrefix("configuration: job 'a' cron '*/0 * * * *' at orderflow.yaml:4:") })
        #expect(problems.contains { $0.contains("rules.yaml:5:11: 'export' appears twice in the pipeline") })
        #expect(!home.exists("orderflow.sqlite"))

        // With rules.yaml mended, the job's unknown step is found against the pipeline.
        try Data("stages: []\npipeline:\n  - step: import\n".utf8).write(to: home.home.rulesFile)
        #expect(HomeCheck(home: home.home).run().problems.contains {
            $0.hasPrefix("jobs: job 'b' step 'ghost' at orderflow.yaml:7:13: not in the pipeline of rules.yaml and not a built-in step")
        })
    }

    @Test func aDatabaseInAFolderThatDoesNotExistIsFound() throws {
        let home = try TestHome()
        try Data("database: nowhere/orderflow.sqlite\n".utf8).write(to: home.home.configFile)
        #expect(HomeCheck(home: home.home).run().problems == [
            "configuration: database 'nowhere/orderflow.sqlite': the folder \(home.root.path)/nowhere does not exist; the engine cannot open its database there",
        ])
    }

    @Test func aHomeWithoutItsDatabaseIsRefusedForReadingAndNoneIsCreated() throws {
        let home = try TestHome()
        #expect { try home.home.requireDatabase() } throws: { "\($0)".hasPrefix("no database at ") }
        #expect(!home.exists("orderflow.sqlite"))
        _ = try home.engine()
        try home.home.requireDatabase()
    }
}
