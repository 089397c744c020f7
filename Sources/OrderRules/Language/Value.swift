import Foundation

/// A value in the rule language. Dates are whole days since 1970-01-01, so date arithmetic is in days.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case number(Decimal)
    case text(String)
    case date(Int64)
    case bool(Bool)
    case null

    public var description: String {
        switch self {
        case .number(let d): NSDecimalNumber(decimal: d).stringValue
        case .text(let s): "'\(s)'"
        case .date(let days):
            { let (y, m, d) = DayMath.civil(days); return String(format: "date '%04d-%02d-%02d'", y, m, d) }()
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }

    public var isNull: Bool { if case .null = self { true } else { false } }
}

/// The static type of an expression, checked when a rule is loaded.
public enum ValueType: String, Sendable, Hashable, CustomStringConvertible {
    case number, text, date, bool
    public var description: String {
        switch self {
        case .number: "a number"
        case .text: "text"
        case .date: "a date"
        case .bool: "true/false"
        }
    }
}

/// Civil-date helpers (proleptic Gregorian), kept here so the language does not depend on calendars.
enum DayMath {
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    static func civil(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400), Int(m), Int(d))
    }

    /// The first and last day a rule's date may be: years 1 to 9999, as `date '…'` writes them.
    static let validDays = days(1, 1, 1)...days(9999, 12, 31)

    /// `date + n` (whole days; a fraction is dropped), or nil when the result is not a date of
    /// years 1 to 9999. Checked because `n` comes from data or the rule (`order.date + 1e30`): a bare
    /// Int64 sum would trap and stop the engine.
    static func adding(_ n: Decimal, to date: Int64) -> Int64? {
        guard validDays.contains(date), n.isFinite, abs(n) <= Decimal(validDays.upperBound - validDays.lowerBound) else { return nil }
        let result = date + Int64(truncating: NSDecimalNumber(decimal: n))
        return validDays.contains(result) ? result : nil
    }

    /// Parses `YYYY-MM-DD`.
    static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard d <= length else { return nil }
        return days(y, m, d)
    }
}
