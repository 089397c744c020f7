import GRDB
import OrderModel

/// Moves order lines between stages, always writing the history row in the same transaction.
///
/// Stage changes go through here (a line or an order at a time, or `StageMover.Batch` for many lines
/// at once), which writes the history row with each change; the two other writers are export's despatch
/// of its pick lists and the credit check's outcomes, which write their history rows set-based next to
/// their updates, in the same transaction. A line's creation
/// by import is not a move: the line records it itself (source file and line, import time), and
/// `order REF` shows it as the first entry of the history, so the import writes one row per line, not two.
public struct StageMover {
    package let db: Database
    public let at: Timestamp
    public let cycleID: Int64?
    public let actor: Actor

    /// A mover for one transaction: every move it makes is stamped `at`, with `actor` (`rule:allocate`,
    /// `user:ann`) and the cycle (nil for a person's command).
    public init(_ transaction: StoreTransaction, at: Timestamp, cycleID: Int64?, actor: Actor) {
        self.init(db: transaction.db, at: at, cycleID: cycleID, actor: actor)
    }

    package init(db: Database, at: Timestamp, cycleID: Int64?, actor: Actor) {
        self.db = db; self.at = at; self.cycleID = cycleID; self.actor = actor
    }

    /// Moves the lines of one order that are in one of `from` to `to`.
    /// - Returns: the number of lines moved.
    @discardableResult
    public func moveOrder(_ orderID: Int64, from: [Stage], to: Stage, code: String?, reason: String) throws -> Int {
        let placeholders = databaseQuestionMarks(count: from.count)
        var args: StatementArguments = [to.rawValue, reason, actor.description, at.description, cycleID, orderID]
        args += StatementArguments(from.map(\.rawValue))
        try db.cachedStatement(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            SELECT order_id, id, stage, ?, ?, ?, ?, ? FROM order_line
            WHERE order_id = ? AND stage IN (\(placeholders))
            """).execute(arguments: args)
        var update: StatementArguments = [to.rawValue, at.description, code, reason, orderID]
        update += StatementArguments(from.map(\.rawValue))
        try db.cachedStatement(sql: """
            UPDATE order_line SET stage = ?, stage_since = ?, reason_code = ?, stage_reason = ?
            WHERE order_id = ? AND stage IN (\(placeholders))
            """).execute(arguments: update)
        return db.changesCount
    }

    /// Moves one line, whatever stage it is in.
    public func moveLine(_ lineID: Int64, orderID: Int64, from: Stage, to: Stage, code: String?, reason: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [orderID, lineID, from.rawValue, to.rawValue, reason, actor.description, at.description, cycleID])
        try db.cachedStatement(sql: """
            UPDATE order_line SET stage = ?, stage_since = ?, reason_code = ?, stage_reason = ? WHERE id = ?
            """).execute(arguments: [to.rawValue, at.description, code, reason, lineID])
    }

    /// Splits a line: it keeps `keep` units and a new part with the rest waits in Back Order, at the
    /// line's place in the queue (same line number, next part). Returns the new part's id.
    @discardableResult
    public func split(_ lineID: Int64, orderID: Int64, lineNo: Int, from: Stage, keep: Quantity, rest: Quantity, warehouse: String,
               code: String, stageReason: String, historyReason: String) throws -> Int64 {
        let part = (try Int.fetchOne(db, sql: "SELECT MAX(part) FROM order_line WHERE order_id = ? AND line_no = ?",
                                     arguments: [orderID, lineNo]) ?? 0) + 1
        try db.execute(sql: "UPDATE order_line SET quantity = ? WHERE id = ?", arguments: [keep, lineID])
        try db.execute(sql: """
            INSERT INTO order_line (order_id, line_no, part, sku, quantity, unit_price, stage, stage_since, reason_code, stage_reason,
                                    warehouse, source_line, custom, queue_key, unit_as_written)
            SELECT order_id, line_no, ?, sku, ?, unit_price, 'back-order', ?, ?, ?, ?, source_line, custom, \(QueueKey.splitSQL), unit_as_written
            FROM order_line WHERE id = ?
            """, arguments: [part, rest, at.description, code, stageReason, warehouse, part, lineID])
        let newPart = db.lastInsertedRowID
        try db.cachedStatement(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            VALUES (?, ?, ?, 'back-order', ?, ?, ?, ?)
            """).execute(arguments: [orderID, newPart, from.rawValue, historyReason, actor.description, at.description, cycleID])
        return newPart
    }
}
