import GRDB
import OrderModel

/// One row of `allocation`: how much of one lot funds one order line.
///
/// Kept so that stock given back (a cancellation, a short pick, a count below the book) returns to the
/// lots it came from, and so that a line's history can say which receipts it was picked from.
public struct AllocationRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "allocation"

    public var lineID: Int64
    public var lotID: Int64
    public var quantity: Quantity

    public init(lineID: Int64, lotID: Int64, quantity: Quantity) {
        self.lineID = lineID; self.lotID = lotID; self.quantity = quantity
    }

    enum CodingKeys: String, CodingKey {
        case lineID = "line_id", lotID = "lot_id", quantity
    }

    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let lineID = Column(CodingKeys.lineID)
        public static let lotID = Column(CodingKeys.lotID)
        public static let quantity = Column(CodingKeys.quantity)
    }
}
