import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The engine's SQLite database: one file per home, WAL mode, versioned migrations.
///
/// Everything the engine knows lives here, and every business step is one `write`
/// transaction, so a process killed at any instant leaves either the whole step or
/// none of it. SQLite enforces what it can (NOT NULL, CHECK, UNIQUE, foreign keys):
/// the schema is the last line of defence, not the code.
public struct OrderDatabase: Sendable {
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    ///
    /// One connection in WAL mode: the engine is a single writer, and other processes (a person's
    /// `status` or `order` while the daemon runs) read concurrently through the WAL. A transient
    /// I/O or lock error while opening is retried a few times before it is reported.
    public init(path: String) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.journalMode = .wal
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL with NORMAL sync is durable at each checkpoint and never corrupt; a larger page cache keeps
            // a large cycle from spilling pages it is about to change again.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -131072")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        var attempt = 0
        while true {
            do {
                let queue = try DatabaseQueue(path: path, configuration: config)
                try Self.migrator.migrate(queue)
                writer = queue
                return
            } catch let error as DatabaseError where attempt < 3 && [ResultCode.SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode.primaryResultCode) {
                attempt += 1
                usleep(UInt32(100_000 * attempt))
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (name, sql) in Schema.migrations {
            migrator.registerMigration(name) { db in try db.execute(sql: sql) }
        }
        return migrator
    }
}
