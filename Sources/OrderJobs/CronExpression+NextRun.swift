import Foundation
import OrderModel

extension CronExpression {
    /// Days in one full cycle of the Gregorian calendar (400 years): dates and weekdays repeat after it.
    static let gregorianCycleDays: Int64 = 146_097

    /// The first time strictly after `after` that this expression fires in `zone`, or nil when it never fires.
    ///
    /// The expression names wall times; it fires the first time the zone's clock reaches one. So a
    /// wall time that a daylight-saving change skips fires at the first valid minute after the gap,
    /// and a wall time that happens twice fires once, at its first occurrence. The search walks
    /// matching local days, then hours and minutes, for one full 400-year Gregorian cycle: a day of
    /// month and day of week can first meet many years ahead, and a cycle without a match proves
    /// there never is one (`neverFires` says so from the fields alone).
    public func next(after: Timestamp, in zone: TimeZone) -> Timestamp? {
        // Far outside any calendar the engine deals in; refusing keeps the arithmetic from overflowing.
        guard !neverFires, abs(after.secondsSinceEpoch) < 1 << 46 else { return nil }
        let timeline = ZoneTimeline(zone: zone)
        // Every wall time up to the clock's high-water mark has fired already (or was before `after`).
        let high = timeline.highWater(at: after.secondsSinceEpoch)
        let firstWall = (Self.floorDiv(high, 60) + 1) * 60
        guard let wall = firstMatchingWall(atOrAfter: firstWall) else { return nil }
        return Timestamp(secondsSinceEpoch: timeline.firstInstant(reaching: wall))
    }

    /// The first wall time (seconds since the epoch, as if the zone were UTC) at or after `wall` that matches.
    func firstMatchingWall(atOrAfter wall: Int64) -> Int64? {
        let startDay = Self.floorDiv(wall, 86_400)
        let startSecond = Int(wall - startDay * 86_400)
        var (year, month, dayOfMonth) = Timestamp.civil(fromDays: startDay)
        var day = startDay
        while day <= startDay + Self.gregorianCycleDays {
            let length = Timestamp.daysIn(month: month, year: year)
            if months.contains(month) {
                let dayOfWeek = Int(((day % 7) + 11) % 7) // 1970-01-01 was a Thursday
                if matches(month: month, dayOfMonth: dayOfMonth, dayOfWeek: dayOfWeek),
                   let second = firstTime(atOrAfter: day == startDay ? startSecond : 0) {
                    return day * 86_400 + Int64(second)
                }
                day += 1
                dayOfMonth += 1
            } else {
                day += Int64(length - dayOfMonth + 1)
                dayOfMonth = length + 1
            }
            if dayOfMonth > length {
                dayOfMonth = 1
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        }
        return nil
    }

    /// The first hour and minute of a matching day at or after `second` of the day, in seconds.
    func firstTime(atOrAfter second: Int) -> Int? {
        for hour in hours where hour * 3600 + 3599 >= second {
            for minute in minutes where hour * 3600 + minute * 60 >= second {
                return hour * 3600 + minute * 60
            }
        }
        return nil
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
