import Foundation
import Testing
import OrderJobs
import OrderModel

/// The next-run search checked against brute force: a minute-by-minute scan of the zone's wall clock
/// (`MinuteScanOracle`) for times near and across daylight-saving changes, and a day-by-day walk of
/// the calendar for runs that are years away.
@Suite struct CronNextRunDifferentialTests {
    /// Zones at both ends of the offset range, with :30 and :45 offsets, half-hour and negative DST,
    /// a skipped day (Apia, 2011) and changes that are not DST (Casablanca's Ramadan hour).
    static let zones = ["UTC", "Europe/London", "Europe/Dublin", "Europe/Berlin", "America/New_York", "America/St_Johns",
                        "America/Santiago", "America/Havana", "Australia/Lord_Howe", "Australia/Sydney", "Pacific/Auckland",
                        "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Pacific/Apia", "Asia/Kathmandu",
                        "Africa/Casablanca", "America/Adak"]
    static let from2024: Int64 = 1_704_067_200 // 2024-01-01T00:00:00Z
    static let to2031: Int64 = 1_924_992_000 // 2031-01-01T00:00:00Z

    struct Mismatch: CustomStringConvertible {
        var cron: String, zone: String, after: Int64, expected: Int64?, got: Int64?
        var description: String {
            func show(_ t: Int64?) -> String { t.map { Timestamp(secondsSinceEpoch: $0).description } ?? "none in window" }
            return "'\(cron)' in \(zone) after \(show(after)): oracle \(show(expected)), engine \(show(got))"
        }
    }

    /// Compares the engine with the oracle for one expression and many instants; returns the mismatches.
    static func compare(_ cron: RandomCron, zone: TimeZone, oracle: MinuteScanOracle, fires: [Int64], instants: [Int64]) throws -> [Mismatch] {
        let expression = try CronExpression(parsing: cron.text)
        var mismatches: [Mismatch] = []
        for after in instants where after >= oracle.trusted {
            let expected = MinuteScanOracle.expected(after: after, in: fires)
            let got = expression.next(after: Timestamp(secondsSinceEpoch: after), in: zone)?.secondsSinceEpoch
            let agrees = expected.map { $0 == got } ?? (got.map { $0 > oracle.end } ?? true)
            if !agrees { mismatches.append(Mismatch(cron: cron.text, zone: zone.identifier, after: after, expected: expected, got: got)) }
        }
        return mismatches
    }

