/// An amount of money in integer minor units (cents, pence), never floating point.
///
/// Feeds carry decimals as text; `MoneyFormat` turns them into minor units exactly,
/// rejecting more decimal places than the currency has rather than rounding silently.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var minorUnits: Int64
    public init(minorUnits: Int64) { self.minorUnits = minorUnits }
    public static let zero = Money(minorUnits: 0)
    public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }
    /// The largest magnitude a money field of an input file may have, in major units (one trillion).
    ///
    /// Far above any real price, limit or balance, and low enough that the sums the engine computes
    /// (line values, order totals, a customer's exposure) stay inside Int64 minor units with room
    /// to spare at every `currency_decimals` (0 to 4). The import refuses a value beyond it.
    public static let limitMajorUnits: Int64 = 1_000_000_000_000

    /// Checked: an overflow throws instead of trapping the process.
    public static func + (a: Money, b: Money) throws(MoneyOverflow) -> Money {
        let (sum, overflow) = a.minorUnits.addingReportingOverflow(b.minorUnits)
        if overflow { throw MoneyOverflow(left: a.minorUnits, operation: .add, right: b.minorUnits) }
        return Money(minorUnits: sum)
    }

    /// Checked: an overflow throws instead of trapping the process.
    public static func - (a: Money, b: Money) throws(MoneyOverflow) -> Money {
        let (difference, overflow) = a.minorUnits.subtractingReportingOverflow(b.minorUnits)
        if overflow { throw MoneyOverflow(left: a.minorUnits, operation: .subtract, right: b.minorUnits) }
        return Money(minorUnits: difference)
    }

    /// A line value, `price × quantity`. Checked: an overflow throws instead of trapping the process.
    public static func * (a: Money, quantity: Int64) throws(MoneyOverflow) -> Money {
        let (product, overflow) = a.minorUnits.multipliedReportingOverflow(by: quantity)
        if overflow { throw MoneyOverflow(left: a.minorUnits, operation: .multiply, right: quantity) }
        return Money(minorUnits: product)
    }
    public var description: String { MoneyFormat.standard.format(self) }

    public init(from decoder: any Decoder) throws {
        minorUnits = try decoder.singleValueContainer().decode(Int64.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(minorUnits)
    }
}

/// How many decimal places the currency has; parses and prints `Money`.
public struct MoneyFormat: Sendable, Hashable {
    public var fractionDigits: Int
    public init(fractionDigits: Int) { self.fractionDigits = fractionDigits }
    public static let standard = MoneyFormat(fractionDigits: 2)

    /// `Money.limitMajorUnits` in this currency's minor units: the largest magnitude an input may state.
    public var limit: Money {
        var minor = Money.limitMajorUnits
        for _ in 0..<max(0, fractionDigits) {
            let (m, overflow) = minor.multipliedReportingOverflow(by: 10)
            if overflow { return Money(minorUnits: .max) }
            minor = m
        }
        return Money(minorUnits: minor)
    }

    /// Whether an amount is within `limit` either side of zero.
    public func isWithinLimit(_ money: Money) -> Bool {
        money.minorUnits.magnitude <= limit.minorUnits.magnitude
    }

    /// Parses `-1234.5`, `12`, `0.05`; returns nil for anything else (including too many decimals).
    public func parse(_ text: String) -> Money? {
        FixedPoint.parse(text, decimals: fractionDigits, ignoringZerosBeyond: false).map(Money.init(minorUnits:))
    }

    /// Prints with exactly `fractionDigits` decimals and no grouping, e.g. `1234.50`.
    public func format(_ money: Money) -> String {
        guard fractionDigits > 0 else { return String(money.minorUnits) }
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let magnitude = money.minorUnits.magnitude
        let whole = magnitude / UInt64(scale)
        let fraction = String(magnitude % UInt64(scale))
        let padded = String(repeating: "0", count: fractionDigits - fraction.count) + fraction
        return (money.minorUnits < 0 ? "-" : "") + "\(whole).\(padded)"
    }
}
import Foundation
