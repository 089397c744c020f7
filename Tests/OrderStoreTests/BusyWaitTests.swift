import Foundation
import GRDB
import OrderStore
import Synchronization
import Testing

/// A person's command beside the running engine waits for the engine's write transaction (a long import)
/// instead of failing at once with "database is locked", and says why it waits.
@Suite final class BusyWaitTests {
    /// This test's scratch folder, removed when the test ends (a class, so that it has a deinit).
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-busy-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: folder) }

    func temporaryPath() throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("orderflow.sqlite").path
    }

    /// Holds the write lock of `path` on another connection for `seconds` (the engine's import).
    func holdWriteLock(_ path: String, seconds: Double) throws -> Thread {
        let engine = try OrderDatabase(path: path)
        let started = DispatchSemaphore(value: 0)
        let thread = Thread {
            try? engine.writer.write { db in
                try db.execute(sql: "INSERT INTO cycle (started_at) VALUES ('2026-11-27T09:00:00Z')")
                started.signal()
                Thread.sleep(forTimeInterval: seconds)
            }
        }
        thread.start()
        started.wait()
        return thread
    }

    @Test func aWriteWaitsForAnotherProcesssWriteAndSaysSoAfterASecond() throws {
        let path = try temporaryPath()
        _ = try OrderDatabase(path: path)
        let noticed = Mutex(0)
        let person = try OrderDatabase(path: path, busyWait: .init(seconds: 30) { noticed.withLock { $0 += 1 } })
        _ = try holdWriteLock(path, seconds: 1.5)
        let began = Date()
        try person.writer.write { db in try db.execute(sql: "INSERT INTO cycle (started_at) VALUES ('2026-11-27T09:00:01Z')") }
        #expect(Date().timeIntervalSince(began) >= 1.0)
        #expect(noticed.withLock { $0 } == 1)
        #expect(try person.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cycle") } == 2)
    }

    @Test func aWriteGivesUpAfterItsWait() throws {
        let path = try temporaryPath()
        _ = try OrderDatabase(path: path)
        let person = try OrderDatabase(path: path, busyWait: .init(seconds: 0.2))
        _ = try holdWriteLock(path, seconds: 1.5)
        #expect(throws: DatabaseError.self) {
            try person.writer.write { db in try db.execute(sql: "INSERT INTO cycle (started_at) VALUES ('2026-11-27T09:00:01Z')") }
        }
    }
}
