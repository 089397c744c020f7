import OrderModel

/// A date or date-time layout such as `dd.MM.yyyy`, `MM/dd/yyyy HH:mm` or `yyyy-MM-dd'T'HH:mm:ssXXX`.
///
/// Letters: `yyyy` `yy` year, `MM` `M` month, `MMM` month name (Jan), `dd` `d` day, `HH` `H` hour,
/// `mm` minute, `ss` second, `SSS` fraction (ignored), `XXX` zone (`Z` or `+01:00`), `Z` zone
/// (`+0100`). Anything in single quotes, and any other non-letter, is literal.
/// Dates are taken as written: a zone is read and checked but not applied (`01.03.2026 00:15 +0100`
/// is the 1st of March, 00:15, for the sender and for orderflow), and stored as that wall-clock time.
public struct DatePattern: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case year4, year2, month2, month1, monthName, day2, day1, hour2, hour1, minute2, second2, fraction, zoneISO, zoneBasic
        case literal(String)
    }
    let tokens: [Token]
    public let text: String
    public var description: String { text }

    /// Compiles a pattern; throws the 0-based offset and a message for an unknown letter.
    public init(_ pattern: String) throws(DatePatternError) {
        text = pattern
        var tokens: [Token] = []
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                var j = i + 1, literal = ""
                while j < chars.count, chars[j] != "'" { literal.append(chars[j]); j += 1 }
                guard j < chars.count else { throw DatePatternError(offset: i, message: "a quote opened here is never closed") }
                tokens.append(.literal(literal.isEmpty ? "'" : literal))
                i = j + 1
                continue
            }
            guard c.isLetter else { tokens.append(.literal(String(c))); i += 1; continue }
            var j = i
            while j < chars.count, chars[j] == c { j += 1 }
            let run = String(chars[i..<j])
            let token: Token? = switch run {
            case "yyyy": .year4
            case "yy": .year2
            case "MM": .month2
            case "M": .month1
            case "MMM": .monthName
            case "dd": .day2
            case "d": .day1
            case "HH": .hour2
            case "H": .hour1
            case "mm": .minute2
            case "ss": .second2
            case "S", "SS", "SSS", "SSSSSS": .fraction
            case "XXX", "XX", "X": .zoneISO
            case "Z": .zoneBasic
            default: nil
            }
            guard let token else {
                throw DatePatternError(offset: i, message: "'\(run)' is not a date pattern letter; use yyyy, yy, MM, M, MMM, dd, d, HH, H, mm, ss, SSS, XXX or Z, and quote literal letters like 'T'")
            }
            tokens.append(token)
            i = j
        }
        guard tokens.contains(where: { $0 == .year4 || $0 == .year2 }), tokens.contains(where: { $0 == .month2 || $0 == .month1 || $0 == .monthName }),
              tokens.contains(where: { $0 == .day2 || $0 == .day1 }) else {
            throw DatePatternError(offset: 0, message: "a date pattern needs a year, a month and a day (e.g. dd.MM.yyyy)")
        }
        self.tokens = tokens
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses a value; nil when it does not follow the pattern or is not a real date.
    public func parse(_ value: String) -> Timestamp? {
        let b = Array(value.trimmed.utf8)
        var i = 0
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        func digits(_ minCount: Int, _ maxCount: Int) -> Int? {
            var n = 0, count = 0
            while i < b.count, count < maxCount, b[i] >= 48, b[i] <= 57 { n = n * 10 + Int(b[i] - 48); i += 1; count += 1 }
            return count >= minCount ? n : nil
        }
        for token in tokens {
            switch token {
            case .year4: guard let v = digits(4, 4) else { return nil }; year = v
            case .year2: guard let v = digits(2, 2) else { return nil }; year = 2000 + v
            case .month2: guard let v = digits(2, 2) else { return nil }; month = v
            case .month1: guard let v = digits(1, 2) else { return nil }; month = v
            case .monthName:
                guard i + 3 <= b.count, let m = Self.months.firstIndex(of: String(decoding: b[i..<(i + 3)], as: UTF8.self).lowercased()) else { return nil }
                month = m + 1
                i += 3
            case .day2: guard let v = digits(2, 2) else { return nil }; day = v
            case .day1: guard let v = digits(1, 2) else { return nil }; day = v
            case .hour2: guard let v = digits(2, 2) else { return nil }; hour = v
            case .hour1: guard let v = digits(1, 2) else { return nil }; hour = v
            case .minute2: guard let v = digits(2, 2) else { return nil }; minute = v
            case .second2: guard let v = digits(2, 2) else { return nil }; second = v
            case .fraction: guard digits(1, 9) != nil else { return nil }
            case .zoneISO, .zoneBasic:
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: "Z") { i += 1; continue }
                guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
                i += 1
                // Read and checked, never applied: the date is the one the sender wrote.
                guard let h = digits(2, 2) else { return nil }
                if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
                let m = digits(2, 2) ?? 0
                guard h <= 18, m < 60 else { return nil }
            case .literal(let text):
                let lit = Array(text.utf8)
                guard i + lit.count <= b.count, Array(b[i..<(i + lit.count)]) == lit else { return nil }
                i += lit.count
            }
        }
        guard i == b.count, (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61 else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        return Timestamp(secondsSinceEpoch: days * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }
}

public struct DatePatternError: Error, Sendable {
    public var offset: Int
    public var message: String
}
import Foundation
