import Foundation
import GRDB
@testable import OrderStore
import Testing

@Suite struct SchemaTests {
    func migrator() -> DatabaseMigrator { OrderDatabase.migrator }

    @Test func exceptionsReportedBeforeTheWatermarkStayReportedAndTheRestAreReportedNext() throws {
        let queue = try DatabaseQueue()
        let migrator = migrator()
        try migrator.migrate(queue, upTo: "v11-stage-index-orders")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO outbox_file (id, folder, name, content, rows, created_at) VALUES
                    (7, 'exceptions', 'EX-000001.csv', X'', 2, '2026-11-01T00:00:00Z'),
                    (9, 'exceptions', 'EX-000002.csv', X'', 1, '2026-11-02T00:00:00Z');
                INSERT INTO exception (id, kind, reason, outbox_file_id) VALUES
                    (1, 'held-for-credit', 'a', 7), (2, 'back-order', 'b', 7), (3, 'back-order', 'c', 9), (4, 'back-order', 'd', NULL);
                """)
        }
        try migrator.migrate(queue)
        let reports = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT outbox_file_id, last_exception_id FROM exception_report ORDER BY outbox_file_id")
        }
        #expect(reports == [["outbox_file_id": 7, "last_exception_id": 2], ["outbox_file_id": 9, "last_exception_id": 3]])
        // The export reports what follows the last report's last exception: the one left unreported.
        let pending = try queue.read { db in
            try Int64.fetchAll(db, sql: """
                SELECT id FROM exception WHERE id > (SELECT last_exception_id FROM exception_report ORDER BY outbox_file_id DESC LIMIT 1)
                """)
        }
        #expect(pending == [4])
    }

    /// A v16 database (whole quantities, prices in minor units) reads back the same after v17: every quantity
    /// ×1000 (thousandths), every unit price and cost ×10,000 (ten-thousandths of the minor unit).
    @Test func aVersion16DatabaseKeepsItsQuantitiesAndPricesExactly() throws {
        let queue = try DatabaseQueue()
        let migrator = migrator()
        try migrator.migrate(queue, upTo: "v16-currency")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO source_file (id, feed, name, claim_name, content_hash, size, outcome, processed_at)
                    VALUES (1, 'orders', 'o.csv', 'c1', 'h', 1, 'imported', '2026-11-01T00:00:00Z');
                INSERT INTO product (sku, unit_price, supplier_cost, warehouse, updated_at) VALUES ('A', 1250, 700, 'MAIN', 'x');
                INSERT INTO sales_order (id, order_ref, order_date, customer_ref, card_status, source_file_id, source_line, imported_at)
                    VALUES (1, 'SO1', '2026-11-01', 'C1', 'missing', 1, 2, 'x');
                INSERT INTO order_line (id, order_id, line_no, sku, quantity, unit_price, stage, stage_since, allocated, source_line)
                    VALUES (1, 1, 1, 'A', 5, 999, 'picking', 'x', 3, 2);
                INSERT INTO stock (sku, warehouse, on_hand, allocated) VALUES ('A', 'MAIN', 10, 3);
                INSERT INTO stock_lot (id, sku, warehouse, source, received_at, quantity, remaining) VALUES (1, 'A', 'MAIN', 'receipt R1', 'x', 10, 7);
                INSERT INTO allocation (line_id, lot_id, quantity) VALUES (1, 1, 3);
                INSERT INTO receipt (receipt_ref, sku, quantity, warehouse, received_at, source_file_id, source_line) VALUES ('R1', 'A', 10, 'MAIN', 'x', 1, 2);
                INSERT INTO despatch (pick_list_ref, order_ref, line_no, quantity, at) VALUES ('PL-1', 'SO1', 1, 2, 'x');
                """)
        }
        try migrator.migrate(queue)
        let values = try queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT l.quantity, l.allocated, l.unit_price, l.unit_checked, l.quantity_as_written,
                       p.unit_price AS p_price, p.supplier_cost, p.stock_unit, p.quantity_decimals,
                       s.on_hand, s.allocated AS s_allocated, t.quantity AS lot_quantity, t.remaining,
                       a.quantity AS funded, r.quantity AS received, d.quantity AS despatched
                FROM order_line l, product p, stock s, stock_lot t, allocation a, receipt r, despatch d
                """)
        }
        let row = try #require(values)
        var numbers: [String: Int64] = [:]
        for column in ["quantity", "allocated", "unit_price", "unit_checked", "p_price", "supplier_cost", "quantity_decimals", "on_hand",
                       "s_allocated", "lot_quantity", "remaining", "funded", "received", "despatched"] {
            numbers[column] = row[column]
        }
        #expect(numbers == ["quantity": 5_000, "allocated": 3_000, "unit_price": 9_990_000, "unit_checked": 1, "p_price": 12_500_000,
                            "supplier_cost": 7_000_000, "quantity_decimals": 0, "on_hand": 10_000, "s_allocated": 3_000,
                            "lot_quantity": 10_000, "remaining": 7_000, "funded": 3_000, "received": 10_000, "despatched": 2_000])
        #expect(row["stock_unit"] as String? == "EA")
        #expect(row["quantity_as_written"] as String? == nil)
    }

    /// v20 rebuilds `supplier` to let `po_format` name an output mapping: every supplier stays as it was, and the
    /// new CHECK takes a mapping name but no path or capitals.
    @Test func aVersion19DatabaseKeepsItsSuppliersAndTakesMappingNames() throws {
        let queue = try DatabaseQueue()
        let migrator = migrator()
        try migrator.migrate(queue, upTo: "v19-currency-held-index")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO supplier (supplier_ref, name, email, po_format, updated_at, custom) VALUES
                    ('S1', 'One', 'one@example.com', 'csv', '2026-11-01T00:00:00Z', NULL),
                    ('S2', 'Two', 'two@example.com', 'xml', '2026-11-02T00:00:00Z', '{"supplier.account":"A2"}');
                """)
        }
        try migrator.migrate(queue)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT supplier_ref, name, email, po_format, updated_at, custom FROM supplier ORDER BY supplier_ref")
        }
        #expect(rows == [
            ["supplier_ref": "S1", "name": "One", "email": "one@example.com", "po_format": "csv", "updated_at": "2026-11-01T00:00:00Z",
             "custom": nil],
            ["supplier_ref": "S2", "name": "Two", "email": "two@example.com", "po_format": "xml", "updated_at": "2026-11-02T00:00:00Z",
             "custom": "{\"supplier.account\":\"A2\"}"],
        ])
        try queue.write { db in
            try db.execute(sql: "INSERT INTO supplier (supplier_ref, po_format, updated_at) VALUES ('S3', 'ubl-order_2', 'x')")
            for bad in ["../x", "UBL", "", "-x", String(repeating: "a", count: 65)] {
                #expect(throws: DatabaseError.self, "\(bad)") {
                    try db.execute(sql: "INSERT INTO supplier (supplier_ref, po_format, updated_at) VALUES ('S4', ?, 'x')", arguments: [bad])
                }
            }
            #expect(try db.tableExists("supplier_v20") == false)
        }
    }

    @Test func aPriceTooLargeToScaleStopsTheMigrationInWords() throws {
        let queue = try DatabaseQueue()
        let migrator = migrator()
        try migrator.migrate(queue, upTo: "v16-currency")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO product (sku, unit_price, warehouse, updated_at) VALUES ('HUGE', 9000000000000000000, 'MAIN', 'x')")
        }
        #expect { try migrator.migrate(queue) } throws: { error in
            "\(error)".contains("product HUGE hold a price above 922337203685477 minor units")
        }
    }

    /// The SQL function is the Swift rule: 12.75 × 0.065 is 0.82875, 0.83; a half rounds away from zero.
    @Test func lineValueInSQLIsLineValueInSwift() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lv-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try OrderDatabase(path: path)
        let row = try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT line_value(12750, 65000) AS a, line_value(5000, 25000) AS b, line_value(-5000, 25000) AS c, line_value(NULL, 1) AS d, typeof(line_value(9223372036854775807, 9223372036854775807)) AS e")
        }
        let values: [Int64?] = [row?["a"], row?["b"], row?["c"], row?["d"]]
        #expect(values == [83, 13, -13, nil])
        #expect(row?["e"] as String? == "real", "a value beyond Int64 reads as too large to compute")
    }
}
