import Foundation
import GRDB
import Testing
import OrderEngine
import TestSupport

@Suite struct ImportCycleTests {
    func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        return home
    }

    @Test func aReDroppedFileIsNotImportedTwice() throws {
        let home = try home()
        let text = Sample.orders([Sample.line("O1", sku: "SKU1")])
        try home.drop("orders", "day1.csv", text)
        try home.cycle()
        try home.drop("orders", "day1-again.csv", text)
        let report = try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(report.step("import")?["duplicates"] == 1)
        #expect(report.step("import")?["files"] == 0)
        #expect(home.exists("failed/orders/day1-again.csv"))
        #expect(try home.read("failed/orders/day1-again.csv.reason.txt").contains("identical content to orders/day1.csv"))
        // The second report holds what happened since the first, and only that.
        #expect(try home.csvRows("outbox/exceptions/EX-000001.csv").allSatisfy { $0["kind"] != "duplicate-file" })
        let rows = try home.csvRows("outbox/exceptions/EX-000002.csv")
        #expect(rows.map { $0["kind"] } == ["duplicate-file"])
        #expect(rows.contains { $0["kind"] == "duplicate-file" && $0["source_file"] == "orders/day1-again.csv" })
        #expect(try OrderQueries(engine: home.engine()).orders().count == 1)
    }

    @Test func theHistoryOpensWithEachLinesImportTakenFromTheLineItself() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", no: 1, sku: "SKU1"), Sample.line("O1", no: 2, sku: "SKU1")]))
        try home.cycle()
        let history = try home.order("O1").history
        #expect(history.prefix(2).map(\.lineNo) == [1, 2])
        #expect(history.prefix(2).allSatisfy { $0.from == nil && $0.to == "new" && $0.actor == "import" && $0.at == "2026-11-27T09:00:00Z" })
        #expect(history[0].reason == "imported from orders/o.csv line 2")
        #expect(history.dropFirst(2).allSatisfy { $0.from != nil })
        // A database from before this rule holds the import as a stored move: that row is shown, not a second one.
        try home.engine().database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at)
                SELECT order_id, id, NULL, 'new', 'imported (stored)', 'import', '2026-11-27T09:00:00Z' FROM order_line WHERE line_no = 1
                """)
        }
        let again = try home.order("O1").history.filter { $0.from == nil }
        #expect(again.map(\.reason).sorted() == ["imported (stored)", "imported from orders/o.csv line 3"])
    }

    @Test func anOrderRefImportedBeforeIsRejectedAsDuplicate() throws {
        let home = try home()
        try home.drop("orders", "a.csv", Sample.orders([Sample.line("O1", sku: "SKU1", qty: 1)]))
        try home.drop("orders", "b.csv", Sample.orders([Sample.line("O1", sku: "SKU1", qty: 7), Sample.line("O2", sku: "SKU1")]))
        try home.cycle()
        #expect(try home.order("O1").lines[0].quantity == 1)
        #expect(try home.order("O2").lines.count == 1)
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv")
        let duplicate = try #require(rows.first { $0["kind"] == "duplicate-order" })
        #expect(duplicate["order_ref"] == "O1")
        #expect(duplicate["source_file"] == "orders/b.csv")
        #expect(duplicate["source_line"] == "2")
        #expect(home.exists("archive/orders/b.csv"))
    }

    @Test func aMalformedOrderIsRejectedWholeWhileTheRestOfItsFileImports() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("GOOD1", no: 1, sku: "SKU1"),
            Sample.line("BAD", no: 1, sku: "SKU1"),
            Sample.line("BAD", no: 2, sku: "SKU1", qty: 0),
            "BAD,2026-11-26,C1,3,SKU1,1,abc,,,,,,,,,",
            Sample.line("GOOD2", no: 1, sku: "SKU1"),
            "BROKEN,\"unterminated,C1,1,SKU1",
        ]))
        let report = try home.cycle()
        #expect(report.step("import")?["files"] == 3)
        #expect(try OrderQueries(engine: home.engine()).orders().map(\.orderRef) == ["GOOD1", "GOOD2"])
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["order_ref"] == "BAD" }
        #expect(rows.count == 2)
        let quantity = try #require(rows.first { $0["line_no"] == "2" })
        #expect(quantity["kind"] == "rejected-order")
        #expect(quantity["source_line"] == "4")
        #expect(quantity["reason"]?.contains("field quantity: found '0', expected a number greater than 0, e.g. 3 or 12.75") == true)
        #expect(quantity["reason"]?.contains("the whole order BAD (3 lines) is rejected") == true)
        #expect(rows.contains { $0["line_no"] == "3" && $0["reason"]!.contains("field unit_price: found 'abc'") })
        #expect(home.exists("archive/orders/o.csv"))
    }

    @Test func contradictoryHeaderValuesRejectTheOrder() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("O1", customer: "C1", no: 1, sku: "SKU1"),
            Sample.line("O1", customer: "C2", no: 2, sku: "SKU1"),
            Sample.line("O2", no: 1, sku: "SKU1"),
            Sample.line("O2", no: 1, sku: "SKU1"),
        ]))
        try home.cycle()
        #expect(try OrderQueries(engine: home.engine()).orders().isEmpty)
        let reasons = try home.csvRows("outbox/exceptions/EX-000001.csv").map { $0["reason"]! }
        #expect(reasons.contains { $0.contains("field customer_ref: found 'C2', expected 'C1'") })
        #expect(reasons.contains { $0.contains("field line_no: found 1 again") })
    }

    /// A NUL in a cell (`AB<NUL>CD`, or trailing NULs in a custom field) used to import cut at the NUL, or with the NUL
    /// stored. The line is now refused with its order, naming file, line and field; nothing with a NUL reaches the database.
    @Test func aNulByteRejectsItsOrderAndNothingOfItIsStored() throws {
        let home = try home()
        try home.drop("orders", "nul.csv", Sample.orders([
            Sample.line("O1", no: 1, sku: "SKU1"),
            Sample.line("O1", no: 2, sku: "SKU1").replacingOccurrences(of: ",SKU1,", with: ",SKU\u{0}1,"),
            Sample.line("O2", no: 1, sku: "SKU1").replacingOccurrences(of: "O2,", with: "O2\u{0}\u{0},"),
            Sample.line("O3", no: 1, sku: "SKU1"),
        ]))
        let report = try home.cycle()
        #expect(report.step("import")?["rejected"] == 3)
        #expect(try OrderQueries(engine: home.engine()).orders().map(\.orderRef) == ["O3"])
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["kind"] == "rejected-order" || $0["kind"] == "rejected-record" }
            .sorted { ($0["source_line"] ?? "") < ($1["source_line"] ?? "") }
        #expect(rows.map { $0["source_line"] } == ["3", "4"])
        #expect(rows.allSatisfy { $0["source_file"] == "orders/nul.csv" })
        #expect(rows.first?["reason"]?.hasPrefix("field 5 holds a NUL byte (0x00) after 'SKU', expected text without NUL bytes (column 'sku', mapped to sku)") == true)
        #expect(rows.first?["order_ref"] == "O1")
        #expect(rows.last?["reason"]?.hasPrefix("field 1 holds a NUL byte (0x00) after 'O2', expected text without NUL bytes (column 'order_ref', mapped to order_ref)") == true,
                "trailing NULs: the key is not cut to O2")
        let stored = try home.engine().database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sales_order WHERE instr(order_ref, char(0)) > 0 OR instr(COALESCE(custom, ''), char(0)) > 0") ?? -1
        }
        #expect(stored == 0)
    }

    @Test func aFileWithTheWrongHeaderFailsWholeWithAReason() throws {
        let home = try home()
        try home.drop("orders", "wrong.csv", "order,date,customer\nO1,2026-11-26,C1\n")
        let report = try home.cycle()
        #expect(report.step("import")?["failed files"] == 1)
        #expect(home.exists("failed/orders/wrong.csv"))
        let reason = try home.read("failed/orders/wrong.csv.reason.txt")
        #expect(reason.contains("the header row lacks 'order_ref' (mapped to order_ref at mappings/orders.yaml:"))
        #expect(!home.exists("inbox/orders/wrong.csv"))
    }

    @Test func masterDataIsImportedBeforeOrdersWhateverTheFileAges() throws {
        let home = try TestHome()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "LATE")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,LATE,3,,"]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("LATE")]))
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.cycle()
        #expect(try home.stages("O1") == [1: "despatched"])
    }

    @Test func badMasterRecordsAreReportedAndTheRestImports() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([
            Sample.account("C1"), "C2,Two,BARTER,0,0,N,,,,,,", Sample.account("C3", limit: "12.345"),
        ]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,NOPE,3,,", "R2,NOPE,3,EAST,", "R2,NOPE,1,EAST,"]))
        try home.cycle()
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv")
        #expect(rows.contains { $0["source_line"] == "3" && $0["reason"]!.contains("field terms: found 'BARTER', expected ACCOUNT, CARD or PROFORMA") })
        #expect(rows.contains { $0["source_line"] == "4" && $0["reason"]!.contains("field credit_limit: found '12.345'") })
        #expect(rows.contains { $0["source_file"] == "receipts/r.csv" && $0["source_line"] == "2" && $0["reason"]!.contains("field warehouse") })
        #expect(rows.contains { $0["kind"] == "duplicate-receipt" && $0["source_line"] == "4" })
        let status = try OrderQueries(engine: home.engine()).status()
        #expect(status.stock.first { $0.sku == "NOPE" }?.onHand == 3)
    }

    @Test func aFileLeftInProcessingByACrashIsFinishedExactlyOnce() throws {
        let home = try home()
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,5,,"]))
        // Simulate a crash after the claim but before the import.
        let folder = home.home.processing.appendingPathComponent("orders")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Sample.orders([Sample.line("O1", sku: "SKU1")]).utf8).write(to: folder.appendingPathComponent("abc123-o.csv"))
        try home.cycle()
        #expect(try home.stages("O1") == [1: "despatched"])
        #expect(home.exists("archive/orders/o.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // Running again imports nothing more.
        let again = try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(again.step("import")?["files"] == 0)
    }

    @Test func symbolicLinksAndDotfilesInTheInboxAreNotRead() throws {
        let home = try home()
        let secret = home.root.appendingPathComponent("secret.csv")
        try Data(Sample.orders([Sample.line("LINKED", sku: "SKU1")]).utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(at: home.home.inbox.appendingPathComponent("orders/link.csv"), withDestinationURL: secret)
        try home.drop("orders", ".partial.csv", Sample.orders([Sample.line("DOT", sku: "SKU1")]))
        try home.cycle()
        #expect(try OrderQueries(engine: home.engine()).orders().isEmpty)
        #expect(FileManager.default.fileExists(atPath: secret.path))
    }
}
