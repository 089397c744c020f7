import Foundation
import CSQLiteTuning
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
    /// The connection. Package-visible for the store's own tests and the benchmark; the engine goes through the facade.
    package let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    ///
    /// One connection in WAL mode: the engine is a single writer, and other processes (a person's
    /// `status` or `order` while the daemon runs) read concurrently through the WAL. A transient
    /// I/O or lock error while opening is retried a few times before it is reported.
    /// - Parameter cacheMB: the page cache. A cycle updates lines all over the order book; a cache
    ///   that holds the book's working set keeps it from re-reading pages (see `useCache(_:megabytes:)`).
    /// - Parameter busyWait: how long a write waits for another process's write transaction (see `BusyWait`).
    public init(path: String, cacheMB: Int = OrderDatabase.defaultCacheMB, busyWait: BusyWait = BusyWait()) throws {
        _ = Self.tuned
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.journalMode = .wal
        config.busyMode = busyWait.mode
        config.prepareDatabase { db in
            // 16 KB pages for a new database (an existing one keeps its own: a no-op once in WAL mode). A cycle
            // reads and rewrites runs of lines, history and orders; larger pages make it ~6% faster at 300,000
            // lines, and 8 KB or 32 KB measured no better.
            try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)")
            // WAL with NORMAL sync is durable at each checkpoint and never corrupt.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try Self.useCache(db, megabytes: cacheMB)
            // Sorts and scratch tables (a cycle's staged moves, its allocation order) in temporary files, not in
            // the process: the kernel's page cache holds them as well, without the engine's memory growing
            // with the size of a cold cycle (at 1,000,000 lines the credit check's peak was 120 MB lower).
            try db.execute(sql: "PRAGMA temp_store = FILE")
            try Self.addLineValue(db)
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

    /// What is at a database path before it is opened: opening creates (and migrates) a database there,
    /// so a caller that must not start from nothing asks first.
    public enum Presence: Sendable, Equatable {
        /// A database with the engine's tables.
        case existing
        /// No file at the path.
        case missing
        /// A file of 0 bytes (truncated): SQLite would take it as a new, empty database.
        case empty
        /// An SQLite file without the engine's tables.
        case blank
    }

    /// Looks at `path` without creating or changing anything. A file SQLite cannot read counts as
    /// `existing`: opening it then reports what is wrong with it.
    public static func presence(at path: String) -> Presence {
        var info = stat()
        guard stat(path, &info) == 0 else { return errno == ENOENT ? .missing : .existing }
        if info.st_size == 0 { return .empty }
        // A file of more than one page of the largest size has tables; only a smaller one is opened to look.
        if info.st_size > 65_536 { return .existing }
        var config = Configuration()
        config.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: config),
              let tables = try? queue.read({ db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }) else { return .existing }
        return tables == 0 ? .blank : .existing
    }

    /// How long to wait for the write lock another process holds (the running engine importing a file),
    /// instead of failing with "database is locked"; `notice` is called once a wait passes a second, so a
    /// person at a terminal knows why their command has not answered yet.
    public struct BusyWait: Sendable {
        public var seconds: Double
        public var notice: (@Sendable () -> Void)?
        public init(seconds: Double = 10, notice: (@Sendable () -> Void)? = nil) {
            self.seconds = seconds
            self.notice = notice
        }

        /// SQLite's busy handler: sleep 1 ms per try, call `notice` at one second, give up after `seconds`.
        /// A short sleep matters: the engine's import hands the lock over between its commits for a few
        /// milliseconds only (a waiter that slept longer would miss every opening).
        var mode: Database.BusyMode {
            let tries = Int(max(0, min(seconds, 86_400)) * 1000), notice = notice
            return .callback { attempt in
                if attempt == 1000 { notice?() }
                guard attempt < tries else { return false }
                usleep(1_000)
                return true
            }
        }
    }

    /// SQLite's process-wide settings, applied once before the first connection opens: memory statistics
    /// off (with them on, each of SQLite's allocations takes a global mutex; measured at 6% of the import).
    static let tuned: Int32 = orderflow_sqlite_disable_memstatus()

    /// The page size of a new database, in bytes.
    public static let pageSize = 16_384

    /// The page cache when the home's config names none, in MB.
    public static let defaultCacheMB = 64

    /// Sets the connection's page cache; lowering it frees pages at once. The import streams a file of any
    /// size with a small cache (its writes are appends and index inserts), and the rest of the cycle gets
    /// the large one back.
    public static func useCache(_ db: Database, megabytes: Int) throws {
        try db.execute(sql: "PRAGMA cache_size = \(-max(1, megabytes) * 1024)")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (name, sql) in Schema.migrations {
            migrator.registerMigration(name) { db in
                if name == "v17-decimal-quantities" { try DecimalQuantitiesMigration.check(db) }
                try db.execute(sql: sql)
            }
        }
        return migrator
    }
}
