import GRDB
import OrderModel

/// Moves order lines between stages, always writing the history row in the same transaction.
///
/// Every stage change in the engine goes through here, so the history is complete by
/// construction: there is no other code path that sets `order_line.stage`.
struct StageMover {
    let db: Database
    let at: Timestamp
    let cycleID: Int64?
    let actor: String

    /// Moves the lines of one order that are in one of `from` to `to`.
    /// - Returns: the number of lines moved.
    @discardableResult
    func moveOrder(_ orderID: Int64, from: [Stage], to: Stage, code: String?, reason: String) throws -> Int {
        let placeholders = databaseQuestionMarks(count: from.count)
        var args: StatementArguments = [to.rawValue, reason, actor, at.description, cycleID, orderID]
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
    func moveLine(_ lineID: Int64, orderID: Int64, from: Stage, to: Stage, code: String?, reason: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [orderID, lineID, from.rawValue, to.rawValue, reason, actor, at.description, cycleID])
        try db.cachedStatement(sql: """
            UPDATE order_line SET stage = ?, stage_since = ?, reason_code = ?, stage_reason = ? WHERE id = ?
            """).execute(arguments: [to.rawValue, at.description, code, reason, lineID])
    }

    /// Records a line created by a split, as arriving in Back Order.
    func recordSplit(lineID: Int64, orderID: Int64, from: Stage, reason: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            VALUES (?, ?, ?, 'back-order', ?, ?, ?, ?)
            """).execute(arguments: [orderID, lineID, from.rawValue, reason, actor, at.description, cycleID])
    }

    /// Records a new line's first stage.
    func recordImport(lineID: Int64, orderID: Int64, reason: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            VALUES (?, ?, NULL, 'new', ?, ?, ?, ?)
            """).execute(arguments: [orderID, lineID, reason, actor, at.description, cycleID])
    }
}
