import Foundation
import GRDB
import OrderEngine
import OrderInbox
import OrderModel
import OrderStore
import Synchronization
import Testing
import TestSupport

/// An orders file imports in short transactions, so that an operator's command beside the engine gets the
/// write lock within a fraction of a second, and the file still imports all or nothing: an import that
/// does not finish (the file changed, the engine stopped or died) is taken back whole.
@Suite struct ChunkedImportTests {
    /// Commit at every batch of the import (512 records), instead of every 250 ms.
    let everyBatch = Engine.RunOptions(importCommitInterval: .zero)

    func orders(_ count: Int, prefix: String = "SO") -> String {
        Sample.orders((1...count).map { Sample.line("\(prefix)-\($0)", customer: "C1", sku: "A", qty: 1) })
    }

    func setUp() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("A")]))
        try home.cycle()
        return home
    }

    func count(_ home: TestHome, _ sql: String) throws -> Int {
        try home.engine().database.writer.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    /// Calls `action` at the import's `call`th progress report, on the importing thread. The import commits
    /// right after each report (`everyBatch`): at the first, nothing is committed yet; at the second, one batch is.
    final class AtProgress: ImportObserver, @unchecked Sendable {
        let call: Int
        let action: @Sendable () -> Void
        let calls = Mutex(0)
        init(_ call: Int, _ action: @escaping @Sendable () -> Void) { self.call = call; self.action = action }
        func started(file: String, bytes: Int) {}
        func progress(file: String, bytesDone: Int, bytesTotal: Int, records: Int) {
            let now = calls.withLock { count in count += 1; return count }
            if now == call { action() }
        }
        func finished(file: String, records: Int, rejected: Int, outcome: String) {}
    }

    @Test func anOperatorsWriteGetsInWhileTheImportIsStillRunning() throws {
        let home = try setUp()
        try home.drop("orders", "big.csv", orders(10_000))
        let operatorDatabase = try OrderDatabase(path: home.home.database(EngineConfig()).path, busyWait: .init(seconds: 60))
        let seenInProgress = Mutex<Int?>(nil)
        let finished = DispatchSemaphore(value: 0)
        // The operator's write starts while the import holds the lock; it must get in before the import ends.
        let trying = DispatchSemaphore(value: 0)
        let observer = AtProgress(1) {
            Thread {
                trying.signal()
                let seen = try? operatorDatabase.writer.write { db in
                    try db.execute(sql: "INSERT INTO cycle (started_at) VALUES ('2026-11-27T09:00:30Z')")
                    return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM import_in_progress")
                }
                seenInProgress.withLock { $0 = seen ?? nil }
                finished.signal()
            }.start()
            trying.wait()
        }
        let report = try home.engine().runCycle(observer: observer, options: everyBatch)
        finished.wait()
        #expect(seenInProgress.withLock { $0 } == 1, "the operator's write ran while the import was in progress")
        #expect(report.counts["import"]?["records"] == 10_000)
        #expect(try count(home, "SELECT COUNT(*) FROM sales_order") == 10_000)
        #expect(try count(home, "SELECT COUNT(*) FROM import_in_progress") == 0)
        #expect(home.exists("archive/orders/big.csv"))
    }

    @Test func aFileChangedAfterSomeCommitsIsTakenBackWholeAndImportedLater() throws {
        let home = try setUp()
        let url = try home.drop("orders", "growing.csv", orders(3_000))
        // A writer that still had the file open appends to it while it is imported (after the first commit).
        let processing = home.home.root.appendingPathComponent("processing")
        let observer = AtProgress(2) {
            guard let name = try? FileManager.default.subpathsOfDirectory(atPath: processing.path).first(where: { $0.hasSuffix("growing.csv") }),
                  let handle = FileHandle(forWritingAtPath: processing.appendingPathComponent(name).path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data(Sample.line("SO-LATE", customer: "C1", sku: "A").utf8 + [10]))
            try? handle.close()
        }
        let report = try home.engine().runCycle(observer: observer, options: everyBatch)
        #expect(report.counts["import"]?["waiting"] == 1)
        #expect(try count(home, "SELECT COUNT(*) FROM sales_order") == 0, "the batches committed before the change are taken back")
        #expect(try count(home, "SELECT COUNT(*) FROM source_file WHERE name = 'orders/growing.csv'") == 0)
        #expect(try count(home, "SELECT COUNT(*) FROM import_in_progress") == 0)
        #expect(FileManager.default.fileExists(atPath: url.path), "the file is back in its inbox folder")
        // Settled again, it imports whole, with the line added.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_100)], ofItemAtPath: url.path)
        _ = try home.engine().runCycle(options: everyBatch)
        #expect(try count(home, "SELECT COUNT(*) FROM sales_order") == 3_001)
        #expect(home.exists("archive/orders/growing.csv"))
    }

    @Test func anImportStoppedBetweenCommitsIsTakenBackAndTheFileWaitsInProcessing() throws {
        let home = try setUp()
        try home.drop("orders", "stopped.csv", orders(3_000))
        let stop = StopToken()
        var options = everyBatch
        options.stop = stop
        let observer = AtProgress(2) { stop.stop() }
        _ = try? home.engine().runCycle(observer: observer, options: options)
        #expect(try count(home, "SELECT COUNT(*) FROM sales_order") == 0)
        #expect(try count(home, "SELECT COUNT(*) FROM import_in_progress") == 0)
        _ = try home.engine().runCycle(options: everyBatch)
        #expect(try count(home, "SELECT COUNT(*) FROM sales_order") == 3_000)
        #expect(home.exists("archive/orders/stopped.csv"))
    }

    /// What a process killed between two commits leaves: some orders of the file committed, its row in
    /// import_in_progress, the file in processing/. The next cycle takes the part back before any step.
    @Test func theNextCycleTakesBackAnImportAProcessDidNotFinish() throws {
        let home = try setUp()
        try home.drop("orders", "killed.csv", orders(2_000))
        // Stop the import after its first commit without the engine's own clean-up: the database is
        // copied as a SIGKILL would leave it, while the import is between commits.
        let path = home.home.database(EngineConfig()).path
        let copied = Mutex(false)
        let observer = AtProgress(2) {
            Thread {
                // The copy is taken with a read transaction of its own, in WAL: it sees the committed batches only.
                let reader = try? DatabaseQueue(path: path)
                try? reader?.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO '\(path).killed'") }
                copied.withLock { $0 = true }
            }.start()
            while !copied.withLock({ $0 }) { usleep(1_000) }
        }
        _ = try home.engine().runCycle(observer: observer, options: everyBatch)
        // Put the killed state back: the partial database, and the file in processing/ again.
        try FileManager.default.removeItem(atPath: path)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.moveItem(atPath: path + ".killed", toPath: path)
        #expect(try count(home, "SELECT COUNT(*) FROM import_in_progress") == 1)
        let partial = try count(home, "SELECT COUNT(*) FROM sales_order")
        #expect(partial > 0 && partial < 2_000, "some batches were committed: \(partial)")
        let claim = try home.engine().database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT claim_name FROM source_file WHERE name = 'orders/killed.csv'")
        }
        let archived = home.root.appendingPathComponent("archive/orders/killed.csv")
        let processing = home.root.appendingPathComponent("processing/orders")
        try FileManager.default.createDirectory(at: processing, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: archived, to: processing.appendingPathComponent(try #require(claim)))
        // A job without the import step runs first: it must not see the partial file's orders.
        let allocate = try home.engine().runSteps([BuiltInStep.allocate.makeStep(mappings: [])], options: everyBatch)
        #expect(allocate.steps.first?.step == "allocate")
        #expect(try count(home, "SELECT COUNT(*) FROM sales_order") == 0)
        #expect(try count(home, "SELECT COUNT(*) FROM import_in_progress") == 0)
        _ = try home.engine().runCycle(options: everyBatch)
        #expect(try count(home, "SELECT COUNT(*) FROM sales_order") == 2_000)
        #expect(try count(home, "SELECT COUNT(*) FROM order_line") == 2_000)
        #expect(home.exists("archive/orders/killed.csv"))
    }
}
