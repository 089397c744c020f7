import Foundation
import GRDB
import OrderStore
import Testing

@Suite struct OrderDatabaseTests {
    func temporaryPath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("orderflow.sqlite").path
    }

    @Test func aNewDatabaseUsesLargePagesInWALMode() throws {
        let path = try temporaryPath()
        let database = try OrderDatabase(path: path)
        let (pageSize, mode) = try database.writer.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA page_size"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(pageSize == OrderDatabase.pageSize)
        #expect(mode == "wal")
    }

    @Test func anExistingDatabaseKeepsItsPageSizeAndIsMigrated() throws {
        let path = try temporaryPath()
        let old = try DatabaseQueue(path: path)
        try old.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE before_orderflow (a)")
        }
        try old.close()
        let database = try OrderDatabase(path: path)
        let (pageSize, tables) = try database.writer.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA page_size"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('before_orderflow', 'order_line')"))
        }
        #expect(pageSize == 4096)
        #expect(tables == 2)
    }
}
