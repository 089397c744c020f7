import GRDB
import OrderImport
import OrderModel
import OrderStore

/// Cancelling an order or one of its lines: open lines become cancelled and give back their stock
/// at once, so the same cycle's allocation can hand it to the oldest back orders.
struct Cancellation {
    let db: Database
    let mover: StageMover

    /// Returns the number of lines cancelled.
    func cancel(orderID: Int64, lineNo: Int? = nil, reason: String) throws -> Int {
        var sql = """
            SELECT l.id, l.stage FROM order_line l LEFT JOIN purchase_order po ON po.po_ref = l.po_ref
            WHERE l.order_id = ? AND (l.stage NOT IN ('despatched', 'cancelled', 'drop-ship', 'picking')
                OR (l.stage = 'picking' AND l.pick_list_ref IS NULL)
                OR (l.stage = 'drop-ship' AND po.outbox_file_id IS NULL))
            """
        var args: StatementArguments = [orderID]
        if let lineNo { sql += " AND l.line_no = ?"; args += [lineNo] }
        let lines = try Row.fetchAll(db, sql: sql, arguments: args)
        let ledger = StockLedger(db: db)
        for line in lines {
            try ledger.release(lineID: line["id"])
            try mover.moveLine(line["id"], orderID: orderID, from: Stage(rawValue: line["stage"]), to: .cancelled, code: "cancelled", reason: reason)
        }
        try db.execute(sql: """
            DELETE FROM purchase_order WHERE order_id = ? AND outbox_file_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM order_line l INDEXED BY order_line_po WHERE l.po_ref = purchase_order.po_ref AND l.stage = 'drop-ship')
            """, arguments: [orderID])
        if !lines.isEmpty {
            try db.execute(sql: "UPDATE sales_order SET changed = 1 WHERE id = ?", arguments: [orderID])
            try db.execute(sql: "UPDATE customer SET credit_changed = 1 WHERE customer_ref = (SELECT customer_ref FROM sales_order WHERE id = ?)",
                           arguments: [orderID])
        }
        return lines.count
    }
}

/// A warehouse's despatch confirmation (despatch: confirmed): what left, and what was short.
struct DespatchConfirmation {
    let db: Database
    let mover: StageMover
    let now: Timestamp

    func apply(_ input: DespatchInput, sourceFileID: Int64) throws -> RecordRejection? {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM despatch WHERE pick_list_ref = ? AND order_ref = ? AND line_no = ?",
                             arguments: [input.pickListRef, input.orderRef, input.lineNo]) == true {
            return RecordRejection(line: input.sourceLine, field: "line_no",
                                   message: "line \(input.lineNo) of order \(input.orderRef) on \(input.pickListRef) was already confirmed; this copy is ignored",
                                   orderRef: input.orderRef, lineNo: input.lineNo)
        }
        guard let line = try Row.fetchOne(db, sql: """
            SELECT l.id, l.order_id, l.quantity, l.part, l.sku, l.warehouse, l.source_line FROM order_line l
            JOIN sales_order o ON o.id = l.order_id
            WHERE o.order_ref = ? AND l.line_no = ? AND l.pick_list_ref = ? AND l.stage = 'picking'
            """, arguments: [input.orderRef, input.lineNo, input.pickListRef]) else {
            return RecordRejection(line: input.sourceLine, field: "pick_list_ref",
                                   message: "no line \(input.lineNo) of order \(input.orderRef) is waiting on pick list \(input.pickListRef); check the pick list and order references",
                                   orderRef: input.orderRef, lineNo: input.lineNo)
        }
        let id: Int64 = line["id"], orderID: Int64 = line["order_id"], quantity: Quantity = line["quantity"]
        guard input.quantity <= quantity else {
            return .badValue(line: input.sourceLine, field: "quantity_despatched", found: "\(input.quantity)",
                             expected: "at most \(quantity), the quantity on the pick list")
        }
        let ledger = StockLedger(db: db)
        let short = try quantity - input.quantity
        if short > .zero {
            // The shortfall goes back to Back Order as a line of its own, keeping the order's place in the queue.
            try ledger.release(lineID: id, quantity: short)
            if input.quantity == .zero {
                try mover.moveLine(id, orderID: orderID, from: .picking, to: .backOrder, code: "short-pick",
                                   reason: "short pick on \(input.pickListRef): none of \(quantity) despatched")
                try db.execute(sql: "UPDATE order_line SET pick_list_ref = NULL WHERE id = ?", arguments: [id])
                try db.execute(sql: "UPDATE sales_order SET back_order_since = COALESCE(back_order_since, ?) WHERE id = ?",
                               arguments: [now.description, orderID])
                try record(input, sourceFileID)
                return nil
            }
            try mover.split(id, orderID: orderID, lineNo: input.lineNo, from: .picking, keep: input.quantity, rest: short,
                            warehouse: line["warehouse"], code: "short-pick",
                            stageReason: "short pick on \(input.pickListRef): \(short) of \(quantity) not despatched",
                            historyReason: "short pick on \(input.pickListRef): \(short) of \(quantity) back to the queue")
        }
        try ledger.despatch(lineID: id, quantity: input.quantity)
        try db.execute(sql: "UPDATE customer SET credit_changed = 1 WHERE customer_ref = (SELECT customer_ref FROM sales_order WHERE id = ?)",
                       arguments: [orderID])
        try mover.moveLine(id, orderID: orderID, from: .picking, to: .despatched, code: nil,
                           reason: "despatch of \(input.quantity) confirmed on \(input.pickListRef)")
        try record(input, sourceFileID)
        return nil
    }

    func record(_ input: DespatchInput, _ sourceFileID: Int64) throws {
        try db.execute(sql: "INSERT INTO despatch (pick_list_ref, order_ref, line_no, quantity, source_file_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [input.pickListRef, input.orderRef, input.lineNo, input.quantity.thousandths, sourceFileID, now.description])
    }
}
