import GRDB

extension StoreTransaction {
    /// Takes the next number of `folder`'s gapless sequence (1 for a folder that has none yet); nil if it
    /// cannot be read back after it was taken (a damaged database). Numbers are taken inside the transaction
    /// that creates the document, so a rolled-back cycle takes none and no number is used twice.
    public func takeOutboxNumber(in folder: String) throws -> Int? {
        try db.cachedStatement(sql: """
            INSERT INTO outbox_sequence (folder, last) VALUES (?, 1)
            ON CONFLICT (folder) DO UPDATE SET last = last + 1
            """).execute(arguments: [folder])
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT last FROM outbox_sequence WHERE folder = ?"), arguments: [folder])
    }
}

extension StoreTransaction {
    /// The number `takeOutboxNumber(in:)` would take next, without taking it: a document rendered through an
    /// output mapping carries its number, and a render that fails must not leave a gap in the sequence.
    public func nextOutboxNumber(in folder: String) throws -> Int {
        try (Int.fetchOne(db.cachedStatement(sql: "SELECT last FROM outbox_sequence WHERE folder = ?"), arguments: [folder]) ?? 0) + 1
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
