import Foundation
import OrderRules

/// How a value becomes text in an output document: the decimal separator and the date pattern a
/// recipient's system expects.
///
/// Numbers are written plainly (`1234.5`, never `1.2345e3`, no thousands separator), with the
/// separator swapped; dates through `datePattern`, whose tokens are `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss`
/// (every other character is literal; dates carry no time, so `HH`, `mm`, `ss` print `00`);
/// true/false as `true`/`false`; null as nothing.
public struct ValueFormat: Sendable, Hashable {
    public var decimalSeparator: Character {
        didSet { separatorText = String(decimalSeparator) }
    }
    public var datePattern: String {
        didSet { tokens = Self.tokens(datePattern) }
    }
    private var separatorText: String
    private var tokens: [Token]

    enum Token: Sendable, Hashable { case year, month, day, zero, literal(String) }

    public init(decimalSeparator: Character = ".", datePattern: String = "yyyy-MM-dd") {
        self.decimalSeparator = decimalSeparator
        self.datePattern = datePattern
        separatorText = String(decimalSeparator)
        tokens = Self.tokens(datePattern)
    }

    /// The value as the document writes it.
    public func text(_ value: Value) -> String {
        switch value {
        case .number(let d): number(d)
        case .text(let s): s
        case .date(let days): date(days)
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        }
    }

    func number(_ d: Decimal) -> String {
        let plain = Self.plain(d)
        if decimalSeparator == "." { return plain }
        return plain.replacingOccurrences(of: ".", with: separatorText)
    }

    /// `d.description`, written directly for the common value (a significand below 2^64, an exponent
    /// of 0 or below): Foundation's description costs about a microsecond, which at 300,000 lines with
    /// a few numeric columns would be most of a document's time; this is some 40 nanoseconds.
    static func plain(_ d: Decimal) -> String {
        guard d.isFinite, !d.isZero else { return d.description }
        let exponent = d.exponent
        let significand = d.significand
        guard exponent <= 0, exponent >= -38, significand <= maxSignificand else { return d.description }
        var digits = Array(String(NSDecimalNumber(decimal: significand).uint64Value).utf8)
        if exponent < 0 {
            let places = -exponent
            if digits.count <= places {
                digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: places - digits.count + 1), at: 0)
            }
            digits.insert(UInt8(ascii: "."), at: digits.count - places)
        }
        if d.sign == .minus { digits.insert(UInt8(ascii: "-"), at: 0) }
        return String(decoding: digits, as: UTF8.self)
    }

    static let maxSignificand = Decimal(UInt64.max)

    func date(_ days: Int64) -> String {
        let (y, m, d) = Self.civil(days)
        var out = ""
        out.reserveCapacity(datePattern.utf8.count)
        for token in tokens {
            switch token {
            case .year: out += Self.padded(y, 4)
            case .month: out += Self.padded(m, 2)
            case .day: out += Self.padded(d, 2)
            case .zero: out += "00"
            case .literal(let s): out += s
            }
        }
        return out
    }

    static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n.magnitude)
        let body = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        return n < 0 ? "-" + body : body
    }

    /// The pattern split into tokens once, so a date is written without re-reading the pattern.
    static func tokens(_ pattern: String) -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(pattern)
        var literal = ""
        while let first = rest.first {
            let matched: (Token, Int)? =
                rest.hasPrefix("yyyy") ? (.year, 4)
                : rest.hasPrefix("MM") ? (.month, 2)
                : rest.hasPrefix("dd") ? (.day, 2)
                : rest.hasPrefix("HH") || rest.hasPrefix("mm") || rest.hasPrefix("ss") ? (.zero, 2)
                : nil
            if let (token, length) = matched {
                if !literal.isEmpty { tokens.append(.literal(literal)); literal = "" }
                tokens.append(token)
                rest = rest.dropFirst(length)
            } else {
                literal.append(first)
                rest = rest.dropFirst()
            }
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }
        return tokens
    }

    /// Days since 1970-01-01 to year, month, day (proleptic Gregorian).
    static func civil(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 &+ 719_468
        let era = (z >= 0 ? z : z &- 146_096) / 146_097
        let doe = z &- era &* 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe &+ era &* 400 &+ (m <= 2 ? 1 : 0)
        return (Int(truncatingIfNeeded: y), Int(m), Int(d))
    }
}
