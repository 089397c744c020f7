import Foundation
import OrderEngine
import OrderModel
import Testing
import TestSupport

/// The outbox's number mark: a new or restored database continues the numbers the outbox has handed out,
/// without listing the folders at every start.
@Suite struct OutboxHighWaterTests {
    var mark: String { ".orderflow-numbers" }

    func homeWithAnException() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("BAD", sku: "SKU1", qty: 0)]))
        try home.cycle()
        #expect(try home.outbox("exceptions") == ["EX-000001.csv"])
        return home
    }

    /// The database is replaced by a new one (as a restore from an old backup would), with `--new-database`.
    func replaceDatabase(_ home: TestHome) throws -> Engine {
        let database = home.root.appendingPathComponent("orderflow.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        return try Engine(home: home.home, clock: FixedClock(Timestamp(iso8601: "2026-11-27T10:00:00Z")!), newDatabase: true)
    }

    @Test func theMarkIsWrittenWithTheFilesAndCoversTheirNumbers() throws {
        let home = try homeWithAnException()
        #expect(try home.read("outbox/\(mark)") == "1\texceptions\n")
    }

    @Test func aRestoredDatabaseContinuesAfterFilesTheCollectorHasAlreadyTaken() throws {
        let home = try homeWithAnException()
        // The collector takes the report; only the mark remembers its number.
        try FileManager.default.removeItem(at: home.home.outbox.appendingPathComponent("exceptions/EX-000001.csv"))
        let engine = try replaceDatabase(home)
        try home.drop("orders", "o2.csv", Sample.orders([Sample.line("BAD2", sku: "SKU1", qty: 0)]))
        _ = try engine.runCycle()
        #expect(try home.outbox("exceptions") == ["EX-000002.csv"])
        #expect(try home.read("outbox/\(mark)") == "2\texceptions\n")
    }

    @Test func withoutAReadableMarkTheFoldersAreListedAndTheMarkWrittenAgain() throws {
        let home = try homeWithAnException()
        // No mark (a home from before it), and a report numbered higher than any the database gave.
        try Data("x\n".utf8).write(to: home.home.outbox.appendingPathComponent("exceptions/EX-000007.csv"))
        try FileManager.default.removeItem(at: home.home.outbox.appendingPathComponent(mark))
        let engine = try replaceDatabase(home)
        #expect(try home.read("outbox/\(mark)") == "7\texceptions\n")
        try home.drop("orders", "o2.csv", Sample.orders([Sample.line("BAD2", sku: "SKU1", qty: 0)]))
        _ = try engine.runCycle()
        #expect(try home.outbox("exceptions") == ["EX-000001.csv", "EX-000007.csv", "EX-000008.csv"])
    }

    @Test func aGarbledMarkCountsAsNoMark() throws {
        let home = try homeWithAnException()
        try Data("seven\texceptions\n".utf8).write(to: home.home.outbox.appendingPathComponent(mark))
        let engine = try replaceDatabase(home)
        try home.drop("orders", "o2.csv", Sample.orders([Sample.line("BAD2", sku: "SKU1", qty: 0)]))
        _ = try engine.runCycle()
        #expect(try home.outbox("exceptions") == ["EX-000001.csv", "EX-000002.csv"])
    }
}
