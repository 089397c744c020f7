import GRDB

extension ExceptionNote {
    /// Stores the note for cycle `cycleID` through a bare connection: for the steps that still hold one while
    /// their SQL moves into the store (they call it under the engine's old name, `ExceptionEntry`). Goes once
    /// every caller records through `StoreTransaction.record(_:cycleID:)`.
    package func insert(_ db: Database, cycleID: Int64) throws {
        try StoreTransaction(db).record(self, cycleID: cycleID)
    }
}
