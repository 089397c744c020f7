import Foundation
import GRDB

/// An import's own transactions: the file's writes, committed every fraction of a second so that a
/// command beside the engine never waits long for the write lock, and provisional until the last commit
/// (`ImportInProgress`).
///
/// `OrderDatabase.importFile` begins the first transaction and commits the last (or rolls it back when
/// the body throws); between them the body may `handOver` as often as it likes.
public struct ImportSession {
    /// The transaction in hand (a new one after each `handOver`).
    public let transaction: StoreTransaction
    private var db: Database { transaction.db }

    init(_ db: Database) { transaction = StoreTransaction(db) }

    /// Commits what the import wrote so far and begins again, pausing in between for long enough that
    /// a command waiting for the write lock (polling every millisecond, see `OrderDatabase.BusyWait`) takes it.
    public func handOver() throws {
        try db.execute(sql: "COMMIT")
        usleep(3_000)
        try db.execute(sql: "BEGIN IMMEDIATE")
    }

    /// Marks the file's import provisional: until `finishProvisional` commits, a crash or a stop leaves it
    /// to be taken back whole (`OrderDatabase.takeBackImport`).
    public func beginProvisional(sourceFileID: Int64) throws {
        try ImportInProgress.begin(db, sourceFileID: sourceFileID)
    }

    /// Makes everything the file wrote count: called in the import's last transaction.
    public func finishProvisional(sourceFileID: Int64) throws {
        try ImportInProgress.finish(db, sourceFileID: sourceFileID)
    }
}

extension OrderDatabase {
    /// Runs an import in transactions of its own: BEGIN IMMEDIATE, `body` (which may hand over), COMMIT;
    /// everything not yet committed is rolled back when `body` throws.
    /// - Parameters:
    ///   - cacheMB: the page cache while the file imports (a large file streams through a bounded one); nil keeps it.
    ///   - restoreCacheMB: the page cache given back afterwards, when `cacheMB` was set.
    public func importFile<T>(cacheMB: Int?, restoreCacheMB: Int, _ body: (ImportSession) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            do {
                if let cacheMB { try Self.useCache(db, megabytes: cacheMB) }
                defer { if cacheMB != nil { try? Self.useCache(db, megabytes: restoreCacheMB) } }
                let result = try body(ImportSession(db))
                try db.execute(sql: "COMMIT")
                return result
            } catch {
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                throw error
            }
        }
    }
}
