import Foundation
import OrderModel

/// The README's rules applied by brute force: read a zone's wall clock at every UTC minute of a
/// window (with `secondsFromGMT(for:)` and nothing else) and fire at each minute where the clock
/// reaches a wall time the expression names for the first time.
///
/// "First time" is the clock's high-water mark: a minute whose wall time is not above every wall
/// time shown before it is a repeat and fires nothing; a minute that jumps past several wall times
/// (the end of a daylight-saving gap) fires if any of them matches. Dates come from Foundation's
/// Gregorian calendar, not from OrderModel's day arithmetic.
struct MinuteScanOracle {
    /// The first instant scanned; instants before `trusted` have no history behind them.
    let start: Int64
    let trusted: Int64
    /// The last instant scanned.
    let end: Int64
    /// For each UTC minute: the index of its local day in `days`, and its minute of the day.
    private let dayIndex: [Int]
    private let minuteOfDay: [Int]
    private let wallMinutes: [Int64]
    private let firstDay: Int64
    /// Month, day of month and weekday (0 = Sunday) of each local day the window touches.
    private let days: [(month: Int, day: Int, weekday: Int)]

    /// Scans `lead + minutes` minutes from `lead` before `from` (rounded down to the minute).
    init(zone: TimeZone, from: Int64, minutes: Int, lead: Int = 2 * 1440) {
        start = (from / 60 - Int64(lead)) * 60
        trusted = start + Int64(lead) * 60
        end = start + Int64(lead + minutes - 1) * 60
        var walls: [Int64] = []
        walls.reserveCapacity(lead + minutes)
        var instant = start
        while instant <= end {
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
            walls.append((instant + Int64(offset)) / 60)
            instant += 60
        }
        wallMinutes = walls
        let first = Self.floorDiv(walls.min() ?? 0, 1440)
        let last = Self.floorDiv(walls.max() ?? 0, 1440)
        firstDay = first
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        days = (first...last).map { day in
            let c = calendar.dateComponents([.month, .day, .weekday], from: Date(timeIntervalSince1970: TimeInterval(day * 86_400)))
            return (c.month ?? 0, c.day ?? 0, (c.weekday ?? 1) - 1)
        }
        dayIndex = walls.map { Int(Self.floorDiv($0, 1440) - first) }
        minuteOfDay = walls.map { Int($0 - Self.floorDiv($0, 1440) * 1440) }
    }

    /// Every instant in the window at which `cron` fires.
    func fires(_ cron: RandomCron) -> [Int64] {
        let dayFires = days.map { cron.firesOn(month: $0.month, day: $0.day, weekday: $0.weekday) }
        var minuteFires = [Bool](repeating: false, count: 1440)
        for h in cron.hours { for m in cron.minutes { minuteFires[h * 60 + m] = true } }
        var result: [Int64] = []
        var high = wallMinutes[0]
        for i in 1..<wallMinutes.count where wallMinutes[i] > high {
            // Every wall minute in (high, now] is reached for the first time at this instant.
            var w = high + 1
            while w <= wallMinutes[i] {
                let day = w == wallMinutes[i] ? dayIndex[i] : Int(Self.floorDiv(w, 1440) - firstDay)
                let minute = w == wallMinutes[i] ? minuteOfDay[i] : Int(w - Self.floorDiv(w, 1440) * 1440)
                if dayFires[day] && minuteFires[minute] {
                    result.append(start + Int64(i) * 60)
                    break
                }
                w += 1
            }
            high = wallMinutes[i]
        }
        return result
    }

    /// What the engine must answer for `after`: the first fire strictly after it, or, when the
    /// window holds none, nil meaning "nothing up to `end`".
    static func expected(after: Int64, in fires: [Int64]) -> Int64? {
        var low = 0, high = fires.count
        while low < high {
            let mid = (low + high) / 2
            if fires[mid] > after { high = mid } else { low = mid + 1 }
        }
        return low < fires.count ? fires[low] : nil
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
