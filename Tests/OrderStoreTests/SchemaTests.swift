import GRDB
@testable import OrderStore
import Testing

@Suite struct SchemaTests {
    func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (name, sql) in Schema.migrations { migrator.registerMigration(name) { db in try db.execute(sql: sql) } }
        return migrator
    }

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
}
