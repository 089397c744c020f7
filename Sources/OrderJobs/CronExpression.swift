import Foundation
import OrderModel

/// A standard 5-field cron expression: minute, hour, day of month, month, day of week.
///
/// Fields take `*`, numbers, ranges (`1-5`), lists (`1,15`), steps (`*/15`, `8-18/2`, `5/15`) and
/// names (`JAN`-`DEC`, `SUN`-`SAT`, any case; 7 is Sunday too). As in Vixie cron, when both the day of
/// month and the day of week are restricted, a day matching either fires; a field that starts with
/// `*` (`*/7`) does not restrict. `@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly`
/// and `@annually` are shorthands. Anything else is refused with the offset of the mistake, so a
/// schedule that would never mean what its author thought is caught when the configuration loads.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let minutes: [Int]
    public let hours: [Int]
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    /// 0 is Sunday; a 7 in the text is stored as 0.
    public let daysOfWeek: Set<Int>
    let domRestricted: Bool
    let dowRestricted: Bool
    public let text: String
    public var description: String { text }

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
    static let fieldNames = ["minute", "hour", "day of month", "month", "day of week"]
    static let bounds = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
    static let macros = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
                         "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"]

    /// Parses `text`, refusing anything that is not a valid 5-field expression or a known shorthand.
    ///
    /// - Throws: a `CronError` whose `offset` is where, in `text`, the mistake starts.
    public init(parsing text: String) throws(CronError) {
        self.text = text
        var tokens = Self.tokens(of: Array(text))
        guard let first = tokens.first else {
            throw CronError(offset: 0, message: "the cron expression is empty; write 5 fields (minute hour day-of-month month day-of-week) such as \"0 6 * * MON-FRI\", or a shorthand such as @daily")
        }
        if first.text.hasPrefix("@") {
            guard let expansion = Self.macros[first.text.lowercased()] else {
                throw CronError(offset: first.offset, message: "'\(first.text)' is not a schedule orderflow knows; use @hourly, @daily, @weekly, @monthly or @yearly, or 5 fields")
            }
            guard tokens.count == 1 else {
                throw CronError(offset: tokens[1].offset, message: "\(first.text) stands alone; found '\(tokens[1].text)' after it")
            }
            tokens = expansion.split(separator: " ").map { (String($0), first.offset) }
        }
        guard tokens.count == 5 else {
            let offset = tokens.count > 5 ? tokens[5].offset : text.count
            throw CronError(offset: offset, message: "expected 5 fields (minute hour day-of-month month day-of-week), found \(tokens.count) in '\(text)'")
        }
        var sets: [Set<Int>] = []
        for (index, token) in tokens.enumerated() {
            sets.append(try Self.parse(token.text, index: index, offset: token.offset))
        }
        minutes = sets[0].sorted()
        hours = sets[1].sorted()
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = Set(sets[4].map { $0 == 7 ? 0 : $0 })
        domRestricted = !tokens[2].text.hasPrefix("*")
        dowRestricted = !tokens[4].text.hasPrefix("*")
    }

    /// The same as `init(parsing:)`; kept for callers written before it.
    public init(_ text: String) throws(CronError) {
        try self.init(parsing: text)
    }

    /// Fields split on spaces and tabs, each with the offset of its first character.
    static func tokens(of chars: [Character]) -> [(text: String, offset: Int)] {
        var tokens: [(text: String, offset: Int)] = []
        var i = 0
        while i < chars.count {
            if chars[i] == " " || chars[i] == "\t" { i += 1; continue }
            let start = i
            while i < chars.count, chars[i] != " ", chars[i] != "\t" { i += 1 }
            tokens.append((String(chars[start..<i]), start))
        }
        return tokens
    }

    /// One field: a comma-separated list of `*`, `N`, `N-M`, each optionally followed by `/STEP`.
    static func parse(_ field: String, index: Int, offset fieldOffset: Int) throws(CronError) -> Set<Int> {
        let name = fieldNames[index]
        let range = bounds[index]
        let chars = Array(field)
        func fail(_ at: Int, _ message: String) -> CronError {
            CronError(offset: fieldOffset + at, field: index, message: message)
        }
        func value(_ from: Int, _ to: Int) throws(CronError) -> Int {
            let text = String(chars[from..<to])
            let upper = text.uppercased()
            if index == 3, let m = monthNames.firstIndex(of: upper) { return m + 1 }
            if index == 4, let d = dayNames.firstIndex(of: upper) { return d }
            let names = index == 3 ? " or JAN-DEC" : index == 4 ? " or SUN-SAT" : ""
            guard !text.isEmpty, text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int(text), n >= range.0, n <= range.1 else {
                throw fail(from, "\(name) '\(text)' is not a number from \(range.0) to \(range.1)\(names)")
            }
            return n
        }
        // `*` and `N/STEP` run to the field's end; for days of week that is Saturday, so 7 (Sunday again) is not counted twice.
        let lastInStep = index == 4 ? 6 : range.1
        var result: Set<Int> = []
        var start = 0
        while start <= chars.count {
            var end = start
            while end < chars.count, chars[end] != "," { end += 1 }
            let part = String(chars[start..<end])
            guard start < end else { throw fail(start, "\(name) '\(field)' has an empty list item") }
            var bodyEnd = end
            var step = 1
            if let slash = chars[start..<end].firstIndex(of: "/") {
                bodyEnd = slash
                let stepText = String(chars[(slash + 1)..<end])
                guard stepText.count <= 4, stepText.allSatisfy({ $0.isASCII && $0.isNumber }), let s = Int(stepText), s > 0 else {
                    throw fail(slash + 1, "\(name) '\(part)': the step after / must be a whole number above 0")
                }
                step = s
            }
            let low: Int, high: Int
            let body = String(chars[start..<bodyEnd])
            if bodyEnd == start {
                throw fail(start, "\(name) '\(part)' needs a number or * before /")
            } else if bodyEnd - start == 1, chars[start] == "*" {
                (low, high) = (range.0, lastInStep)
            } else if let dash = chars[start..<bodyEnd].firstIndex(of: "-") {
                guard dash > start, dash + 1 < bodyEnd else {
                    throw fail(start, "\(name) range '\(body)' needs a value on each side of -")
                }
                low = try value(start, dash)
                high = try value(dash + 1, bodyEnd)
                guard low <= high else {
                    throw fail(start, "\(name) range '\(body)' runs backwards")
                }
            } else {
                low = try value(start, bodyEnd)
                high = bodyEnd < end ? lastInStep : low
                guard low <= high else {
                    throw fail(start, "\(name) '\(part)' names no day; a step starts from 0 (SUN) to 6 (SAT)")
                }
            }
            for v in stride(from: low, through: high, by: step) { result.insert(v) }
            start = end + 1
        }
        return result
    }

    /// Whether a local calendar day fires, by the Vixie rule for day of month and day of week.
    func matches(month: Int, dayOfMonth: Int, dayOfWeek: Int) -> Bool {
        guard months.contains(month) else { return false }
        let domOK = daysOfMonth.contains(dayOfMonth), dowOK = daysOfWeek.contains(dayOfWeek)
        if domRestricted && dowRestricted { return domOK || dowOK }
        return domOK && dowOK
    }

    /// True when no calendar day can ever match, decided from the fields alone.
    ///
    /// Only a restricted day of month with an unrestricted day of week can fail this way: a day
    /// of week restriction alone hits every month, and the Vixie "either" rule keeps it; an
    /// unrestricted day of month includes the 1st, which exists in every month and falls on every
    /// weekday within 28 years. So the expression never fires exactly when no chosen day of month
    /// exists in any chosen month (February has 29 days in leap years).
    public var neverFires: Bool {
        guard domRestricted, !dowRestricted else { return false }
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return !months.contains { month in daysOfMonth.contains { $0 <= longest[month - 1] } }
    }
}
