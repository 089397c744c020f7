import OrderImport
import OrderModel
import OrderStore

/// Cancelling an order or one of its lines: open lines become cancelled and give back their stock
/// at once, so the same cycle's allocation can hand it to the oldest back orders.
struct Cancellation {
    let tx: StoreTransaction
    let mover: StageMover

    init(_ tx: StoreTransaction, mover: StageMover) { self.tx = tx; self.mover = mover }

    /// Transitional, for callers still holding a GRDB connection.
    init(db: StoreTransaction.TransitionalConnection, mover: StageMover) { self.init(StoreTransaction(db), mover: mover) }

    /// Returns the number of lines cancelled.
    func cancel(orderID: Int64, lineNo: Int? = nil, reason: String) throws -> Int {
        let lines = try tx.cancellableLines(ofOrder: orderID, lineNo: lineNo)
        let ledger = StockLedger(tx)
        for line in lines {
            try ledger.release(lineID: line.id)
            try mover.moveLine(line.id, orderID: orderID, from: line.stage, to: .cancelled, code: "cancelled", reason: reason)
        }
        try tx.dropEmptyPurchaseOrders(ofOrder: orderID)
        if !lines.isEmpty {
            try tx.markOrderChanged(orderID)
            try tx.markCreditChanged(forCustomerOfOrder: orderID)
        }
        return lines.count
    }
}

/// A warehouse's despatch confirmation (despatch: confirmed): what left, and what was short.
struct DespatchConfirmation {
    let tx: StoreTransaction
    let mover: StageMover
    let now: Timestamp

    init(_ tx: StoreTransaction, mover: StageMover, now: Timestamp) { self.tx = tx; self.mover = mover; self.now = now }

    /// Transitional, for callers still holding a GRDB connection.
    init(db: StoreTransaction.TransitionalConnection, mover: StageMover, now: Timestamp) {
        self.init(StoreTransaction(db), mover: mover, now: now)
    }

    func apply(_ input: DespatchInput, sourceFileID: Int64) throws -> RecordRejection? {
        if try tx.despatchConfirmationRecorded(pickListRef: input.pickListRef, orderRef: input.orderRef, lineNo: input.lineNo) {
            return RecordRejection(line: input.sourceLine, field: "line_no",
                                   message: "line \(input.lineNo) of order \(input.orderRef) on \(input.pickListRef) was already confirmed; this copy is ignored",
                                   orderRef: input.orderRef, lineNo: input.lineNo)
        }
        guard let line = try tx.lineOnPickList(orderRef: input.orderRef, lineNo: input.lineNo, pickListRef: input.pickListRef) else {
            return RecordRejection(line: input.sourceLine, field: "pick_list_ref",
                                   message: "no line \(input.lineNo) of order \(input.orderRef) is waiting on pick list \(input.pickListRef); check the pick list and order references",
                                   orderRef: input.orderRef, lineNo: input.lineNo)
        }
        let id = line.id, orderID = line.orderID, quantity = line.quantity
        guard input.quantity <= quantity else {
            return .badValue(line: input.sourceLine, field: "quantity_despatched", found: "\(input.quantity)",
                             expected: "at most \(quantity), the quantity on the pick list")
        }
        let ledger = StockLedger(tx)
        let short = try quantity - input.quantity
        if short > .zero {
            // The shortfall goes back to Back Order as a line of its own, keeping the order's place in the queue.
            try ledger.release(lineID: id, quantity: short)
            if input.quantity == .zero {
                try mover.moveLine(id, orderID: orderID, from: .picking, to: .backOrder, code: "short-pick",
                                   reason: "short pick on \(input.pickListRef): none of \(quantity) despatched")
                try tx.takeOffPickList(id, orderID: orderID, waitingSince: now)
                try record(input, sourceFileID)
                return nil
            }
            try mover.split(id, orderID: orderID, lineNo: input.lineNo, from: .picking, keep: input.quantity, rest: short,
                            warehouse: line.warehouse, code: "short-pick",
                            stageReason: "short pick on \(input.pickListRef): \(short) of \(quantity) not despatched",
                            historyReason: "short pick on \(input.pickListRef): \(short) of \(quantity) back to the queue")
        }
        try ledger.despatch(lineID: id, quantity: input.quantity)
        try tx.markCreditChanged(forCustomerOfOrder: orderID)
        try mover.moveLine(id, orderID: orderID, from: .picking, to: .despatched, code: nil,
                           reason: "despatch of \(input.quantity) confirmed on \(input.pickListRef)")
        try record(input, sourceFileID)
        return nil
    }

    func record(_ input: DespatchInput, _ sourceFileID: Int64) throws {
        try tx.recordDespatchConfirmation(pickListRef: input.pickListRef, orderRef: input.orderRef, lineNo: input.lineNo,
                                          quantity: input.quantity, sourceFileID: sourceFileID, at: now)
    }
}
