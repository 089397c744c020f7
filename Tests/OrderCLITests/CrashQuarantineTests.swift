import Foundation
import Testing
import TestSupport

/// A file that crashed the real engine is set aside at the next start instead of crashing it again.
///
/// The crash is made by the documented test hook `ORDERFLOW_TEST_CRASH_ON` (a deliberate trap inside
/// the file's import transaction), which stays set for the second run: the file would crash it again.
@Suite(.serialized) struct CrashQuarantineTests {
    struct Run {
        var status: Int32
        var reason: Process.TerminationReason
        var output: String
    }

    func cycle(_ home: TestHome, crashOn: String?) throws -> Run {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["cycle", "--home", home.root.path]
        var environment = ProcessInfo.processInfo.environment
        environment["ORDERFLOW_TEST_CRASH_ON"] = crashOn
        // The Swift runtime's backtrace is not what this test reads; keep the crash quick.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let log = home.root.appendingPathComponent("cycle-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return Run(status: process.terminationStatus, reason: process.terminationReason,
                   output: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,100,,"]))
        return home
    }

    func files(_ home: TestHome, _ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: home.root.appendingPathComponent(folder).path)) ?? []).sorted()
    }

    @Test func aFileThatCrashedTheEngineIsSetAsideAndTheOthersCarryOn() throws {
        let home = try home()
        try home.drop("orders", "boom.csv", Sample.orders([Sample.line("BOOM", sku: "SKU1")]))
        try home.drop("orders", "good.csv", Sample.orders([Sample.line("GOOD", sku: "SKU1")]))

        let first = try cycle(home, crashOn: "boom")
        #expect(first.reason == .uncaughtSignal && first.status == SIGILL, "\(first.status) \(first.output)")
        #expect(home.exists("processing/.crashed"))
        #expect(!home.exists("processing/.importing"))
        #expect(files(home, "processing/orders").contains { $0.hasSuffix("-boom.csv") })
        #expect(!home.exists("archive/orders/good.csv"))

        // The hook is still set: imported again, the file would crash the engine again.
        let second = try cycle(home, crashOn: "boom")
        #expect(second.status == 0, "\(second.output)")
        #expect(second.reason == .exit)
        let reason = try home.read("failed/orders/boom.csv.reason.txt")
        #expect(reason == "the engine crashed while importing this file (signal 4, SIGILL); it was set aside so that it cannot crash the engine again; fix the file and drop it again\n")
        #expect(second.output.contains("orders/boom.csv: the engine crashed while importing this file (signal 4, SIGILL)"))
        #expect(home.exists("archive/orders/good.csv"))
        #expect(try home.stages("GOOD") == [1: "despatched"])
        #expect((try? home.order("BOOM")) == nil)
        #expect(files(home, "processing/orders").isEmpty)
        #expect(!home.exists("processing/.crashed"))
        #expect(!home.exists("processing/.importing"))
        let report = try files(home, "outbox/exceptions").map { try home.read("outbox/exceptions/\($0)") }.joined()
        #expect(report.contains("failed-file,,,,\"the engine crashed while importing this file (signal 4, SIGILL)"), "\(report)")

        // Fixed and dropped again, it imports.
        try home.drop("orders", "boom.csv", Sample.orders([Sample.line("BOOM", sku: "SKU1", qty: 2)]))
        let third = try cycle(home, crashOn: nil)
        #expect(third.status == 0, "\(third.output)")
        #expect(try home.order("BOOM").lines.first?.quantity == 2)
    }

    @Test func aKilledImportLeavesItsMarkerAndTheFileIsSimplyImportedAgain() throws {
        let home = try home()
        // As a SIGKILL leaves it: the file claimed in processing/, the marker still saying it was being imported.
        let folder = home.root.appendingPathComponent("processing/orders")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Sample.orders([Sample.line("KILLED", sku: "SKU1")]).utf8).write(to: folder.appendingPathComponent("abc12345-killed.csv"))
        try Data("orders/abc12345-killed.csv\n".utf8).write(to: home.root.appendingPathComponent("processing/.importing"))

        let run = try cycle(home, crashOn: nil)
        #expect(run.status == 0, "\(run.output)")
        #expect(home.exists("archive/orders/killed.csv"))
        #expect(!home.exists("failed/orders/killed.csv"))
        #expect(try home.stages("KILLED") == [1: "despatched"])
        #expect(!home.exists("processing/.importing"))
    }
}
