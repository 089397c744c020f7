import GRDB

/// One transaction's view of the store, handed to engine code by `OrderDatabase.write(_:)` and `read(_:)`.
///
/// The engine never sees SQL: what it may do inside a transaction is the operations OrderStore's
/// extensions of this type provide (each named for the business fact it reads or writes). Most of the
/// facade's operations are whole transactions of their own, methods of `OrderDatabase`; this type is for
/// the few places where a step must make several of them atomic together (an import's file record and
/// its orders, a cycle's decisions and its history).
public struct StoreTransaction {
    /// The connection, inside the transaction. Only OrderStore speaks to it.
    package let db: Database

    package init(_ db: Database) { self.db = db }

    /// The row id the last insert of this transaction gave.
    public var lastInsertedRowID: Int64 { db.lastInsertedRowID }
}

extension OrderDatabase {
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try writer.write { db in try body(StoreTransaction(db)) }
    }

    /// Runs `body` in one read transaction (a consistent snapshot, beside a running writer).
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try writer.read { db in try body(StoreTransaction(db)) }
    }

    /// Runs `body` in a write transaction that is always rolled back: a preview (`allocate --dry-run`,
    /// a mapping trial) does everything a real run does and leaves nothing behind.
    public func rehearse<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        var result: Result<T, any Error>?
        try writer.writeWithoutTransaction { db in
            try db.inTransaction(.deferred) {
                result = Result { try body(StoreTransaction(db)) }
                return .rollback
            }
        }
        guard let result else { throw StoreError.noResult }
        return try result.get()
    }
}

/// A store operation that could not do what it was asked, in words.
public enum StoreError: Error, CustomStringConvertible {
    /// A rehearsal's body never ran (the transaction could not begin).
    case noResult

    public var description: String {
        switch self {
        case .noResult: "the transaction did not run"
        }
    }
}
