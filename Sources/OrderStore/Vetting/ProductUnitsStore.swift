import GRDB

/// A product's units as stored, before the engine parses its conversions.
public struct StoredProductUnits: Sendable, Hashable {
    public var stockUnit: String
    /// The decimals a quantity of the product may have in its stock unit.
    public var quantityDecimals: Int
    /// The product's own conversions as the product file wrote them; nil when it has none.
    public var conversions: String?
}

extension StoreTransaction {
    /// The units of a product; nil when the sku is not in the product file (yet).
    ///
    /// Asked once per sku of an orders file and per line being converted: a cached statement.
    public func productUnits(sku: String) throws -> StoredProductUnits? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT stock_unit, quantity_decimals, units FROM product WHERE sku = ?"),
                                         arguments: [sku]) else { return nil }
        return StoredProductUnits(stockUnit: row[0], quantityDecimals: row[1], conversions: row[2])
    }
}
