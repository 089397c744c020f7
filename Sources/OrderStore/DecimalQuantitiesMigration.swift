import GRDB
import OrderModel

/// What `v17-decimal-quantities` needs before it scales the stored data, and the SQL function it brings.
enum DecimalQuantitiesMigration {
    /// Refuses, in words, a database whose prices would not fit ten-thousandths of a minor unit (×10,000) or
    /// whose quantities would not fit thousandths (×1000): SQLite would turn such a product into an
    /// approximate REAL instead of failing.
    static func check(_ db: Database) throws {
        let priceLimit = Int64.max / UnitPrice.scale, quantityLimit = Int64.max / 1000
        let prices = try String.fetchAll(db, sql: """
            SELECT 'product ' || sku FROM product WHERE abs(unit_price) > ?1 OR abs(supplier_cost) > ?1
            UNION ALL SELECT 'order line ' || id FROM order_line WHERE abs(unit_price) > ?1 LIMIT 5
            """, arguments: [priceLimit])
        let quantities = try String.fetchAll(db, sql: """
            SELECT 'order line ' || id FROM order_line WHERE abs(quantity) > ?1
            UNION ALL SELECT 'stock ' || sku FROM stock WHERE abs(on_hand) > ?1 LIMIT 5
            """, arguments: [quantityLimit])
        guard prices.isEmpty, quantities.isEmpty else {
            throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: """
                cannot move this database to decimal quantities: \((prices + quantities).joined(separator: ", ")) \
                hold a price above \(priceLimit) minor units or a quantity above \(quantityLimit), beyond what the engine keeps; \
                correct them with sqlite3 and start again
                """)
        }
    }
}

extension OrderDatabase {
    /// `line_value(quantity, unit_price)`: `LineValue.of(_:at:)` for SQL, so that the credit check, order
    /// totals and reports sum exactly the line values the rest of the engine computes (never `quantity *
    /// unit_price`, which is in the wrong units and unrounded). NULL in, NULL out. A value beyond Int64
    /// comes back as a REAL, which `AmountSum` and `Money(computed:)` report as too large to compute, as
    /// they do for SQLite's own overflowing products.
    static let lineValue = DatabaseFunction("line_value", argumentCount: 2, pure: true) { values -> (any DatabaseValueConvertible)? in
        guard case .int64(let quantity) = values[0].storage, case .int64(let price) = values[1].storage else {
            if values[0].isNull || values[1].isNull { return nil }
            return Double(Int64.max) * 2
        }
        do {
            return try LineValue.of(Quantity(thousandths: quantity), at: UnitPrice(tenThousandths: price)).minorUnits
        } catch {
            return Double(Int64.max) * 2
        }
    }
}
