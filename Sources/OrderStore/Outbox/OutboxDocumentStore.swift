import Foundation
import GRDB
import OrderModel

extension StoreTransaction {
    /// Stores a rendered document of cycle `cycleID`, pending publication, and returns its id.
    ///
    /// Stored in the transaction of the change that produced it (lines despatched, a purchase order
    /// sent): a crash before publication leaves it pending, and the next cycle publishes it first.
    public func storeOutboxFile(folder: String, name: String, bytes: [UInt8], rows: Int, cycleID: Int64, at: Timestamp) throws -> Int64 {
        var record = OutboxFileRecord(folder: folder, name: name, content: Data(bytes), rows: rows, cycleID: cycleID, createdAt: at.description)
        try record.insert(db)
        return db.lastInsertedRowID
    }
}
