import Foundation
import OrderModel

/// When a job runs: continuously every N seconds, or at the times a cron expression names in a time zone.
public enum Schedule: Sendable, CustomStringConvertible {
    case every(seconds: Int)
    case cron(CronExpression, zone: TimeZone)

    /// Parses `30s`, `5m`, `2h` (or a plain number of seconds).
    public static func interval(_ text: String) -> Int? {
        let t = text.trimmed.lowercased()
        let units: [(String, Int)] = [("seconds", 1), ("second", 1), ("s", 1), ("minutes", 60), ("minute", 60), ("m", 60),
                                      ("hours", 3600), ("hour", 3600), ("h", 3600)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            if let n = Int(String(t.dropLast(suffix.count)).trimmed), n > 0 {
                let (seconds, overflow) = n.multipliedReportingOverflow(by: factor)
                return overflow || seconds > maxInterval ? nil : seconds
            }
        }
        return Int(t).flatMap { $0 > 0 && $0 <= maxInterval ? $0 : nil }
    }

    /// The longest interval taken (about 100 years), so adding it to any time cannot overflow.
    static let maxInterval = 100 * 366 * 86_400

    /// The time zone with this IANA name (`Europe/London`, `Pacific/Chatham`, `UTC`).
    ///
    /// - Throws: a `CronError` of kind `.timeZone` when the system's time zone database does not
    ///   know the name; its offset is 0, the start of the name.
    public static func timeZone(named name: String) throws(CronError) -> TimeZone {
        guard !name.isEmpty, let zone = TimeZone(identifier: name) else {
            throw CronError(kind: .timeZone, offset: 0,
                            message: "unknown time zone '\(name)'; use a name from the time zone database such as Europe/London, America/New_York or UTC")
        }
        return zone
    }

    /// The next time this schedule is due, strictly after `after` (for `every`, `after` is the last start).
    public func next(after: Timestamp) -> Timestamp? {
        switch self {
        case .every(let seconds):
            after.secondsSinceEpoch.addingReportingOverflow(Int64(seconds)).overflow
                ? nil : Timestamp(secondsSinceEpoch: after.secondsSinceEpoch + Int64(seconds))
        case .cron(let cron, let zone): cron.next(after: after, in: zone)
        }
    }

    /// The schedule in words, for `orderflow jobs`.
    public var description: String {
        switch self {
        case .every(let s):
            if s % 3600 == 0 { return s == 3600 ? "every hour" : "every \(s / 3600) hours" }
            if s % 60 == 0 { return s == 60 ? "every minute" : "every \(s / 60) minutes" }
            return s == 1 ? "every second" : "every \(s) seconds"
        case .cron(let c, let zone):
            return "\(Self.times(c)) \(Self.days(c)) (\(zone.identifier))"
        }
    }

    static func times(_ c: CronExpression) -> String {
        if c.minutes.count * c.hours.count <= 6 {
            let list = c.hours.flatMap { h in c.minutes.map { m in String(format: "%02d:%02d", h, m) } }
            return "at " + list.joined(separator: ", ")
        }
        if c.hours.count == 24 {
            if c.minutes.count == 60 { return "every minute" }
            return "at minute \(c.minutes.map(String.init).joined(separator: ", ")) of every hour"
        }
        return "at minute \(c.minutes.map(String.init).joined(separator: ", ")) of hours \(c.hours.map(String.init).joined(separator: ", "))"
    }

    static func days(_ c: CronExpression) -> String {
        let names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        var parts: [String] = []
        let dows = c.daysOfWeek.sorted()
        var dowText: String? = nil
        if dows.count < 7 {
            if let low = dows.first, let high = dows.last, dows.count > 2, high - low == dows.count - 1 { dowText = "\(names[low]) to \(names[high])" }
            else { dowText = dows.map { names[$0] }.joined(separator: ", ") }
        }
        let domText = c.daysOfMonth.count < 31 ? "day \(c.daysOfMonth.sorted().map(String.init).joined(separator: ", ")) of the month" : nil
        switch (domText, dowText) {
        case (nil, nil): parts.append("every day")
        case (let d?, nil): parts.append("on \(d)")
        case (nil, let w?): parts.append("on \(w)")
        // Vixie: both restricted, either fires; a field written from `*` (`*/7`) narrows the other instead.
        case (let d?, let w?) where c.domRestricted && c.dowRestricted: parts.append("on \(d) or on \(w)")
        case (let d?, let w?): parts.append("on \(d) when it is a \(w)")
        }
        if c.months.count < 12 { parts.append("in " + c.months.sorted().map { monthNames[$0 - 1] }.joined(separator: ", ")) }
        return parts.joined(separator: " ")
    }
}
