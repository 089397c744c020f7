import GRDB
import OrderModel

/// One row of `stock_lot`: a quantity of stock that arrived together (a receipt, a count above the book,
/// opening stock) and how much of it is still unallocated.
///
/// The open lots of a place sum to its available stock (on hand − allocated); allocation takes from
/// them oldest first and records which lots funded each line (`AllocationRecord`).
public struct StockLotRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "stock_lot"
    /// The `source` of a lot created for stock that was counted or moved before lots were kept.
    public static let openingStock = "opening stock"
    /// The `received_at` of such a lot: before any real lot, so it is taken first.
    public static let openingStockReceivedAt = "1970-01-01T00:00:00Z"

    public var id: Int64?
    public var sku: String
    public var warehouse: String
    /// What brought it (`R1` for a receipt, `count` for a stock count, `opening stock`).
    public var source: String
    public var receivedAt: String
    public var quantity: Quantity
    public var remaining: Quantity

    public init(id: Int64? = nil, sku: String, warehouse: String, source: String, receivedAt: String, quantity: Quantity, remaining: Quantity) {
        self.id = id; self.sku = sku; self.warehouse = warehouse; self.source = source
        self.receivedAt = receivedAt; self.quantity = quantity; self.remaining = remaining
    }

    enum CodingKeys: String, CodingKey {
        case id, sku, warehouse, source, receivedAt = "received_at", quantity, remaining
    }

    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let sku = Column(CodingKeys.sku)
        public static let warehouse = Column(CodingKeys.warehouse)
        public static let source = Column(CodingKeys.source)
        public static let receivedAt = Column(CodingKeys.receivedAt)
        public static let quantity = Column(CodingKeys.quantity)
        public static let remaining = Column(CodingKeys.remaining)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
