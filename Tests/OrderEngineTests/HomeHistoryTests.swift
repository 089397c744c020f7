import Foundation
import GRDB
import Testing
import OrderEngine
import OrderModel
import TestSupport

/// A new or truncated database in a home that has history is refused; outbox numbers never repeat.
@Suite struct HomeHistoryTests {
    /// A home after one cycle: a customer, a product, an archived order file and PL-000001 in the outbox.
    func homeWithHistory() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,50,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("A", sku: "SKU1")]))
        try home.cycle(at: "2026-11-27T08:00:00Z")
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv"])
        return home
    }

    func truncateDatabase(_ home: TestHome) throws {
        let path = home.root.appendingPathComponent("orderflow.sqlite").path
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        #expect(truncate(path, 0) == 0)
    }

    @Test func aTruncatedDatabaseInAHomeWithHistoryIsRefusedAndLeftAsItIs() throws {
        let home = try homeWithHistory()
        try truncateDatabase(home)
        #expect { try home.engine() } throws: { error in
            let text = "\(error)"
            return text.contains("orderflow.sqlite is empty (0 bytes; truncated?), but this home has history: 4 file(s) in archive/")
                && text.contains("outbox/picklists/PL-000001-MAIN.csv (number 1)")
                && text.contains("run with --new-database")
        }
        // Nothing was created in its place: the operator can still restore it.
        #expect(try FileManager.default.attributesOfItem(atPath: home.root.appendingPathComponent("orderflow.sqlite").path)[.size] as? Int == 0)
    }

    @Test func aDatabasePathThatNamesNoFileIsRefused() throws {
        let home = try homeWithHistory()
        try Data("database: orderflow-typo.sqlite\n".utf8).write(to: home.home.configFile)
        #expect { try home.engine() } throws: { "\($0)".contains("orderflow-typo.sqlite does not exist, but this home has history") }
        #expect(!home.exists("orderflow-typo.sqlite"))
    }

    @Test func aDatabaseFileWithoutTablesIsRefusedToo() throws {
        let home = try homeWithHistory()
        let other = home.root.appendingPathComponent("blank.sqlite").path
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "PRAGMA user_version = 1") }
        try Data("database: blank.sqlite\n".utf8).write(to: home.home.configFile)
        #expect { try home.engine() } throws: { "\($0)".contains("blank.sqlite has no tables, but this home has history") }
        // The home's own database is found again once the path is put right.
        try Data("database: orderflow.sqlite\n".utf8).write(to: home.home.configFile)
        #expect(try home.order("A").lines.count == 1)
    }

    @Test func aNewDatabaseAllowedOnPurposeContinuesTheOutboxNumbers() throws {
        let home = try homeWithHistory()
        try truncateDatabase(home)
        let engine = try Engine(home: home.home, clock: FixedClock(Timestamp(iso8601: "2026-11-27T09:00:00Z")!), user: "tester", newDatabase: true)
        try home.drop("customers", "c2.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p2.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,SKU1,50,,"]))
        try home.drop("orders", "o2.csv", Sample.orders([Sample.line("B", sku: "SKU1")]))
        let report = try engine.runCycle()
        #expect(report.outputFailures.isEmpty)
        #expect(report.steps.allSatisfy { $0.warnings.isEmpty })
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv", "PL-000002-MAIN.csv"])
        #expect(try home.order("B").lines.first?.pickListRef == "PL-000002")
        // From now on it is the home's database: no --new-database needed.
        _ = try home.engine()
    }

    @Test func aRestoredOlderDatabaseCatchesUpWithTheOutbox() throws {
        let home = try homeWithHistory()
        // Files the database does not know of (written by a newer copy of it, since lost).
        try Data("x".utf8).write(to: home.home.outbox.appendingPathComponent("picklists/PL-000007-MAIN.csv"))
        try Data("x".utf8).write(to: home.home.outbox.appendingPathComponent("exceptions/EX-000004.csv"))
        // The newer copy raised the outbox's number mark as it wrote them.
        try Data("4\texceptions\n7\tpicklists\n".utf8).write(to: home.home.outbox.appendingPathComponent(".orderflow-numbers"))
        try home.drop("orders", "o2.csv", Sample.orders([Sample.line("C", sku: "SKU1")]))
        try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(try home.outbox("picklists").last == "PL-000008-MAIN.csv")
    }

    @Test func aForeignFileAtAnOutboxNameIsSetAsideOnceNotRetriedForEver() throws {
        let home = try homeWithHistory()
        let engine = try home.engine(at: "2026-11-27T09:00:00Z")
        // Appears after the engine started (so the numbers could not skip it): someone else's file at our next name.
        let foreign = home.home.outbox.appendingPathComponent("picklists/PL-000002-MAIN.csv")
        try Data("not ours\n".utf8).write(to: foreign)
        try home.drop("orders", "o2.csv", Sample.orders([Sample.line("D", sku: "SKU1")]))
        let report = try engine.runCycle()
        let warnings = report.steps.flatMap(\.warnings) + report.outputFailures
        #expect(warnings.contains { $0.contains("outbox/picklists/PL-000002-MAIN.csv already exists with different content") })
        #expect(try home.read("outbox/picklists/PL-000002-MAIN.csv") == "not ours\n")
        #expect(try home.read("failed/outbox/picklists/PL-000002-MAIN.csv").contains("D,"))
        // Nothing stays pending: the next cycle has nothing to retry.
        let next = try home.cycle(at: "2026-11-27T09:00:10Z")
        #expect(next.outputFailures.isEmpty && next.steps.allSatisfy { $0.warnings.isEmpty })
        let kinds = try engine.database.writer.read { db in try String.fetchAll(db, sql: "SELECT kind FROM exception WHERE kind = 'outbox-conflict'") }
        #expect(kinds.count == 1)
    }
}
