import Foundation
import GRDB
import Testing
import OrderEngine
import OrderInbox
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

    /// Writes `text` to inbox/orders/NAME with its modification time `seconds` after `base` (real time).
    func write(_ home: TestHome, _ name: String, _ text: String, at seconds: Int64, from base: Int64, append: Bool = false) throws {
        let url = home.home.inbox.appendingPathComponent("orders/\(name)")
        if append, let handle = try? FileHandle(forWritingTo: url) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try handle.close()
        } else {
            try Data(text.utf8).write(to: url)
        }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(base + seconds))], ofItemAtPath: url.path)
    }

    /// A moment of real time a little in the past, and a real-time clock the test steps from it (tests never sleep).
    func realTime() -> (base: Int64, clock: ManualClock) {
        let base = Timestamp(Date()).secondsSinceEpoch - 60
        return (base, ManualClock(Timestamp(secondsSinceEpoch: base)))
    }

    /// A daemon's polls of `home` at `--now`, its file clock stepped to `base + seconds` of real time.
    private func daemonPolls(_ home: TestHome, now: String) throws -> (base: Int64, poll: (Int64) throws -> CycleReport) {
        let (base, clock) = realTime()
        let options = Engine.RunOptions(observations: InboxObservations(), fileClock: clock)
        let engine = try home.engine(at: now)
        return (base, { seconds in
            clock.set(Timestamp(secondsSinceEpoch: base + seconds))
            return try engine.runCycle(options: options)
        })
    }

    // File ages are measured on the real clock (`RunOptions.fileClock`, here a stepped `ManualClock` standing in
    // for it), whatever the engine's business clock says: these engines run on a `--now` months away.

    @Test func aFileWrittenSlowlyIsTakenOnlyOnceItHasSettled() throws {
        let home = try home()
        let (base, poll) = try daemonPolls(home, now: "2026-06-03T00:00:00Z")
        try write(home, "slow.csv", Sample.orderHeader + "\n" + Sample.line("A", sku: "SKU1") + "\n", at: 0, from: base)
        var report = try poll(1)
        #expect(report.step("import")?["waiting"] == 1)
        #expect(home.exists("inbox/orders/slow.csv"))
        // The SFTP client writes the rest one second later.
        try write(home, "slow.csv", Sample.line("A", no: 2, sku: "SKU1") + "\n", at: 2, from: base, append: true)
        report = try poll(3)
        #expect(report.step("import")?["waiting"] == 1)
        report = try poll(5)
        #expect(report.step("import")?["waiting"] == 1)   // first seen whole at +3 s: not yet 2 s + 1
        report = try poll(6)
        #expect(report.step("import")?["files"] == 1)
        #expect(try home.order("A").lines.count == 2)
    }

    @Test func theDaemonWaitsForASteadySizeEvenWhenTheModificationTimeIsOld() throws {
        let home = try home()
        let (base, poll) = try daemonPolls(home, now: "2027-01-01T00:00:00Z")
        // Some clients keep the original modification time while they write: the size still tells.
        try write(home, "kept-time.csv", "order_ref", at: -7200, from: base)
        var report = try poll(1)
        #expect(report.step("import")?["waiting"] == 1)
        try write(home, "kept-time.csv", Sample.orderHeader + "\n" + Sample.line("B", sku: "SKU1") + "\n", at: -7200, from: base)
        report = try poll(2)
        #expect(report.step("import")?["waiting"] == 1)
        report = try poll(4)
        #expect(report.step("import")?["waiting"] == 1)   // 2 s, but whole seconds need one more
        report = try poll(5)
        #expect(report.step("import")?["files"] == 1)
        #expect(try home.order("B").lines.count == 1)
    }

    @Test func theSettleWindowIsMeasuredOnTheRealClockWhateverNowSays() throws {
        let home = try home()
        // A settle window far longer than a slow test machine takes between writing and polling.
        try Data("inbox:\n  settle: 60s\n".utf8).write(to: home.home.configFile)
        let url = home.home.inbox.appendingPathComponent("orders/today.csv")
        try Data(Sample.orders([Sample.line("TODAY", sku: "SKU1")]).utf8).write(to: url)
        // Written a moment ago: too new on the real clock, whether --now is months before or after it.
        var report = try home.cycle(at: "2026-06-03T00:00:00Z")
        #expect(report.step("import")?["waiting"] == 1)
        report = try home.cycle(at: "2030-01-01T00:00:00Z")
        #expect(report.step("import")?["waiting"] == 1)
        // Two real minutes old: settled, even for an engine whose business clock reads long before it was written.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-120)], ofItemAtPath: url.path)
        report = try home.cycle(at: "2026-06-03T00:00:00Z")
        #expect(report.step("import")?["files"] == 1)
        #expect(try home.stages("TODAY") == [1: "despatched"])
    }

    @Test func aFileStillOpenForWritingWaitsHoweverOldAndIsTakenOnceClosed() throws {
        let home = try home()
        let url = home.home.inbox.appendingPathComponent("orders/upload.csv")
        try Data(Sample.orders([Sample.line("OPEN", sku: "SKU1")]).utf8).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: url.path)
        // An upload that paused: another process holds the file open for writing (as its stdout) and writes nothing.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sleep")
        writer.arguments = ["60"]
        let handle = try FileHandle(forWritingTo: url)
        writer.standardOutput = handle
        try writer.run()
        try handle.close()
        // SIGKILL: a test runner may leave SIGTERM ignored, and the child would inherit that.
        defer { if writer.isRunning { kill(writer.processIdentifier, SIGKILL) } }
        // A reader (a scanner, a tail) holding it open does not hold it back: only write access does.
        let reader = try FileHandle(forReadingFrom: url)
        defer { try? reader.close() }
        var report = try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(report.step("import")?["waiting"] == 1)
        #expect(report.step("import")?["files"] == 0)
        #expect(home.exists("inbox/orders/upload.csv"))
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        report = try home.cycle(at: "2026-11-27T09:00:10Z")
        #expect(report.step("import")?["files"] == 1)
        #expect(try home.stages("OPEN") == [1: "despatched"])
    }

    /// Appends to the claimed file in `processing/` at one point of its import, as a writer that still had it open would.
    final class WriterDuringImport: ImportObserver, @unchecked Sendable {
        let processing: URL
        let text: String
        let whenCommitted: Bool
        private var done = false
        init(processing: URL, text: String, whenCommitted: Bool) {
            self.processing = processing; self.text = text; self.whenCommitted = whenCommitted
        }
        func started(file: String, bytes: Int) {}
        func progress(file: String, bytesDone: Int, bytesTotal: Int, records: Int) { if !whenCommitted { append() } }
        func finished(file: String, records: Int, rejected: Int, outcome: String) { if whenCommitted { append() } }
        func append() {
            guard !done else { return }
            done = true
            let folder = processing.appendingPathComponent("orders")
            guard let name = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.first(where: { !$0.hasPrefix(".") }),
                  let handle = try? FileHandle(forWritingTo: folder.appendingPathComponent(name)) else { return }
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        }
    }

    @Test func aFileWrittenToDuringItsImportIsRolledBackAndTakenWholeLater() throws {
        let home = try home()
        try Data("inbox:\n  settle: 60s\n".utf8).write(to: home.home.configFile)
        let url = try home.drop("orders", "grow.csv", Sample.orders([Sample.line("G1", sku: "SKU1")]))
        let writer = WriterDuringImport(processing: home.home.processing, text: Sample.line("G2", sku: "SKU1") + "\n", whenCommitted: false)
        var report = try home.engine(at: "2026-11-27T09:00:00Z").runCycle(observer: writer)
        #expect(report.step("import")?["files"] == 0)
        #expect(report.step("import")?["waiting"] == 1)
        #expect(throws: EngineError.self) { try home.order("G1") }
        // Back in the inbox, whole, to settle again; nothing archived, nothing left in processing/.
        #expect(try home.read("inbox/orders/grow.csv") == Sample.orders([Sample.line("G1", sku: "SKU1"), Sample.line("G2", sku: "SKU1")]))
        #expect(!home.exists("archive/orders/grow.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.home.processing.appendingPathComponent("orders").path).isEmpty)
        // Just written: too new for the next poll; once settled it is taken whole, and the archive holds what was imported.
        report = try home.cycle(at: "2026-11-27T09:00:05Z")
        #expect(report.step("import")?["waiting"] == 1)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-120)], ofItemAtPath: url.path)
        report = try home.cycle(at: "2026-11-27T09:00:10Z")
        #expect(report.step("import")?["files"] == 1)
        #expect(try home.order("G1").lines.count == 1 && home.order("G2").lines.count == 1)
        #expect(try home.read("archive/orders/grow.csv") == Sample.orders([Sample.line("G1", sku: "SKU1"), Sample.line("G2", sku: "SKU1")]))
    }

    @Test func aFileWrittenToJustAfterItsImportCommittedIsNotArchivedAsIfImported() throws {
        let home = try home()
        try home.drop("orders", "late.csv", Sample.orders([Sample.line("L1", sku: "SKU1")]))
        let writer = WriterDuringImport(processing: home.home.processing, text: Sample.line("L2", sku: "SKU1") + "\n", whenCommitted: true)
        _ = try home.engine(at: "2026-11-27T09:00:00Z").runCycle(observer: writer)
        #expect(try home.order("L1").lines.count == 1)
        #expect(throws: EngineError.self) { try home.order("L2") }
        #expect(!home.exists("archive/orders/late.csv"))
        #expect(home.exists("failed/orders/late.csv"))
        #expect(try home.read("failed/orders/late.csv.reason.txt").contains("the file changed after its import was committed"))
    }

    @Test func namesTooLongToKeepAreShortenedAndTheOriginalIsRecorded() throws {
        let home = try home()
        // 251 bytes: the claim token made it too long to rename ("File name too long" on every poll).
        let long = String(repeating: "n", count: 247) + ".csv"
        try home.drop("orders", long, Sample.orders([Sample.line("LONG", sku: "SKU1")]))
        // 232 bytes, rejected: its reason's temporary name was too long, so it stayed in processing/.
        let rejected = String(repeating: "é", count: 114) + ".csv"
        #expect(rejected.utf8.count == 232)
        try home.drop("orders", rejected, "")
        let report = try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(report.step("import")?["files"] == 1)
        #expect(report.step("import")?["failed files"] == 1)
        #expect(try home.stages("LONG") == [1: "despatched"])
        let archived = try FileManager.default.contentsOfDirectory(atPath: home.home.archive.appendingPathComponent("orders").path)
        let kept = try #require(archived.first { $0.hasPrefix("nnnn") })
        #expect(kept.utf8.count <= 224 && kept.hasSuffix(".csv") && kept.contains("~"))
        #expect(try home.read("archive/orders/\(kept)") == Sample.orders([Sample.line("LONG", sku: "SKU1")]))
        let failed = try FileManager.default.contentsOfDirectory(atPath: home.home.failed.appendingPathComponent("orders").path)
        let reason = try #require(failed.first { $0.hasSuffix(".reason.txt") })
        #expect(reason.utf8.count <= 255 && reason.hasPrefix("éé"))
        #expect(try home.read("failed/orders/\(reason)").contains("(dropped as inbox/orders/\(rejected), a name too long to keep)"))
        // Nothing stuck: the inbox and processing/ are empty (the kept original names too).
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.home.inbox.appendingPathComponent("orders").path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.home.processing.appendingPathComponent("orders").path).isEmpty)
        // The database keeps the names they were dropped with.
        let names = try home.engine().database.writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM source_file") }
        #expect(names.contains("orders/\(long)") && names.contains("orders/\(rejected)"))
    }

    @Test func aShortenedClaimLeftByACrashIsFinishedUnderItsOriginalName() throws {
        let home = try home()
        let long = String(repeating: "m", count: 250) + ".csv"
        let folder = home.home.processing.appendingPathComponent("orders")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let claimName = "t0abc12345-mmmm~0123abcd.csv"
        try Data(Sample.orders([Sample.line("CRASH", sku: "SKU1")]).utf8).write(to: folder.appendingPathComponent(claimName))
        try Data(long.utf8).write(to: folder.appendingPathComponent(".\(claimName).name"))
        try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(try home.stages("CRASH") == [1: "despatched"])
        let names = try home.engine().database.writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM source_file WHERE claim_name = ?", arguments: [claimName]) }
        #expect(names == ["orders/\(long)"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func aReasonLeftByAnotherFileDoesNotKeepARejectedFileInProcessing() throws {
        let home = try home()
        let failed = home.home.failed.appendingPathComponent("orders")
        try FileManager.default.createDirectory(at: failed, withIntermediateDirectories: true)
        try Data("an older file's reason\n".utf8).write(to: failed.appendingPathComponent("x.csv.reason.txt"))
        try home.drop("orders", "x.csv", "")
        try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.home.processing.appendingPathComponent("orders").path).isEmpty)
        #expect(try home.read("failed/orders/x.csv.reason.txt") == "an older file's reason\n")
        let reasons = try FileManager.default.contentsOfDirectory(atPath: failed.path).filter { $0.hasSuffix("-x.csv.reason.txt") }
        #expect(reasons.count == 1)
    }

    @Test func aFileThatCannotBeFinishedIsReportedOnceAndFinishedWhenTheCausePasses() throws {
        let home = try home()
        // archive/orders cannot be made (a file is in its place): the imported file cannot leave processing/.
        try FileManager.default.createDirectory(at: home.home.archive, withIntermediateDirectories: true)
        try Data("in the way".utf8).write(to: home.home.archive.appendingPathComponent("orders"))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("STUCK", sku: "SKU1")]))
        let first = try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(first.step("import")?.warnings.count == 1)
        #expect(try home.stages("STUCK") == [1: "despatched"])
        for second in 10...12 {
            let again = try home.cycle(at: "2026-11-27T09:00:\(second)Z")
            #expect(again.step("import")?.warnings.isEmpty == true)
        }
        let notices = try home.engine().database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT reason FROM exception WHERE kind = 'inbox' AND reason LIKE '%processing/orders/%'")
        }
        #expect(notices.count == 1)
        #expect(notices.first?.contains("it stays where it is and is tried again on every poll (reported once)") == true)
        // The cause removed, the next poll finishes it, once.
        try FileManager.default.removeItem(at: home.home.archive.appendingPathComponent("orders"))
        try home.cycle(at: "2026-11-27T09:01:00Z")
        #expect(try home.read("archive/orders/o.csv") == Sample.orders([Sample.line("STUCK", sku: "SKU1")]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.home.processing.appendingPathComponent("orders").path).isEmpty)
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
