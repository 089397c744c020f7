import GRDB
import OrderModel

/// One row of `stock`: what is on hand of a sku in a warehouse and how much of it is allocated.
///
/// `gained` marks stock that rose since the last allocation (a receipt, a count, a release), so that
/// the next allocation looks at that sku's back orders again.
public struct StockRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "stock"

    public var sku: String
    public var warehouse: String
    public var onHand: Quantity
    public var allocated: Quantity
    public var gained: Bool

    public init(sku: String, warehouse: String, onHand: Quantity, allocated: Quantity = .zero, gained: Bool = false) {
        self.sku = sku; self.warehouse = warehouse; self.onHand = onHand; self.allocated = allocated; self.gained = gained
    }

    enum CodingKeys: String, CodingKey {
        case sku, warehouse, onHand = "on_hand", allocated, gained
    }

    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let sku = Column(CodingKeys.sku)
        public static let warehouse = Column(CodingKeys.warehouse)
        public static let onHand = Column(CodingKeys.onHand)
        public static let allocated = Column(CodingKeys.allocated)
        public static let gained = Column(CodingKeys.gained)
    }

    /// The place this row describes.
    public var place: StockPlace { StockPlace(sku: sku, warehouse: warehouse) }
}
