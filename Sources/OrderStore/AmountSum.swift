import GRDB
import OrderModel

/// How a query sums amounts (minor units) in SQLite: with `SUM`, or exactly whatever the total.
///
/// SQLite's `SUM` of integers stops the whole statement with "integer overflow" when a total passes
/// Int64, so one order beyond the limits would fail every cycle. `split` sums the high and the low
/// 32 bits of each term apart (neither can overflow for fewer than 2^31 rows) and joins them in Swift
/// with checked arithmetic, so such a total is reported as too large (nil) while every other total
/// stays exact. A term SQLite had already turned into a REAL (a product beyond Int64) makes its total
/// unknown too. `native` is the fast path; a step re-runs with `split` only after an overflow.
package enum AmountSum {
    case native
    case split

    /// The select-list entry for the sum of `term` named `name` (NULL terms are skipped; no terms is 0).
    package func sql(_ term: String, as name: String) -> String {
        switch self {
        case .native:
            "COALESCE(SUM(\(term)), 0) AS \(name)"
        case .split:
            "COALESCE(SUM((\(term)) >> 32), 0) AS \(name)_hi, COALESCE(SUM((\(term)) & 4294967295), 0) AS \(name)_lo, "
                + "COALESCE(MAX(typeof(\(term)) = 'real'), 0) AS \(name)_real"
        }
    }

    /// The same as scalar subqueries `(SELECT … FROM …)`, one per column, for a select list that is not grouped.
    package func subquerySQL(_ term: String, from: String, as name: String) -> String {
        switch self {
        case .native:
            "(SELECT COALESCE(SUM(\(term)), 0) \(from)) AS \(name)"
        case .split:
            "(SELECT COALESCE(SUM((\(term)) >> 32), 0) \(from)) AS \(name)_hi, "
                + "(SELECT COALESCE(SUM((\(term)) & 4294967295), 0) \(from)) AS \(name)_lo, "
                + "(SELECT COALESCE(MAX(typeof(\(term)) = 'real'), 0) \(from)) AS \(name)_real"
        }
    }

    /// Reads the sum `name` of a row of a query built with `sql(_:as:)`; nil when it is not an exact Int64.
    package func read(_ row: Row, _ columns: ColumnIndex, _ name: String) -> Money? {
        read(name) { row[columns[$0]] }
    }

    /// Reads the sum `name` from a row read by column name (a few rows, not a loop over many).
    package func read(_ row: Row, _ name: String) -> Money? {
        read(name) { row[$0] }
    }

    /// The sums `names` of a row added together (an order's stock lines and its non-stock lines); nil
    /// when any of them, or their total, is not an exact Int64.
    package func total(_ row: Row, _ columns: ColumnIndex, _ names: String...) -> Money? {
        names.reduce(Money?.some(.zero)) { sum, name in
            sum.flatMap { sum in read(row, columns, name).flatMap { try? sum + $0 } }
        }
    }

    /// As `total(_:_:_:)`, reading by column name.
    package func total(_ row: Row, _ names: String...) -> Money? {
        names.reduce(Money?.some(.zero)) { sum, name in
            sum.flatMap { sum in read(row, name).flatMap { try? sum + $0 } }
        }
    }

    private func read(_ name: String, _ column: (String) -> DatabaseValue) -> Money? {
        switch self {
        case .native:
            return Money(computed: column(name))
        case .split:
            guard let high = Money(computed: column(name + "_hi")), let low = Money(computed: column(name + "_lo")),
                  Int64.fromDatabaseValue(column(name + "_real")) == 0 else { return nil }
            let (shifted, o1) = high.minorUnits.multipliedReportingOverflow(by: 1 << 32)
            let (total, o2) = shifted.addingReportingOverflow(low.minorUnits)
            return o1 || o2 ? nil : Money(minorUnits: total)
        }
    }
}
