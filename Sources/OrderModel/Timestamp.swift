import Foundation

/// An instant in UTC with second precision, stored as the sortable text `YYYY-MM-DDTHH:MM:SSZ`.
///
/// Feeds give dates as `YYYY-MM-DD` or ISO 8601 date-times with or without a zone;
/// all of them become one comparable form so that "oldest order first" is a plain
/// index scan and every time rule can do day arithmetic without calendars.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64
    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }
    public init(_ date: Date) { self.secondsSinceEpoch = Int64(date.timeIntervalSince1970.rounded(.down)) }
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)) }

    /// The calendar day (UTC) as days since the epoch.
    public var day: Int64 { Timestamp.floorDiv(secondsSinceEpoch, 86_400) }

    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = day
        let secs = secondsSinceEpoch - days * 86_400
        let (y, m, d) = Timestamp.civil(fromDays: days)
        return (y, m, d, Int(secs / 3600), Int(secs % 3600 / 60), Int(secs % 60))
    }

    /// `2026-11-27T09:30:00Z`
    public var description: String {
        let c = components
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        Self.append(c.year, width: 4, to: &bytes); bytes.append(45)
        Self.append(c.month, width: 2, to: &bytes); bytes.append(45)
        Self.append(c.day, width: 2, to: &bytes); bytes.append(84)
        Self.append(c.hour, width: 2, to: &bytes); bytes.append(58)
        Self.append(c.minute, width: 2, to: &bytes); bytes.append(58)
        Self.append(c.second, width: 2, to: &bytes); bytes.append(90)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2026-11-27`
    public var dayText: String { String(description.prefix(10)) }

    /// Zero-padded decimal digits; this runs for every stamp the engine writes, so no format strings.
    static func append(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var digits: [UInt8] = []
        var v = abs(value)
        repeat { digits.append(UInt8(48 + v % 10)); v /= 10 } while v > 0
        if value < 0 { bytes.append(45) }
        for _ in digits.count..<max(width, digits.count) { bytes.append(48) }
        bytes.append(contentsOf: digits.reversed())
    }

    /// What a zone offset written after a time does.
    public enum OffsetRule: Sendable {
        /// The instant: `10:00+01:00` is `09:00Z` (the engine's own stamps, `--now`).
        case applied
        /// Dates as the sender wrote them: the offset is read and checked, never applied, so
        /// `2026-03-01 00:15:00 +0100` stays the 1st of March, 00:15 (dates read from input files).
        case asWritten
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `T` or a space, and an optional
    /// zone `Z`, `±HH:MM`, `±HHMM` or `±HH` (after an optional space); a time without a zone is taken as UTC.
    public init?(iso8601 text: String) { self.init(iso8601: text, offset: .applied) }

    /// Parses as `init(iso8601:)`, with the offset applied or, for dates read from files, as written.
    public init?(iso8601 text: String, offset rule: OffsetRule) {
        let b = Array(text.trimmed.utf8)
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                let c = b[k]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            i += count
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year) else { return nil }
        var hour = 0, minute = 0, second = 0, offset = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "t") else { return nil }
            i += 1
            guard let h = number(2), expect(":"), let m = number(2) else { return nil }
            hour = h; minute = m
            if i < b.count, b[i] == UInt8(ascii: ":") {
                i += 1
                guard let s = number(2) else { return nil }
                second = s
                if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                    i += 1
                    let start = i
                    while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
                    guard i > start else { return nil }
                }
            }
            guard hour < 24, minute < 60, second < 61 else { return nil }
            // `2026-03-01 00:15:00 +0100`: a space may come before the offset.
            if i + 1 < b.count, b[i] == UInt8(ascii: " "), b[i + 1] == UInt8(ascii: "+") || b[i + 1] == UInt8(ascii: "-") { i += 1 }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    var om = 0
                    if i < b.count {
                        _ = expect(":")
                        guard let m = number(2) else { return nil }
                        om = m
                    }
                    guard oh <= 18, om < 60 else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        guard i == b.count else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        secondsSinceEpoch = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(rule == .applied ? offset : 0)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days-from-civil: proleptic Gregorian, no Calendar, no time zone database.
    public static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
