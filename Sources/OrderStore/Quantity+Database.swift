import GRDB
import OrderModel

// The store's column conversions: every module that reads a quantity or price from the database gets
// them from here, so the storage scale is decided next to the migration that set it (v17).

/// Quantities are stored as their thousandths (an INTEGER column), read and bound as `Quantity`.
extension Quantity: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { thousandths.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Quantity? {
        Int64.fromDatabaseValue(dbValue).map(Quantity.init(thousandths:))
    }
}

/// Unit prices are stored as their ten-thousandths of the minor unit (an INTEGER column).
extension UnitPrice: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { tenThousandths.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> UnitPrice? {
        Int64.fromDatabaseValue(dbValue).map(UnitPrice.init(tenThousandths:))
    }
}

/// Read straight from the statement like an Int64 (no `DatabaseValue` per value): allocation and the pick
/// lists read a quantity from every line of the book.
extension Quantity: StatementColumnConvertible {
    public init(sqliteStatement: SQLiteStatement, index: CInt) {
        self.init(thousandths: Int64(sqliteStatement: sqliteStatement, index: index))
    }
}

extension UnitPrice: StatementColumnConvertible {
    public init(sqliteStatement: SQLiteStatement, index: CInt) {
        self.init(tenThousandths: Int64(sqliteStatement: sqliteStatement, index: index))
    }
}
