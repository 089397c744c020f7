import GRDB

/// An orders import that the process did not finish (killed between its commits), taken back.
public struct TakenBackImport: Sendable, Hashable {
    /// The `source_file` row the import had written (now removed: the file is imported again whole).
    public var sourceFileID: Int64
    /// How many of its orders were removed.
    public var orders: Int
}

extension OrderDatabase {
    /// Takes back, in one transaction, every orders import that did not finish (see `ImportInProgress`),
    /// before any step can see its orders; returns what was taken back, for the log.
    public func takeBackUnfinishedImports() throws -> [TakenBackImport] {
        try writer.write { db in
            try ImportInProgress.unfinished(db).map { id in
                TakenBackImport(sourceFileID: id, orders: try ImportInProgress.rollBack(db, sourceFileID: id))
            }
        }
    }

    /// Takes back the committed part of one import that did not finish (stopped, failed, or its file
    /// changed under it); returns the orders removed.
    @discardableResult
    public func takeBackImport(sourceFileID: Int64) throws -> Int {
        try writer.write { db in try ImportInProgress.rollBack(db, sourceFileID: sourceFileID) }
    }
}
