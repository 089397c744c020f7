import Foundation
import GRDB
import Testing
import OrderEngine
import TestSupport

@Suite struct SafetyCycleTests {
    @Test func formulaLikeValuesAreNeutralisedInTheOutbox() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products(["SKU1,@SUM(A1:A9),General,1.00,N,,,MAIN,-A1"]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,5,,"]))
        try home.drop("orders", "o.csv", Sample.orders([
            "O1,2026-11-26,C1,1,SKU1,1,,,,,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",+1 Road,,City,PC,GB",
        ]))
        try home.cycle()
        let row = try #require(try home.csvRows("outbox/picklists/PL-000001-MAIN.csv").first)
        #expect(row["ship_name"] == "'=HYPERLINK(\"http://x\",\"y\")")
        #expect(row["ship_address1"] == "'+1 Road")
        #expect(row["description"] == "'@SUM(A1:A9)")
        #expect(row["bin_location"] == "'-A1")
        #expect(row["quantity"] == "1")
    }

    @Test func noFullCardNumberIsStoredOrWrittenAnywhere() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers(["C1,Card Buyer,CARD,0,0,N,,1 Road,,Town,AB1,GB"]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,5,,"]))
        try home.drop("orders", "o.csv", Sample.orders([
            // A valid card, a card that fails Luhn, and a card number pasted into the ship name.
            Sample.line("O1", customer: "C1", sku: "SKU1", card: "4111-1111-1111-1111", expiry: "12/27"),
            Sample.line("O2", customer: "C1", sku: "SKU1", card: "5555555555554443", expiry: "12/27"),
            Sample.line("O3", customer: "C1", sku: "SKU1", card: "5555555555554444", expiry: "99/99"),
            Sample.line("O4", customer: "C1", sku: "SKU1", card: "378282246310005", expiry: "12/27", shipName: "Pay 4012888888881881"),
        ]))
        // A broken orders file with a card number, rejected whole.
        try home.drop("orders", "broken.csv", "nonsense header\n4222222222222,1\n")
        try home.cycle()
        #expect(try home.order("O1").cardLast4 == "1111")
        #expect(try home.order("O2").lines[0].reasonCode == "card-invalid")
        #expect(home.exists("failed/orders/broken.csv"))

        let fullNumbers = ["4111111111111111", "4111-1111-1111-1111", "5555555555554443", "5555555555554444",
                           "378282246310005", "4012888888881881", "4222222222222"]
        // Checkpoint the WAL so that the database file holds everything written.
        try home.engine().database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        for file in home.allFiles() {
            let bytes = try Data(contentsOf: file)
            let text = String(decoding: bytes, as: UTF8.self)
            for number in fullNumbers {
                #expect(!text.contains(number), "\(number) found in \(file.path)")
            }
        }
        // The archive keeps the rest of the file as it was: same length, last four digits kept.
        let archived = try home.read("archive/orders/o.csv")
        #expect(archived.contains("****-****-****-1111"))
        #expect(archived.contains("Pay ************1881"))
    }

    @Test func outputsCommittedButNotWrittenArePublishedOnTheNextRun() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,5,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "SKU1")]))
        // Make the outbox folder unwritable by putting a file where the folder should be.
        let picklists = home.home.outbox.appendingPathComponent("picklists")
        try FileManager.default.removeItem(at: picklists)
        try Data().write(to: picklists)
        let first = try home.cycle()
        #expect(first.step("export")?["pick lists"] == 1)
        #expect(!(first.step("export")?.warnings.isEmpty ?? true))
        #expect(try OrderQueries(engine: home.engine()).status().pendingOutputs == 1)
        #expect(try home.stages("O1") == [1: "despatched"])

        try FileManager.default.removeItem(at: picklists)
        let second = try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(second.recoveredOutputs == 1)
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv"])
        #expect(try OrderQueries(engine: home.engine()).status().pendingOutputs == 0)
    }
}
