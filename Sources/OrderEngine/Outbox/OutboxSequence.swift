import GRDB

/// The outbox folders the engine writes.
public enum OutboxFolder {
    public static let pickLists = "picklists"
    public static let purchaseOrders = "purchase-orders"
    public static let exceptions = "exceptions"
}

/// A gapless sequence number per outbox folder, so a collector can see that no file is missing.
///
/// Numbers are taken inside the transaction that creates the document, so a rolled-back
/// cycle takes none and no number is used twice.
enum OutboxSequence {
    static func next(_ db: Database, folder: String) throws -> Int {
        try db.cachedStatement(sql: """
            INSERT INTO outbox_sequence (folder, last) VALUES (?, 1)
            ON CONFLICT (folder) DO UPDATE SET last = last + 1
            """).execute(arguments: [folder])
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT last FROM outbox_sequence WHERE folder = ?"), arguments: [folder])!
    }
}
