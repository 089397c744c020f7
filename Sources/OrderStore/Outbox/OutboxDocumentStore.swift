import Foundation
import GRDB
import GRDBSQLite
import OrderModel

extension StoreTransaction {
    /// Stores a rendered document of cycle `cycleID`, pending publication, and returns its id.
    ///
    /// Stored in the transaction of the change that produced it (lines despatched, a purchase order
    /// sent): a crash before publication leaves it pending, and the next cycle publishes it first.
    ///
    /// The row is inserted with a blob of zeros of the document's size, and the bytes written into it in place
    /// (SQLite's incremental blob I/O): binding them would copy them twice (into `Data`, and into SQLite's own
    /// buffer), and a cold cycle's pick list is tens of megabytes.
    ///
    /// - Parameter sequence: the outbox sequence the document was numbered in and its number, when it has one.
    public func storeOutboxFile(folder: String, name: String, bytes: [UInt8], rows: Int, cycleID: Int64, at: Timestamp,
                                sequence: (key: String, number: Int)? = nil) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO outbox_file (folder, name, content, rows, cycle_id, created_at, sequence, number)
            VALUES (?, ?, zeroblob(?), ?, ?, ?, ?, ?)
            """).execute(arguments: [folder, name, bytes.count, rows, cycleID, at.description, sequence?.key, sequence?.number])
        let id = db.lastInsertedRowID
        guard !bytes.isEmpty else { return id }
        // SQLite refuses a blob above its length limit (1,000,000,000 bytes) at the insert; this keeps the size cast honest.
        guard let size = Int32(exactly: bytes.count) else {
            throw DatabaseError(resultCode: .SQLITE_TOOBIG, message: "outbox/\(folder)/\(name) is \(bytes.count) bytes, too large to store")
        }
        var blob: OpaquePointer? = nil
        defer { sqlite3_blob_close(blob) }
        var code = sqlite3_blob_open(db.sqliteConnection, "main", "outbox_file", "content", id, 1, &blob)
        if code == SQLITE_OK {
            code = bytes.withUnsafeBytes { raw in sqlite3_blob_write(blob, raw.baseAddress, size, 0) }
        }
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: "storing outbox/\(folder)/\(name)")
        }
        return id
    }
}
