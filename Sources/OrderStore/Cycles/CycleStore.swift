import GRDB
import OrderModel

/// The store's operations on cycle rows: a cycle is started before its first step, and finished with its
/// counts or failed with its error, each in a transaction of its own (a failed step's transaction is gone
/// by the time its failure is recorded).
extension OrderDatabase {
    /// Starts a cycle at `now`; returns its id.
    public func startCycle(at now: Timestamp) throws -> Int64 {
        try write { tx in try tx.startCycle(at: now) }
    }

    /// Records a cycle's end with its counts (JSON by step).
    public func finishCycle(_ id: Int64, at now: Timestamp, summary: String) throws {
        try writer.write { db in
            _ = try CycleRecord.filter(key: id).updateAll(db, CycleRecord.Columns.finishedAt.set(to: now.description),
                                                      CycleRecord.Columns.summary.set(to: summary))
        }
    }

    /// Records a cycle as failed, with the error that stopped it, so `status` tells it from a good one.
    public func failCycle(_ id: Int64, at now: Timestamp, error: String) throws {
        try writer.write { db in
            _ = try CycleRecord.filter(key: id).updateAll(db, CycleRecord.Columns.finishedAt.set(to: now.description),
                                                      CycleRecord.Columns.error.set(to: error))
        }
    }
}

extension StoreTransaction {
    /// Starts a cycle at `now` inside this transaction; `finished` stamps its end at once (a cycle of one
    /// step that is its own record, as `allocate` is). Returns its id.
    public func startCycle(at now: Timestamp, finished: Bool = false) throws -> Int64 {
        var cycle = CycleRecord(startedAt: now.description, finishedAt: finished ? now.description : nil)
        try cycle.insert(db)
        return cycle.id ?? db.lastInsertedRowID
    }
}