    /// Random expressions, zones and instants (half of the windows on a daylight-saving change).
    static func randomRun(seed: UInt64, windows: Int, cronsPerWindow: Int, instantsPerCron: Int) throws -> (cases: Int, mismatches: [Mismatch]) {
        var g = SeededGenerator(seed: seed)
        var cases = 0
        var mismatches: [Mismatch] = []
        for _ in 0..<windows {
            let name = zones[Int.random(in: 0..<zones.count, using: &g)]
            let zone = try #require(TimeZone(identifier: name))
            var from = Int64.random(in: from2024..<to2031, using: &g)
            var change: Int64?
            if Bool.random(using: &g),
               let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(from))) {
                change = Int64(next.timeIntervalSince1970)
                from = Int64(next.timeIntervalSince1970) - Int64.random(in: 0..<(2 * 86_400), using: &g)
            }
            let oracle = MinuteScanOracle(zone: zone, from: from, minutes: 6 * 1440)
            for _ in 0..<cronsPerWindow {
                let cron = RandomCron.make(.frequent, using: &g)
                let fires = oracle.fires(cron)
                var instants: [Int64] = []
                for _ in 0..<instantsPerCron {
                    let near = fires.filter { $0 < oracle.trusted + 2 * 86_400 }
                    switch Int.random(in: 0..<5, using: &g) {
                    case 2 where change != nil: instants.append((change ?? 0) + Int64.random(in: -3 * 3600...3 * 3600, using: &g))
                    case 0 where !near.isEmpty: instants.append(near[Int.random(in: 0..<near.count, using: &g)])
                    case 1 where !near.isEmpty: instants.append(near[Int.random(in: 0..<near.count, using: &g)] - Int64.random(in: 1...90, using: &g))
                    default: instants.append(oracle.trusted + Int64.random(in: 0..<(2 * 86_400), using: &g))
                    }
                }
                cases += instants.count
                mismatches += try compare(cron, zone: zone, oracle: oracle, fires: fires, instants: instants)
            }
        }
        return (cases, mismatches)
    }

    @Test func agreesWithTheMinuteScanOnRandomExpressionsZonesAndInstants() throws {
        let run = try Self.randomRun(seed: 18, windows: 24, cronsPerWindow: 30, instantsPerCron: 5)
        #expect(run.cases == 3600)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.count) of \(run.cases): \(run.mismatches.prefix(10))")
    }

    /// `ORDERFLOW_CRON_SWEEP=N swift test --filter CronNextRunDifferentialTests` runs about N random cases.
    @Test func largeSweepWhenAsked() throws {
        guard let text = ProcessInfo.processInfo.environment["ORDERFLOW_CRON_SWEEP"], let wanted = Int(text), wanted > 0 else { return }
        let clock = ContinuousClock()
        var cases = 0
        var mismatches: [Mismatch] = []
        let elapsed = try clock.measure {
            var seed: UInt64 = 1_000
            while cases < wanted {
                let run = try Self.randomRun(seed: seed, windows: 10, cronsPerWindow: 40, instantsPerCron: 5)
                cases += run.cases
                mismatches += run.mismatches
                seed += 1
            }
        }
        print("cron sweep, random: \(cases) cases, \(mismatches.count) mismatches, \(elapsed)")
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases): \(mismatches.prefix(10))")
        // Every minute from 6 hours before to 6 hours after every change of 2024-2030, in every zone above.
        var changeCases = 0, changes = 0
        var changeMismatches: [Mismatch] = []
        let changeElapsed = try clock.measure {
            for name in Self.zones {
                let run = try Self.changeSweep(try #require(TimeZone(identifier: name)), step: 60)
                changes += run.changes
                changeCases += run.cases
                changeMismatches += run.mismatches
            }
        }
        print("cron sweep, changes: \(changes) changes in \(Self.zones.count) zones, \(changeCases) cases, \(changeMismatches.count) mismatches, \(changeElapsed)")
        #expect(changeMismatches.isEmpty, "\(changeMismatches.count) of \(changeCases): \(changeMismatches.prefix(10))")
    }

    static let sweepCrons = ["* * * * *", "0 * * * *", "*/15 * * * *", "30 * * * *", "45 * * * *", "0 2 * * *", "15 2 * * *",
                             "30 1 * * *", "45 2 * * *", "0 3 * * *", "59 23 * * *", "0 0 * * *", "*/20 1-3 * * *", "0 2 * * SUN"]

    /// Every daylight-saving change from 2024 to 2030 (and, for the zones that have none, each
    /// 1 January and 1 July), instants every 7 minutes from 6 hours before to 6 hours after, and
    /// every fire in that span and one second before it.
    @Test(arguments: ["Pacific/Kiritimati", "Pacific/Chatham", "Pacific/Auckland", "America/St_Johns", "Pacific/Pago_Pago", "Europe/London"])
    func agreesWithTheMinuteScanAroundEveryChange(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let run = try Self.changeSweep(zone, step: 7 * 60)
        #expect(run.changes == 14 || ["Pacific/Kiritimati", "Pacific/Pago_Pago"].contains(zoneName))
        #expect(run.cases > 2_000)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.count) of \(run.cases): \(run.mismatches.prefix(10))")
    }

    /// The sweep around every change from 2024 to 2030 in one zone, instants `step` seconds apart.
    static func changeSweep(_ zone: TimeZone, step: Int) throws -> (changes: Int, cases: Int, mismatches: [Mismatch]) {
        var points: [Int64] = []
        var cursor = Date(timeIntervalSince1970: TimeInterval(Self.from2024))
        while let change = zone.nextDaylightSavingTimeTransition(after: cursor), change.timeIntervalSince1970 < TimeInterval(Self.to2031) {
            points.append(Int64(change.timeIntervalSince1970))
            cursor = change
        }
        let changes = points.count
        if points.isEmpty {
            for year in 2024...2030 {
                let jan1 = Timestamp.days(fromCivil: year, 1, 1) * 86_400, jul1 = Timestamp.days(fromCivil: year, 7, 1) * 86_400
                points += [jan1, jul1]
            }
        }
        var cases = 0
        var mismatches: [Mismatch] = []
        for point in points {
            let oracle = MinuteScanOracle(zone: zone, from: point - 6 * 3600, minutes: 12 * 60 + 2 * 1440)
            for text in Self.sweepCrons {
                let cron = try #require(Self.spec(text))
                let fires = oracle.fires(cron)
                let first: Int64 = point - 6 * 3600, last: Int64 = point + 6 * 3600
                var instants: [Int64] = Array(stride(from: first, through: last, by: step))
                for fire in fires where fire <= last { instants += [fire, fire - 1] }
                cases += instants.count
                mismatches += try Self.compare(cron, zone: zone, oracle: oracle, fires: fires, instants: instants)
            }
        }
        return (changes, cases, mismatches)
    }

    /// The oracle's meaning of the fixed sweep expressions, written out by hand.
    static func spec(_ text: String) -> RandomCron? {
        var cron = RandomCron(text: text)
        let f = text.split(separator: " ").map(String.init)
        func values(_ field: String, _ all: ClosedRange<Int>) -> Set<Int>? {
            switch field {
            case "*": Set(all)
            case "*/15": [0, 15, 30, 45]
            case "*/20": [0, 20, 40]
            case "1-3": [1, 2, 3]
            case "SUN": [0]
            default: Int(field).map { [$0] }
            }
        }
        guard f.count == 5, let m = values(f[0], 0...59), let h = values(f[1], 0...23), f[2] == "*", f[3] == "*",
              let w = values(f[4], 0...6) else { return nil }
        cron.minutes = m; cron.hours = h; cron.daysOfMonth = Set(1...31); cron.months = Set(1...12); cron.daysOfWeek = w
        cron.dayOfWeekStar = f[4] == "*"
        return cron
    }

    /// The first fire after `after` in UTC found by walking the calendar a day at a time (dates
    /// from Foundation's calendar, weekdays counted on) for one 400-year cycle and a day.
    static func dayWalk(_ cron: RandomCron, after: Int64) -> Int64? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        var day = MinuteScanOracle.floorDiv(after, 86_400)
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: TimeInterval(day * 86_400)))
        var (year, month, dom, weekday) = (c.year ?? 0, c.month ?? 0, c.day ?? 0, (c.weekday ?? 1) - 1)
        func length() -> Int {
            let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date()
            return calendar.range(of: .day, in: .month, for: first)?.count ?? 0
        }
        var monthLength = length()
        let times = cron.hours.sorted().flatMap { h in cron.minutes.sorted().map { Int64(h * 3600 + $0 * 60) } }
        for _ in 0...146_098 {
            if cron.firesOn(month: month, day: dom, weekday: weekday), let t = times.first(where: { day * 86_400 + $0 > after }) {
                return day * 86_400 + t
            }
            day += 1; dom += 1; weekday = (weekday + 1) % 7
            if dom > monthLength {
                dom = 1; month += 1
                if month > 12 { month = 1; year += 1 }
                monthLength = length()
            }
        }
        return nil
    }

    @Test func agreesWithACalendarWalkOnRunsYearsAway() throws {
        var g = SeededGenerator(seed: 400)
        var mismatches: [String] = []
        var never = 0, far = 0
        for i in 0..<300 {
            var cron = RandomCron.make(.rare, using: &g)
            if i % 10 == 0 {
                // A day of month that some chosen months lack, and a day of week that does not restrict.
                let days = [[30], [31], [30, 31], [29, 30, 31]][Int.random(in: 0..<4, using: &g)]
                let months = [[2], [4], [2, 4, 6, 9, 11], [2, 9]][Int.random(in: 0..<4, using: &g)]
                let weekdays = ["*", "*/2", "*/3"][Int.random(in: 0..<3, using: &g)]
                cron = RandomCron(text: "0 12 \(days.map(String.init).joined(separator: ",")) \(months.map(String.init).joined(separator: ",")) \(weekdays)")
                (cron.minutes, cron.hours, cron.daysOfMonth, cron.months) = ([0], [12], Set(days), Set(months))
                cron.daysOfWeek = Set(stride(from: 0, through: 6, by: weekdays == "*" ? 1 : weekdays == "*/2" ? 2 : 3))
                cron.dayOfMonthStar = false
            }
            let after = Int64.random(in: Self.from2024..<Self.to2031, using: &g)
            let expected = Self.dayWalk(cron, after: after)
            let got = try CronExpression(parsing: cron.text).next(after: Timestamp(secondsSinceEpoch: after), in: TimeZone(secondsFromGMT: 0) ?? .current)
            if expected == nil { never += 1 }
            if let expected, expected > after + 366 * 86_400 { far += 1 }
            if got?.secondsSinceEpoch != expected { mismatches.append("'\(cron.text)' after \(Timestamp(secondsSinceEpoch: after)): walk \(expected.map { Timestamp(secondsSinceEpoch: $0).description } ?? "never"), engine \(got?.description ?? "never")") }
        }
        #expect(never > 5)
        #expect(far > 5)
        #expect(mismatches.isEmpty, "\(mismatches.count): \(mismatches.prefix(10))")
    }
}
