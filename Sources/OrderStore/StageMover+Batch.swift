import GRDB
import OrderModel

extension StageMover {
    /// Many lines' moves at once, for steps that move tens of thousands of lines in a cycle.
    ///
    /// Moves are collected in memory; `write()` stages them in line order in a temporary table (appends,
    /// where a step's own order — allocation goes sku by sku — would insert all over it), then updates
    /// the lines and writes one history row per line with two set-based statements, instead of two
    /// statements per line. The staged rows stay readable as `staged_move` (for follow-up work such as
    /// exceptions) until `clear()`.
    public struct Batch {
        public let mover: StageMover
        private let insert: BulkStatement
        private let collected = Collected()

        private struct Move {
            var lineID, orderID: Int64
            var from, to: Stage
            var code: String?
            var reason: String
            var allocate: Quantity
            var warehouse, poRef: String?
            var waits: Bool
        }

        private final class Collected {
            var moves: [Move] = []
        }

        public init(_ mover: StageMover) throws {
            self.mover = mover
            try mover.db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS staged_move (
                    line_id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, from_stage TEXT NOT NULL, to_stage TEXT NOT NULL,
                    code TEXT, reason TEXT NOT NULL, allocate INTEGER NOT NULL, warehouse TEXT, po_ref TEXT, waits INTEGER NOT NULL);
                DELETE FROM staged_move;
                """)
            insert = try BulkStatement(mover.db, sql: """
                INSERT INTO staged_move (line_id, order_id, from_stage, to_stage, code, reason, allocate, warehouse, po_ref, waits)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        }

        /// Stages one line's move. `allocate` adds to the line's allocated quantity; a nil `warehouse` or
        /// `poRef` leaves the line's own; `waits` marks a line (or the rest of it) now waiting for stock.
        public func stage(_ lineID: Int64, orderID: Int64, from: Stage, to: Stage, code: String?, reason: String,
                   allocate: Quantity = .zero, warehouse: String? = nil, poRef: String? = nil, waits: Bool = false) throws {
            collected.moves.append(Move(lineID: lineID, orderID: orderID, from: from, to: to, code: code, reason: reason,
                                        allocate: allocate, warehouse: warehouse, poRef: poRef, waits: waits))
        }

        /// Puts the moves collected so far into the scratch table and lets go of them in memory; nothing
        /// moves until `write()`. A step that decides many lines in slices stashes each slice, so that its
        /// memory holds one slice while the lines themselves are updated once, in line order, at the end
        /// (slice by slice, each update would touch pages all over the order book again).
        public func stash() throws {
            let moves = collected.moves.sorted { $0.lineID < $1.lineID }
            collected.moves = []
            for m in moves {
                insert.bind(m.lineID, at: 1); insert.bind(m.orderID, at: 2); insert.bind(m.from.rawValue, at: 3)
                insert.bind(m.to.rawValue, at: 4); insert.bind(m.code, at: 5); insert.bind(m.reason, at: 6)
                insert.bind(m.allocate.thousandths, at: 7); insert.bind(m.warehouse, at: 8); insert.bind(m.poRef, at: 9); insert.bind(m.waits, at: 10)
                try insert.execute()
            }
        }

        /// Moves every staged line (stashed or still collected) and writes their history.
        public func write() throws {
            try stash()
            let at = mover.at.description
            // `WHERE id IN (...)` keeps the staged rows driving the update (an UPDATE ... FROM may scan every line).
            try mover.db.execute(sql: """
                UPDATE order_line SET (stage, stage_since, reason_code, stage_reason, allocated, warehouse, po_ref) = (
                    SELECT s.to_stage, ?, s.code, s.reason, order_line.allocated + s.allocate,
                           COALESCE(s.warehouse, order_line.warehouse), COALESCE(s.po_ref, order_line.po_ref)
                    FROM staged_move s WHERE s.line_id = order_line.id)
                WHERE id IN (SELECT line_id FROM staged_move)
                """, arguments: [at])
            try mover.db.execute(sql: """
                INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
                SELECT order_id, line_id, from_stage, to_stage, reason, ?, ?, ? FROM staged_move ORDER BY line_id
                """, arguments: [mover.actor.description, at, mover.cycleID])
        }

        public func clear() throws {
            try mover.db.execute(sql: "DELETE FROM staged_move")
        }
    }
}
