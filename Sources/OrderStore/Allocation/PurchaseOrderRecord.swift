import GRDB

/// One row of `purchase_order`: the purchase order raised for a supplier's drop-ship lines of one order.
///
/// Open (`outboxFileID` nil) until the export writes it; while open, the order's further drop-ship lines
/// for the same supplier join it rather than raising another.
public struct PurchaseOrderRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "purchase_order"

    public var poRef: String
    public var orderID: Int64
    public var supplierRef: String
    public var createdAt: String
    public var cycleID: Int64?
    public var outboxFileID: Int64?

    public init(poRef: String, orderID: Int64, supplierRef: String, createdAt: String, cycleID: Int64?, outboxFileID: Int64? = nil) {
        self.poRef = poRef; self.orderID = orderID; self.supplierRef = supplierRef
        self.createdAt = createdAt; self.cycleID = cycleID; self.outboxFileID = outboxFileID
    }

    enum CodingKeys: String, CodingKey {
        case poRef = "po_ref", orderID = "order_id", supplierRef = "supplier_ref", createdAt = "created_at",
             cycleID = "cycle_id", outboxFileID = "outbox_file_id"
    }

    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let poRef = Column(CodingKeys.poRef)
        public static let orderID = Column(CodingKeys.orderID)
        public static let supplierRef = Column(CodingKeys.supplierRef)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let cycleID = Column(CodingKeys.cycleID)
        public static let outboxFileID = Column(CodingKeys.outboxFileID)
    }
}
