import GRDB

/// What takes the next number of an outbox folder's gapless sequence inside a write transaction.
///
/// A store transaction does; during the move of SQL into the store a GRDB connection does too, so that
/// engine code still holding one (the export steps) keeps calling `OutboxSequence.next` unchanged. Once
/// every caller passes a `StoreTransaction`, the connection's conformance goes.
public protocol OutboxNumbering {
    /// Takes the next number of `folder`'s sequence (1 for a folder that has none yet); nil if it cannot
    /// be read back after it was taken (a damaged database).
    func takeOutboxNumber(in folder: String) throws -> Int?
}

extension StoreTransaction: OutboxNumbering {
    public func takeOutboxNumber(in folder: String) throws -> Int? {
        try db.takeOutboxNumber(in: folder)
    }
}

extension Database: OutboxNumbering {
    /// Numbers are taken inside the transaction that creates the document, so a rolled-back cycle takes
    /// none and no number is used twice.
    public func takeOutboxNumber(in folder: String) throws -> Int? {
        try cachedStatement(sql: """
            INSERT INTO outbox_sequence (folder, last) VALUES (?, 1)
            ON CONFLICT (folder) DO UPDATE SET last = last + 1
            """).execute(arguments: [folder])
        return try Int.fetchOne(cachedStatement(sql: "SELECT last FROM outbox_sequence WHERE folder = ?"), arguments: [folder])
    }
}

extension OrderDatabase {
    /// The last number taken in each outbox folder.
    public func outboxSequences() throws -> [String: Int] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT folder, last FROM outbox_sequence").reduce(into: [String: Int]()) { $0[$1["folder"]] = $1["last"] }
        }
    }

    /// Raises each folder's sequence to at least the number given (never lowers one), in one transaction.
    public func raiseOutboxSequences(to numbers: [String: Int]) throws {
        try writer.write { db in
            for (folder, number) in numbers {
                try db.execute(sql: """
                    INSERT INTO outbox_sequence (folder, last) VALUES (?, ?)
                    ON CONFLICT (folder) DO UPDATE SET last = MAX(last, excluded.last)
                    """, arguments: [folder, number])
            }
        }
    }
}
