import Foundation
import GRDB

/// The engine's SQLite database: one file per home, WAL mode, versioned migrations.
///
/// Everything the engine knows lives here, and every business step is one `write`
/// transaction, so a process killed at any instant leaves either the whole step or
/// none of it. SQLite enforces what it can (NOT NULL, CHECK, UNIQUE, foreign keys):
/// the schema is the last line of defence, not the code.
public struct OrderDatabase: Sendable {
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL with NORMAL sync is durable at each checkpoint and never corrupt; a larger page cache keeps
            // a large cycle from spilling pages it is about to change again.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -16384")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        let pool = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(pool)
        writer = pool
    }

    /// An in-memory database, for tests of single steps.
    public init() throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: config)
        try Self.migrator.migrate(queue)
        writer = queue
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (name, sql) in Schema.migrations {
            migrator.registerMigration(name) { db in try db.execute(sql: sql) }
        }
        return migrator
    }
}
