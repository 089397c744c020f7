import Foundation
import Testing
import TestSupport

/// What the commands say about a broken configuration, a broken rules.yaml, a wrong stage and a folder that is no home.
extension CommandLineTests {
    @Test func checkFindsABrokenRulesFileWithItsLineAndColumn() throws {
        let home = try TestHome()
        try Data("stages: []\npipeline:\n  - step: import\n  - step: alocate\n".utf8).write(to: home.home.rulesFile)
        let check = try run(["check", "--home", home.root.path])
        #expect(check.status == 1)
        #expect(check.stdout.contains("rules.yaml:4:11: unknown step 'alocate'; the built-in steps are import, credit-check"))
    }

    @Test func checkFindsABadCronExpressionAndEveryOtherConfigMistake() throws {
        let home = try TestHome()
        try Data("""
            inbox:
              poll_interval: 0
            jobs:
              - name: morning
                cron: "0 6 * * MON-FRY"
              - name: report
                every: 1h
                steps: [allocate, teleport]

            """.utf8).write(to: home.home.configFile)
        let check = try run(["check", "--home", home.root.path])
        #expect(check.status == 1)
        let lines = check.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(check.stdout)")
        guard lines.count == 3 else { return }
        #expect(lines[0].hasPrefix("configuration: inbox.poll_interval '0' at orderflow.yaml:2:18: must be more than 0"))
        #expect(lines[1].hasPrefix("configuration: job 'morning' cron '0 6 * * MON-FRY' at orderflow.yaml:5:20: day of week 'FRY'"))
        #expect(lines[2].hasPrefix("jobs: job 'report' step 'teleport' at orderflow.yaml:8:23: not in the pipeline of rules.yaml"))
        // Once the file reads, the job's steps are checked against the pipeline too.
        try Data("jobs:\n  - name: report\n    every: 1h\n    steps: [allocate, teleport]\n".utf8).write(to: home.home.configFile)
        let steps = try run(["check", "--home", home.root.path])
        #expect(steps.status == 1)
        #expect(steps.stdout.hasPrefix("jobs: job 'report' step 'teleport' at orderflow.yaml:4:23: not in the pipeline of rules.yaml"))
        // check opens no database, so it creates none.
        #expect(!home.exists("orderflow.sqlite"))
    }

    @Test func searchOnABrokenRulesFileSaysWhereItIsBroken() throws {
        let home = try TestHome()
        _ = try run(["cycle", "--home", home.root.path])
        for text in ["stages: []\npipeline:\n  - step: import\n  - rule: r\n    search: order.total >\n    action: hold\n",
                     "stages: []\npipeline:\n  - [step, import]\n", "stages: nope\npipeline: []\n", "pipeline: [\n"] {
            try Data(text.utf8).write(to: home.home.rulesFile)
            let search = try run(["search", "order.total > 1", "--home", home.root.path])
            #expect(search.status == 1, "\(text)")
            #expect(search.stderr.contains("rules.yaml:"), "\(text): \(search.stderr)")
            #expect(!search.stderr.contains("Fatal error"), "\(text)")
        }
    }

    @Test func ordersInAStageThatDoesNotExistListsTheStagesThatDo() throws {
        let home = try TestHome()
        _ = try run(["cycle", "--home", home.root.path])
        let orders = try run(["orders", "--stage", "held", "--home", home.root.path])
        #expect(orders.status != 0)
        #expect(orders.stderr.contains("no stage 'held'; the stages are new, held-for-credit, order-vetting, on-hold"))
        #expect(!orders.stdout.contains("no orders"))
        #expect(try run(["orders", "--stage", "held-for-credit", "--home", home.root.path]).stdout == "no orders\n")
        try Data("stages:\n  - name: export-check\n    description: paperwork\npipeline:\n  - step: import\n".utf8).write(to: home.home.rulesFile)
        #expect(try run(["orders", "--stage", "export-check", "--home", home.root.path]).status == 0)
        #expect(try run(["orders", "--stage", "held", "--home", home.root.path]).stderr.contains("export-check (from rules.yaml)"))
    }

    @Test func readOnlyCommandsOnAFolderWithNoHomeCreateNoDatabase() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-empty-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        for command in [["status"], ["orders"], ["order", "SO-1"], ["rules"], ["search", "order.total > 1"], ["jobs"], ["jobs", "history"]] {
            let result = try run(command + ["--home", empty.path])
            #expect(result.status != 0, "\(command)")
            #expect(result.stderr.contains("is not an orderflow home"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("orderflow init --home"), "\(command)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)

        // A home whose database is not there yet: said so, and still not created.
        let home = try TestHome()
        let status = try run(["status", "--home", home.root.path])
        #expect(status.status != 0)
        #expect(status.stderr.contains("no database at"))
        #expect(!home.exists("orderflow.sqlite"))
    }
}
