import GRDB
import OrderModel

/// An order line waiting for stock (new, credit passed, not drop-ship; or in back order), as allocation
/// needs it: where its stock is kept, how much it needs, and its place in the queue.
public struct AllocationCandidate: Sendable, Hashable {
    public var id: Int64
    public var orderID: Int64
    public var lineNo: Int
    public var sku: String
    /// The line's warehouse, or its product's when the line names none.
    public var warehouse: String
    public var quantity: Quantity
    public var stage: Stage
    public var orderRef: String
    /// Its place in the queue (`QueueKey`): sorts as priority, order date, import sequence, line, part.
    public var queueKey: String

    public init(id: Int64, orderID: Int64, lineNo: Int, sku: String, warehouse: String, quantity: Quantity, stage: Stage,
                orderRef: String, queueKey: String) {
        self.id = id; self.orderID = orderID; self.lineNo = lineNo; self.sku = sku; self.warehouse = warehouse
        self.quantity = quantity; self.stage = stage; self.orderRef = orderRef; self.queueKey = queueKey
    }

    /// The place its stock is taken from.
    public var place: StockPlace { StockPlace(sku: sku, warehouse: warehouse) }

    /// The columns `init(_:)` reads, by position, from `order_line l`, `sales_order o` and `product p`.
    static let columns = """
        l.id, l.order_id, l.line_no, l.sku, COALESCE(l.warehouse, p.warehouse) AS warehouse, l.quantity, l.stage, o.order_ref, l.queue_key
        """

    /// From a row that starts with `columns`, by position (the hot path reads hundreds of thousands).
    init(_ row: Row) {
        id = row[0]; orderID = row[1]; lineNo = row[2]; sku = row[3]; warehouse = row[4]
        quantity = row[5]; stage = Stage(rawValue: row[6]); orderRef = row[7]; queueKey = row[8] ?? ""
    }
}

/// A stream of candidates read from the database in queue order, consumed while the caller still has
/// stock to give: reading stops when the caller stops asking.
public struct AllocationCandidateCursor {
    private let rows: RowCursor

    init(_ rows: RowCursor) { self.rows = rows }

    /// The next candidate; nil at the end.
    public func next() throws -> AllocationCandidate? {
        try rows.next().map(AllocationCandidate.init)
    }
}

/// A candidate read for the one-queue allocation, with what decides its order's ship policy now.
public struct QueuedAllocationCandidate: Sendable, Hashable {
    public var line: AllocationCandidate
    /// Since when the order has had a line waiting for stock (a `part-after:N` policy counts from it).
    public var backOrderSince: Timestamp?
    /// The policies stated on the order and its customer; one that no longer parses counts as not stated.
    public var orderPolicy: ShipPolicy?
    public var customerPolicy: ShipPolicy?
}
