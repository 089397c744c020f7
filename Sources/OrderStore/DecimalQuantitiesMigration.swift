import GRDB
import GRDBSQLite
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
    ///
    /// Registered through SQLite's C API, like `BulkStatement`'s binds: the credit check calls it for every
    /// line it sums, and GRDB's `DatabaseFunction` boxes both arguments and the result on each call.
    static func addLineValue(_ db: Database) throws {
        let code = sqlite3_create_function_v2(db.sqliteConnection, "line_value", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
                                              { context, _, arguments in OrderDatabase.lineValue(context, arguments) }, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot register the SQL function line_value")
        }
    }

    /// A product beyond Int64, as a REAL (what SQLite itself gives for an overflowing integer product).
    static let tooLarge = Double(Int64.max) * 2

    static func lineValue(_ context: OpaquePointer?, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
        guard let arguments, let q = arguments[0], let p = arguments[1] else { return sqlite3_result_null(context) }
        let qType = sqlite3_value_type(q), pType = sqlite3_value_type(p)
        if qType == SQLITE_NULL || pType == SQLITE_NULL { return sqlite3_result_null(context) }
        guard qType == SQLITE_INTEGER, pType == SQLITE_INTEGER,
              let value = try? LineValue.of(Quantity(thousandths: sqlite3_value_int64(q)), at: UnitPrice(tenThousandths: sqlite3_value_int64(p)))
        else { return sqlite3_result_double(context, tooLarge) }
        sqlite3_result_int64(context, value.minorUnits)
    }
}
