import Foundation
import Testing
import TestSupport

/// `bench cycle` reports the figures the performance targets are stated in. What it reports is checked
/// on a tiny run; how long anything takes is never checked (a benchmark, not a timed test).
@Suite struct BenchCommandTests {
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> CommandLineTests.Run {
        try CommandLineTests().run(arguments, environment: environment)
    }

    static var sqliteOnPath: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/sqlite3") }
    }

    @Test func theJSONCarriesTheColdCycleRatioAndTheReceiptCycleRunAsAProcess() throws {
        let scratch = try TestHome().root.appendingPathComponent("bench")
        let bench = try run(["bench", "cycle", "--lines", "300", "--dir", scratch.path, "--json"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
        let process = try #require(json["processReceiptCycleMilliseconds"] as? Double)
        #expect(process > 0)
        let steps = try #require(json["processReceiptSteps"] as? [[String: Any]])
        #expect(steps.map { $0["name"] as? String }.contains("allocate"))
        #expect((json["processBacklogLines"] as? Int).map { $0 > 0 } == true, "a receipt over no back orders would measure nothing")
        #expect(json["peakResidentMB"] is Double)
        // With a sqlite3 shell both ratios are there; without one (as in CI) neither is.
        #expect((json["cycleRatio"] != nil) == Self.sqliteOnPath)
        #expect((json["importRatio"] != nil) == Self.sqliteOnPath)
        #expect(!FileManager.default.fileExists(atPath: scratch.path), "the scratch home is removed after measuring")
    }

    @Test func withoutASqlite3ShellItSaysSoInsteadOfARatio() throws {
        let scratch = try TestHome().root.appendingPathComponent("bench")
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = scratch.path
        let bench = try run(["bench", "cycle", "--lines", "300", "--dir", scratch.path], environment: environment)
        #expect(bench.status == 0, "\(bench.stderr)")
        #expect(bench.stdout.contains("vs the sqlite3 shell's .import: not measured, no sqlite3 shell on the PATH"), "\(bench.stdout)")
        #expect(bench.stdout.contains("summary: cold cycle vs .import: no sqlite3; import vs .import: no sqlite3; peak memory"))
        #expect(bench.stdout.contains("as a whole 'orderflow cycle' process"))
    }
}
