/// A card's expiry month, from the feed's `MM/YY`.
public struct CardExpiry: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public init(year: Int, month: Int) { self.year = year; self.month = month }

    /// Parses `MM/YY` (also `M/YY` and `MM/YYYY`).
    public init?(parsing text: String) {
        let parts = text.trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2 || parts[1].count == 4,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let m = Int(parts[0]), let y = Int(parts[1]), (1...12).contains(m) else { return nil }
        month = m
        year = parts[1].count == 2 ? 2000 + y : y
    }

    /// Parses the stored form `YYYY-MM`.
    public init?(stored: String) {
        let parts = stored.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        year = y; month = m
    }

    public var stored: String { String(format: "%04d-%02d", year, month) }
    public var description: String { String(format: "%02d/%02d", month, year % 100) }
    public static func < (a: CardExpiry, b: CardExpiry) -> Bool { (a.year, a.month) < (b.year, b.month) }
}
import Foundation
