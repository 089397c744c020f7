import GRDB
import OrderModel

extension Money {
    /// An amount SQLite computed (a line value, an order's total, a sum): nil when it is not an exact integer.
    ///
    /// SQLite turns an integer product that overflows Int64 into an approximate REAL instead of failing;
    /// reading that as Int64 would trap (or silently clamp), so such a value is reported as too large.
    /// NULL (no lines) is zero.
    package init?(computed value: DatabaseValue) {
        switch value.storage {
        case .int64(let minor): self.init(minorUnits: minor)
        case .null: self = .zero
        case .double, .string, .blob: return nil
        }
    }
}
