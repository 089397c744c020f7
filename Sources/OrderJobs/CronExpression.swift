import Foundation
import OrderModel

/// A standard 5-field cron expression: minute, hour, day of month, month, day of week.
///
/// Fields take `*`, numbers, ranges (`1-5`), lists (`1,15`), steps (`*/15`, `8-18/2`) and
/// names (`JAN`-`DEC`, `SUN`-`SAT`; 7 is Sunday too). As in Vixie cron, when both the day of
/// month and the day of week are restricted, a day matching either fires. `@hourly`, `@daily`,
/// `@weekly`, `@monthly` and `@yearly` are shorthands.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let minutes: [Int]
    public let hours: [Int]
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    public let daysOfWeek: Set<Int>
    let domRestricted: Bool
    let dowRestricted: Bool
    public let text: String
    public var description: String { text }

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
    static let fieldNames = ["minute", "hour", "day of month", "month", "day of week"]

    public init(_ text: String) throws(CronError) {
        self.text = text
        let macros = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
                      "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"]
        let expanded = macros[text.trimmed.lowercased()] ?? text
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronError(field: nil, message: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count) in '\(text)'")
        }
        let ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
        var sets: [Set<Int>] = []
        for (i, field) in fields.enumerated() {
            sets.append(try Self.parse(field, index: i, range: ranges[i]))
        }
        minutes = sets[0].sorted()
        hours = sets[1].sorted()
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = Set(sets[4].map { $0 == 7 ? 0 : $0 })
        domRestricted = fields[2] != "*" && !fields[2].hasPrefix("*/")
        dowRestricted = fields[4] != "*" && !fields[4].hasPrefix("*/")
    }

    static func parse(_ field: String, index: Int, range: (Int, Int)) throws(CronError) -> Set<Int> {
        var result: Set<Int> = []
        let name = fieldNames[index]
        func value(_ text: String) throws(CronError) -> Int {
            let upper = text.uppercased()
            if index == 3, let m = monthNames.firstIndex(of: upper) { return m + 1 }
            if index == 4, let d = dayNames.firstIndex(of: upper) { return d }
            guard let n = Int(text), n >= range.0, n <= range.1 else {
                throw CronError(field: index, message: "\(name) '\(text)' is not a number from \(range.0) to \(range.1)\(index == 3 ? " or JAN-DEC" : index == 4 ? " or SUN-SAT" : "")")
            }
            return n
        }
        for part in field.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !part.isEmpty else { throw CronError(field: index, message: "\(name) '\(field)' has an empty list item") }
            var body = part
            var step = 1
            if let slash = part.firstIndex(of: "/") {
                body = String(part[..<slash])
                guard let s = Int(part[part.index(after: slash)...]), s > 0 else {
                    throw CronError(field: index, message: "\(name) '\(part)': the step after / must be a whole number above 0")
                }
                step = s
            }
            var low: Int, high: Int
            if body == "*" {
                (low, high) = range
                if index == 4 { high = 6 }
            } else if let dash = body.firstIndex(of: "-") {
                low = try value(String(body[..<dash]))
                high = try value(String(body[body.index(after: dash)...]))
                guard low <= high else { throw CronError(field: index, message: "\(name) range '\(body)' runs backwards") }
            } else {
                low = try value(body)
                high = part.contains("/") ? (index == 4 ? 6 : range.1) : low
            }
            for v in stride(from: low, through: high, by: step) { result.insert(v) }
        }
        return result
    }

    func matches(day: Int64) -> Bool {
        let (_, month, dom) = Timestamp.civil(fromDays: day)
        guard months.contains(month) else { return false }
        let dow = Int(((day % 7) + 7 + 4) % 7) // 1970-01-01 was a Thursday
        let domOK = daysOfMonth.contains(dom), dowOK = daysOfWeek.contains(dow)
        if domRestricted && dowRestricted { return domOK || dowOK }
        return domOK && dowOK
    }

    /// The first time after `after` (strictly) that this expression fires in `zone`.
    ///
    /// A local time that a daylight-saving change skips fires at the first valid minute after the
    /// gap; a local time that happens twice fires once, at its first occurrence.
    public func next(after: Timestamp, in zone: TimeZone) -> Timestamp? {
        func offset(_ t: Int64) -> Int64 { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))) }
        let localAfter = after.secondsEpoch + offset(after.secondsEpoch)
        let startWall = (localAfter / 60 + 1) * 60
        let startDay = Timestamp.floorDay(startWall)
        for day in startDay...(startDay + 366 * 8) where matches(day: day) {
            for hour in hours {
                for minute in minutes {
                    let wall = day * 86_400 + Int64(hour * 3600 + minute * 60)
                    if wall < startWall { continue }
                    let before = offset(wall - 43_200), later = offset(wall + 43_200)
                    let candidates = Set([wall - before, wall - later]).filter { $0 + offset($0) == wall }.sorted()
                    if let first = candidates.first {
                        if first > after.secondsEpoch { return Timestamp(secondsSinceEpoch: first) }
                        continue
                    }
                    // In a gap: the clock jumps past this time; fire when it lands.
                    if let transition = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(wall - before - 86_400))) {
                        let t = Int64(transition.timeIntervalSince1970)
                        if t > after.secondsEpoch { return Timestamp(secondsSinceEpoch: t) }
                    }
                }
            }
        }
        return nil
    }
}

/// A mistake in a cron expression.
public struct CronError: Error, Sendable, CustomStringConvertible {
    /// 0-based field index, when the mistake is in one field.
    public var field: Int?
    public var message: String
    public var description: String { message }
}

extension Timestamp {
    var secondsEpoch: Int64 { secondsSinceEpoch }
    static func floorDay(_ seconds: Int64) -> Int64 { seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400 }
}
