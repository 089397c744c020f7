import Foundation
import GRDB
import Testing
import OrderEngine
import OrderModel
import TestSupport

/// Safe pickup of files that are still being written, with the engine clock standing in for time.
@Suite struct InboxPickupTests {
    func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,50,,"]))
        try home.cycle(at: "2026-11-27T08:00:00Z")
        return home
    }

    /// Writes `text` to inbox/orders/NAME with the given modification time (engine-clock time).
    func write(_ home: TestHome, _ name: String, _ text: String, modified: String, append: Bool = false) throws {
        let url = home.home.inbox.appendingPathComponent("orders/\(name)")
        if append, let handle = try? FileHandle(forWritingTo: url) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try handle.close()
        } else {
            try Data(text.utf8).write(to: url)
        }
        try FileManager.default.setAttributes([.modificationDate: Timestamp(iso8601: modified)!.date], ofItemAtPath: url.path)
    }

    @Test func aFileWrittenSlowlyIsTakenOnlyOnceItHasSettled() throws {
        let home = try home()
        let observations = InboxObservations()
        let options = Engine.RunOptions(observations: observations)
        try write(home, "slow.csv", Sample.orderHeader + "\n" + Sample.line("A", sku: "SKU1") + "\n", modified: "2026-11-27T09:00:00Z")
        var report = try home.engine(at: "2026-11-27T09:00:01Z").runCycle(options: options)
        #expect(report.step("import")?["waiting"] == 1)
        #expect(home.exists("inbox/orders/slow.csv"))
        // The SFTP client writes the rest one second later.
        try write(home, "slow.csv", Sample.line("A", no: 2, sku: "SKU1") + "\n", modified: "2026-11-27T09:00:02Z", append: true)
        report = try home.engine(at: "2026-11-27T09:00:03Z").runCycle(options: options)
        #expect(report.step("import")?["waiting"] == 1)
        report = try home.engine(at: "2026-11-27T09:00:05Z").runCycle(options: options)
        #expect(report.step("import")?["waiting"] == 1)   // first seen whole at 09:00:03: not yet 2 s + 1
        report = try home.engine(at: "2026-11-27T09:00:06Z").runCycle(options: options)
        #expect(report.step("import")?["files"] == 1)
        #expect(try home.order("A").lines.count == 2)
    }

    @Test func theDaemonWaitsForASteadySizeEvenWhenTheModificationTimeIsOld() throws {
        let home = try home()
        let options = Engine.RunOptions(observations: InboxObservations())
        // Some clients keep the original modification time while they write: the size still tells.
        try write(home, "kept-time.csv", "order_ref", modified: "2026-11-27T07:00:00Z")
        var report = try home.engine(at: "2026-11-27T09:00:01Z").runCycle(options: options)
        #expect(report.step("import")?["waiting"] == 1)
        try write(home, "kept-time.csv", Sample.orderHeader + "\n" + Sample.line("B", sku: "SKU1") + "\n", modified: "2026-11-27T07:00:00Z")
        report = try home.engine(at: "2026-11-27T09:00:02Z").runCycle(options: options)
        #expect(report.step("import")?["waiting"] == 1)
        report = try home.engine(at: "2026-11-27T09:00:04Z").runCycle(options: options)
        #expect(report.step("import")?["waiting"] == 1)   // 2 s, but whole seconds need one more
        report = try home.engine(at: "2026-11-27T09:00:05Z").runCycle(options: options)
        #expect(report.step("import")?["files"] == 1)
        #expect(try home.order("B").lines.count == 1)
    }

    @Test func inDoneMarkerModeOnlyTheMarkerReleasesTheFileAndOnlyTheMarkerIsRemoved() throws {
        let home = try home()
        let mapping = try String(contentsOf: home.home.mappings.appendingPathComponent("orders.yaml"), encoding: .utf8)
        try Data((mapping + "done_marker: true\n").utf8).write(to: home.home.mappings.appendingPathComponent("orders.yaml"))
        try home.drop("orders", "batch.csv", Sample.orders([Sample.line("M", sku: "SKU1")]))
        var report = try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(report.step("import")?["waiting"] == 1)
        try home.drop("orders", "batch.csv.done", "")
        report = try home.cycle(at: "2026-11-27T09:00:10Z")
        #expect(report.step("import")?["files"] == 1)
        #expect(!home.exists("inbox/orders/batch.csv.done"))
        #expect(home.exists("archive/orders/batch.csv"))
        // The STEM.done form works too.
        try home.drop("orders", "batch2.csv", Sample.orders([Sample.line("N", sku: "SKU1")]))
        try home.drop("orders", "batch2.done", "")
        try home.cycle(at: "2026-11-27T09:00:20Z")
        #expect(try home.stages("N") == [1: "despatched"])
        #expect(!home.exists("inbox/orders/batch2.done"))
    }

    @Test func linksFoldersAndStrangersAreSetAsideOrReportedOnce() throws {
        let home = try home()
        let target = home.root.appendingPathComponent("outside.csv")
        try Data(Sample.orders([Sample.line("LINK", sku: "SKU1")]).utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: home.home.inbox.appendingPathComponent("orders/link.csv"), withDestinationURL: target)
        try FileManager.default.createDirectory(at: home.home.inbox.appendingPathComponent("orders/nested.csv"), withIntermediateDirectories: true)
        try home.drop("orders", "notes.txt", "not an order file")
        try home.drop("orders", "upload.csv.part", "half")
        try home.cycle(at: "2026-11-27T09:00:00Z")
        try home.cycle(at: "2026-11-27T09:00:10Z")
        #expect(home.exists("failed/orders/link.csv"))
        #expect(try home.read("failed/orders/link.csv.reason.txt").contains("is a symbolic link (links are never followed)"))
        #expect(home.exists("failed/orders/nested.csv.reason.txt"))
        #expect(home.exists("inbox/orders/notes.txt") && home.exists("inbox/orders/upload.csv.part"))
        #expect(FileManager.default.fileExists(atPath: target.path))
        #expect(throws: EngineError.self) { try home.order("LINK") }
        let notices = try home.outbox("exceptions").flatMap { try home.csvRows("outbox/exceptions/\($0)") }.filter { $0["kind"] == "inbox" }
        #expect(notices.count == 3)
        #expect(notices.contains { $0["reason"]!.contains("inbox/orders/notes.txt: no mapping reads it") })
    }

    @Test func emptyAndOversizedFilesAreRejectedWithAReason() throws {
        let home = try home()
        try Data("inbox:\n  max_file_size: 100B\n".utf8).write(to: home.home.configFile)
        try home.drop("orders", "empty.csv", "")
        try home.drop("orders", "big.csv", Sample.orders((1...20).map { Sample.line("O\($0)", sku: "SKU1") }))
        try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(try home.read("failed/orders/empty.csv.reason.txt") == "the file is empty (0 bytes); nothing to import\n")
        #expect(try home.read("failed/orders/big.csv.reason.txt").hasPrefix("the file is"))
        #expect(try home.read("failed/orders/big.csv.reason.txt").contains("over the limit of 100 bytes (inbox.max_file_size in orderflow.yaml)"))
    }

    @Test func aPerPollCapTakesTheOldestFirst() throws {
        let home = try home()
        try Data("inbox:\n  max_files_per_poll: 1\n".utf8).write(to: home.home.configFile)
        try home.drop("orders", "b-newer.csv", Sample.orders([Sample.line("NEWER", sku: "SKU1")]))
        try home.drop("orders", "a-later-name.csv", Sample.orders([Sample.line("NEWEST", sku: "SKU1")]))
        let report = try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(report.step("import")?["files"] == 1)
        #expect(report.step("import")?["waiting"] == 1)
        #expect(try home.stages("NEWER") == [1: "despatched"])
    }

    @Test func oneEnginePerHome() throws {
        let home = try TestHome()
        let first = try EngineLock(home: home.home)
        #expect { _ = try EngineLock(home: home.home) } throws: { "\($0)".contains("another orderflow engine (pid \(getpid())) is running on") }
        withExtendedLifetime(first) {}
    }

    @Test func aStopRequestFinishesTheStepInHandAndLeavesTheRestForTheNextStart() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("S", sku: "SKU1")]))
        let stop = StopToken()
        stop.stop()
        let report = try home.engine(at: "2026-11-27T09:00:00Z").runCycle(options: Engine.RunOptions(stop: stop))
        #expect(report.steps.isEmpty)
        #expect(home.exists("inbox/orders/o.csv"))
        try home.cycle(at: "2026-11-27T09:00:10Z")
        #expect(try home.stages("S") == [1: "despatched"])
    }
}
