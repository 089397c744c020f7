import Foundation
import GRDB
import Testing
import OrderEngine
import OrderImport
import TestSupport

/// `mapping test` goes through the cycle's own importer: it shows what a cycle would import, refuse and ignore.
@Suite struct MappingPreviewTests {
    func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1"), Sample.product("SKU2", warehouse: "NORTH")]))
        try home.cycle()
        return home
    }

    func preview(_ home: TestHome, _ feed: String, _ text: String) throws -> MappingPreview.Result {
        let url = home.root.appendingPathComponent("try-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        let yaml = try String(contentsOf: home.home.mappings.appendingPathComponent("\(feed).yaml"), encoding: .utf8)
        let mapping = try MappingLoader().load(yaml: yaml, file: "mappings/\(feed).yaml", name: feed)
        return MappingPreview(mapping: mapping, home: home.home).run(path: url.path, limit: nil)
    }

    func count(_ home: TestHome, _ sql: String) throws -> Int {
        try home.engine().database.writer.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    /// An empty or too large file is refused as the cycle refuses it, whatever its format.
    @Test func anEmptyFileIsRefusedWithTheCyclesReason() throws {
        let home = try home()
        let result = try preview(home, "orders", "")
        #expect(result.fileError == "the file is empty (0 bytes); nothing to import")
        #expect(result.recordsRead == 0)
    }

    @Test func anOrderWithOneBadLineShowsNoneOfItsLines() throws {
        let home = try home()
        let result = try preview(home, "orders", Sample.orders([
            Sample.line("O1", no: 1, sku: "SKU1"),
            Sample.line("O1", no: 2, sku: "SKU1").replacingOccurrences(of: ",SKU1,1,", with: ",SKU1,x,"),
            Sample.line("O2", no: 1, sku: "SKU2", qty: 3),
        ]))
        #expect(result.fileError == nil)
        #expect(result.recordsRead == 3)
        #expect(result.recordCount == 1, "only O2's line would import; O1 is refused whole")
        #expect(result.records.map(\.line) == [4])
        #expect(result.records.first?.fields["order_ref"] == "O2")
        #expect(result.rejectedCount == 2)
        #expect(result.rejections.map(\.kind) == ["rejected-order"])
        #expect(result.rejections.first?.message.contains("the whole order O1 (2 lines) is rejected") == true)
    }

    @Test func rowsLeftOutBySkipWhenAreCountedApartFromRejections() throws {
        let home = try home()
        let url = home.root.appendingPathComponent("skip.csv")
        try Data(Sample.orders([Sample.line("O1", no: 1, sku: "SKU1"), Sample.line("O1", no: 2, sku: "TIP"), Sample.line("O2", no: 1, sku: "SKU2")]).utf8)
            .write(to: url)
        var yaml = try String(contentsOf: home.home.mappings.appendingPathComponent("orders.yaml"), encoding: .utf8)
        yaml += "\nskip_when: { column: sku, equals: TIP }\n"
        let mapping = try MappingLoader().load(yaml: yaml, file: "mappings/orders.yaml", name: "orders")
        let result = MappingPreview(mapping: mapping, home: home.home).run(path: url.path, limit: nil)
        #expect(result.skippedCount == 1)
        #expect(result.recordsRead == 2)
        #expect(result.recordCount == 2)
        #expect(result.rejectedCount == 0)
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(json.contains("\"skipped_count\":1"))
    }

    @Test func anOrderWhoseRowsAreNotTogetherIsRefusedWhole() throws {
        let home = try home()
        let result = try preview(home, "orders", Sample.orders([
            Sample.line("O1", no: 1, sku: "SKU1"), Sample.line("O2", no: 1, sku: "SKU1"), Sample.line("O1", no: 2, sku: "SKU1"),
        ]))
        #expect(result.records.map { $0.fields["order_ref"] } == ["O2"])
        #expect(result.rejectedCount == 2)
        #expect(result.rejections.contains { $0.kind == "rejected-order" && $0.message.contains("the rows of order O1 are not together") })
    }

    @Test func anOrderAlreadyImportedIsShownAsADuplicateAndNothingIsKept() throws {
        let home = try home()
        try home.drop("orders", "day1.csv", Sample.orders([Sample.line("O1", sku: "SKU1")]))
        try home.cycle()
        let before = try count(home, "SELECT COUNT(*) FROM sales_order") + count(home, "SELECT COUNT(*) FROM exception")
            + count(home, "SELECT COUNT(*) FROM source_file") + count(home, "SELECT COUNT(*) FROM cycle")
        let result = try preview(home, "orders", Sample.orders([Sample.line("O1", sku: "SKU1"), Sample.line("O3", sku: "SKU1")]))
        #expect(result.records.map { $0.fields["order_ref"] } == ["O3"])
        #expect(result.duplicateCount == 1)
        #expect(result.rejections.map(\.kind) == ["duplicate-order"])
        #expect(result.rejections.first?.message.contains("was already imported (from orders/day1.csv line 2)") == true)
        let after = try count(home, "SELECT COUNT(*) FROM sales_order") + count(home, "SELECT COUNT(*) FROM exception")
            + count(home, "SELECT COUNT(*) FROM source_file") + count(home, "SELECT COUNT(*) FROM cycle")
        #expect(after == before, "the trial is rolled back")
    }

    @Test func aReceiptTakesItsWarehouseFromItsProductAsTheCycleDoes() throws {
        let home = try home()
        let result = try preview(home, "receipts", Sample.receipts(["R1,SKU2,5,,", "R2,UNKNOWN,5,,"]))
        #expect(result.records.map { $0.fields["receipt_ref"] } == ["R1"])
        #expect(result.rejections.count == 1)
        #expect(result.rejections.first?.line == 3)
        #expect(result.rejections.first?.message.contains("expected a warehouse, since sku UNKNOWN is not in the product file") == true)
    }

    @Test func theTrialCountsAreWhatTheCycleThenDoes() throws {
        let home = try home()
        let text = Sample.orders([
            Sample.line("A1", no: 1, sku: "SKU1"), Sample.line("A1", no: 2, sku: "SKU2", qty: 0),
            Sample.line("A2", no: 1, sku: "SKU1"), Sample.line("A3", date: "31/02/2026", sku: "SKU1"),
            Sample.line("A2", no: 2, sku: "SKU1"), Sample.line("A4", no: 1, sku: "SKU1"), Sample.line("A4", no: 2, sku: "SKU2"),
        ])
        let result = try preview(home, "orders", text)
        try home.drop("orders", "mixed.csv", text)
        try home.cycle(at: "2026-11-27T10:00:00Z")
        let imported = try count(home, "SELECT COUNT(*) FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN source_file f ON f.id = o.source_file_id WHERE f.name = 'orders/mixed.csv'")
        let rejected = try count(home, "SELECT rejected FROM source_file WHERE name = 'orders/mixed.csv'")
        #expect(result.recordCount == imported)
        #expect(result.rejectedCount == rejected)
        #expect(Set(result.records.compactMap { $0.fields["order_ref"] }) == ["A4"])
    }

    @Test func aHomeWithoutADatabaseIsTriedOnATemporaryOneAndGetsNone() throws {
        let home = try TestHome()
        let result = try preview(home, "orders", Sample.orders([Sample.line("O1", sku: "SKU1")]))
        #expect(result.recordCount == 1)
        #expect(!home.exists("orderflow.sqlite"))
    }
}
