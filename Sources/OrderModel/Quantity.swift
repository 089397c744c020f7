import Foundation

/// An exact quantity of a product in its stock unit, in thousandths (up to 3 decimals), never floating point.
///
/// Real lines say `12.75 KGM` or `2.5 MTR`; whole-unit products keep whole quantities (`3`, printed `3`).
/// Thousandths in an Int64 hold ±9.2 × 10^15 units, far above the import's limit (`RecordDecoder.quantityLimit`),
/// so sums over a whole order book stay exact; arithmetic is still checked, and an overflow is an error
/// with words, never a trap.
public struct Quantity: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The quantity × 1000.
    public var thousandths: Int64
    public init(thousandths: Int64) { self.thousandths = thousandths }

    /// The most decimals a quantity can have.
    public static let maxDecimals = 3
    public static let zero = Quantity(thousandths: 0)

    /// A whole number of units; nil when it is beyond what thousandths in an Int64 hold.
    public init?(units: Int64) {
        let (scaled, overflow) = units.multipliedReportingOverflow(by: 1000)
        if overflow { return nil }
        thousandths = scaled
    }

    /// For literals in code (`let three: Quantity = 3`); a literal beyond ±9.2 × 10^15 is a programming error.
    public init(integerLiteral value: Int64) {
        guard let q = Quantity(units: value) else { preconditionFailure("quantity literal \(value) is beyond the engine's range") }
        self = q
    }

    public static func < (a: Quantity, b: Quantity) -> Bool { a.thousandths < b.thousandths }

    /// Checked: an overflow throws instead of trapping the process.
    public static func + (a: Quantity, b: Quantity) throws(QuantityOverflow) -> Quantity {
        let (sum, overflow) = a.thousandths.addingReportingOverflow(b.thousandths)
        if overflow { throw QuantityOverflow(left: a, operation: "+", right: b) }
        return Quantity(thousandths: sum)
    }

    /// Checked: an overflow throws instead of trapping the process.
    public static func - (a: Quantity, b: Quantity) throws(QuantityOverflow) -> Quantity {
        let (difference, overflow) = a.thousandths.subtractingReportingOverflow(b.thousandths)
        if overflow { throw QuantityOverflow(left: a, operation: "-", right: b) }
        return Quantity(thousandths: difference)
    }

    /// The decimals the quantity needs: 0 for `3`, 2 for `12.75`, 3 for `0.125`.
    public var decimals: Int {
        var rest = thousandths % 1000
        if rest == 0 { return 0 }
        var count = 3
        while rest % 10 == 0 { rest /= 10; count -= 1 }
        return count
    }

    /// Whether the quantity has no fraction.
    public var isWhole: Bool { thousandths % 1000 == 0 }

    /// Parses `12.75`, `3`, `0.125`, `-2` (a sign is read; callers decide what they accept), and `12.7500`
    /// (zeros past the third decimal say nothing). The feed's decimal separator is already a point here.
    /// - Returns: nil for anything else: not a number, more than 3 significant decimals, or beyond Int64 thousandths.
    public static func parse(_ text: String) -> Quantity? {
        FixedPoint.parse(text, decimals: maxDecimals, ignoringZerosBeyond: true).map(Quantity.init(thousandths:))
    }

    /// Without trailing zeros: `3`, `12.75`, `0.125`, `-2.5`. Whole quantities print exactly as whole numbers did.
    public var description: String {
        let magnitude = thousandths.magnitude
        let whole = magnitude / 1000
        var fraction = magnitude % 1000
        let sign = thousandths < 0 ? "-" : ""
        guard fraction != 0 else { return sign + String(whole) }
        var width = 3
        while fraction % 10 == 0 { fraction /= 10; width -= 1 }
        let digits = String(fraction)
        return sign + "\(whole)." + String(repeating: "0", count: width - digits.count) + digits
    }

    /// In JSON a quantity is a number written exactly as `description` (`3`, `12.75`): a whole quantity
    /// reads as it always did, and no reader has to know about thousandths.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let number = try container.decode(Decimal.self)
        guard let parsed = Quantity.parse(number.description) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not a quantity with at most 3 decimals")
        }
        self = parsed
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Decimal(string: description) ?? Decimal(thousandths) / 1000)
    }
}

/// Quantity arithmetic whose result does not fit Int64 thousandths.
public struct QuantityOverflow: Error, Sendable, Hashable, CustomStringConvertible {
    public var left: Quantity
    public var operation: String
    public var right: Quantity
    public init(left: Quantity, operation: String, right: Quantity) {
        self.left = left; self.operation = operation; self.right = right
    }
    public var description: String {
        "a quantity is too large to compute: \(left) \(operation) \(right) is beyond the engine's range (±9.2 × 10^15); check the quantities"
    }
}
