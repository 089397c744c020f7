import GRDB
import GRDBSQLite

/// A prepared insert or update that binds its values and steps through SQLite's C API, for the
/// few statements that run once per order line, hundreds of thousands of times in a cycle.
///
/// GRDB's `execute(arguments:)` boxes each value into a `DatabaseValue`, gathers them in a
/// `StatementArguments` array, checks the count and notifies its transaction observers: right
/// everywhere else, but measured as much of the import's writing thread as SQLite's own work.
/// Here each value goes straight to `sqlite3_bind_*`. Failures are still GRDB's `DatabaseError`,
/// carrying the statement's SQL, and the statement stays GRDB's, finalized with it.
///
/// Use it for statements without observers and without result rows; bind every parameter, by
/// position from 1, before each `execute()` (unbound parameters are NULL: `execute()` clears them).
public struct BulkStatement {
    /// The GRDB statement, prepared for this caller alone (a cached statement could be reused by
    /// GRDB with its own bindings).
    public let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private let arena = Arena()

    /// Text values of one run, copied side by side and bound without a copy by SQLite (`SQLITE_STATIC`):
    /// SQLite reads them only until the bindings are cleared after the run, and this saves an
    /// allocation per value. A value that does not fit is bound the usual way (SQLite copies it).
    private final class Arena {
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 16_384, alignment: 1)
        var used = 0
        deinit { bytes.deallocate() }
    }

    /// Prepares `sql` on `db`; keep the value for as long as the statement is used.
    public init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    public func bind(_ value: Int64, at index: Int32) { sqlite3_bind_int64(handle, index, value) }
    public func bind(_ value: Int, at index: Int32) { sqlite3_bind_int64(handle, index, Int64(value)) }
    public func bind(_ value: Bool, at index: Int32) { sqlite3_bind_int64(handle, index, value ? 1 : 0) }

    public func bind(_ value: Int64?, at index: Int32) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    public func bind(_ value: Int?, at index: Int32) { bind(value.map(Int64.init), at: index) }

    public func bind(_ value: String, at index: Int32) {
        var value = value
        value.withUTF8 { bytes in
            let arena = self.arena
            if arena.used + bytes.count <= arena.bytes.count, let base = arena.bytes.baseAddress {
                let start = base + arena.used
                if let source = bytes.baseAddress { start.copyMemory(from: source, byteCount: bytes.count) }
                arena.used += bytes.count
                _ = sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
                return
            }
            // Too long for what is left of the arena (so not empty): SQLite copies it (transient).
            bytes.withMemoryRebound(to: CChar.self) { text in
                _ = sqlite3_bind_text(handle, index, text.baseAddress!, Int32(text.count), Self.transient)
            }
        }
    }

    public func bind(_ value: String?, at index: Int32) {
        if let value { bind(value, at: index) } else { sqlite3_bind_null(handle, index) }
    }

    /// Runs the statement with the values bound since the last run; the bindings are then cleared.
    /// - Throws: `DatabaseError` (a constraint, a full disk), with the statement's SQL.
    public func execute() throws {
        let code = sqlite3_step(handle)
        let message = (code == SQLITE_DONE || code == SQLITE_ROW) ? nil : connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        arena.used = 0
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}
