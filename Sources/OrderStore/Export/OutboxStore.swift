import Foundation
import GRDB
import OrderModel

/// The outbox documents a cycle creates: numbered, stored with the change that caused them, and
/// published by the engine once that change is committed.
extension StoreTransaction {
    /// Takes the next number of `folder`'s gapless sequence (1 for a folder's first document).
    ///
    /// Taken inside the transaction that creates the document, so a rolled-back cycle takes none and no
    /// number is used twice.
    public func nextOutboxNumber(in folder: String) throws -> Int {
        try db.cachedStatement(sql: """
            INSERT INTO outbox_sequence (folder, last) VALUES (?, 1)
            ON CONFLICT (folder) DO UPDATE SET last = last + 1
            """).execute(arguments: [folder])
        guard let last = try Int.fetchOne(db.cachedStatement(sql: "SELECT last FROM outbox_sequence WHERE folder = ?"), arguments: [folder]) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT,
                                message: "the outbox sequence of \(folder) cannot be read back after it was taken; the database may be damaged")
        }
        return last
    }

    /// Stores a rendered document, pending publication, and returns its id.
    public func storeOutboxFile(folder: String, name: String, bytes: [UInt8], rows: Int, cycleID: Int64, at: Timestamp) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO outbox_file (folder, name, content, rows, cycle_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [folder, name, Data(bytes), rows, cycleID, at.description])
        return db.lastInsertedRowID
    }
}
