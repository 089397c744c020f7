import Foundation
import Testing
import OrderJobs
import OrderModel

@Suite struct CronExpressionTests {
    let utc = TimeZone(identifier: "UTC")!
    let london = TimeZone(identifier: "Europe/London")!

    func next(_ cron: String, after: String, zone: TimeZone? = nil) throws -> String? {
        try CronExpression(cron).next(after: Timestamp(iso8601: after)!, in: zone ?? utc)?.description
    }

    @Test func stepsRangesListsAndNames() throws {
        #expect(try next("*/15 * * * *", after: "2026-11-27T10:07:00Z") == "2026-11-27T10:15:00Z")
        #expect(try next("0 6 * * MON-FRI", after: "2026-11-28T12:00:00Z") == "2026-11-30T06:00:00Z")
        #expect(try next("0 8,17 * * *", after: "2026-11-27T08:00:00Z") == "2026-11-27T17:00:00Z")
        #expect(try next("0 0 1 jan,jul *", after: "2026-02-01T00:00:00Z") == "2026-07-01T00:00:00Z")
        #expect(try next("0 0 * * 7", after: "2026-11-27T00:00:00Z") == "2026-11-29T00:00:00Z")
        #expect(try next("@monthly", after: "2026-11-27T00:00:00Z") == "2026-12-01T00:00:00Z")
    }

    @Test func monthEndsAndLeapDays() throws {
        #expect(try next("0 0 31 * *", after: "2026-04-01T00:00:00Z") == "2026-05-31T00:00:00Z")
        #expect(try next("0 0 31 * *", after: "2026-05-31T00:00:00Z") == "2026-07-31T00:00:00Z")
        #expect(try next("30 23 28-31 * *", after: "2026-02-28T23:30:00Z") == "2026-03-28T23:30:00Z")
        #expect(try next("0 12 29 2 *", after: "2026-01-01T00:00:00Z") == "2028-02-29T12:00:00Z")
        #expect(try next("59 23 31 12 *", after: "2026-12-31T23:59:00Z") == "2027-12-31T23:59:00Z")
    }

    @Test func dayOfMonthWithDayOfWeekFiresOnEither() throws {
        // 2026-11-01 is a Sunday; Fridays are the 6th, 13th, 20th.
        #expect(try next("0 9 13 * FRI", after: "2026-11-01T00:00:00Z") == "2026-11-06T09:00:00Z")
        #expect(try next("0 9 13 * FRI", after: "2026-11-06T09:00:00Z") == "2026-11-13T09:00:00Z")
        #expect(try next("0 9 14 * FRI", after: "2026-11-13T09:00:00Z") == "2026-11-14T09:00:00Z")
        // A step on day of week is not a restriction for the either rule.
        #expect(try next("0 9 14 * *", after: "2026-11-13T09:00:00Z") == "2026-11-14T09:00:00Z")
    }

    @Test func aTimeTheSpringChangeSkipsRunsAtTheFirstValidMinuteAfter() throws {
        // Europe/London, 29 March 2026: 01:00 GMT becomes 02:00 BST; 01:30 local does not exist.
        #expect(try next("30 1 * * *", after: "2026-03-28T12:00:00Z", zone: london) == "2026-03-29T01:00:00Z")
        #expect(try next("30 1 * * *", after: "2026-03-29T01:00:00Z", zone: london) == "2026-03-30T00:30:00Z")
        #expect(try next("*/20 1 * * *", after: "2026-03-28T12:00:00Z", zone: london) == "2026-03-29T01:00:00Z")
        #expect(try next("*/20 1 * * *", after: "2026-03-29T01:00:00Z", zone: london) == "2026-03-30T00:00:00Z")
    }

    @Test func aRepeatedHourRunsOnce() throws {
        // Europe/London, 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:30 local happens twice.
        #expect(try next("30 1 * * *", after: "2026-10-24T12:00:00Z", zone: london) == "2026-10-25T00:30:00Z")
        #expect(try next("30 1 * * *", after: "2026-10-25T00:30:00Z", zone: london) == "2026-10-26T01:30:00Z")
        #expect(try next("0 9 * * *", after: "2026-11-27T00:00:00Z", zone: TimeZone(identifier: "America/New_York")!) == "2026-11-27T14:00:00Z")
    }

    @Test func mistakesAreNamed() {
        #expect { _ = try CronExpression("61 * * * *") } throws: { "\($0)" == "minute '61' is not a number from 0 to 59" }
        #expect { _ = try CronExpression("* * *") } throws: { "\($0)" == "expected 5 fields (minute hour day-of-month month day-of-week), found 3 in '* * *'" }
        #expect { _ = try CronExpression("0 0 * FOO *") } throws: { "\($0)" == "month 'FOO' is not a number from 1 to 12 or JAN-DEC" }
        #expect { _ = try CronExpression("0 5-1 * * *") } throws: { "\($0)" == "hour range '5-1' runs backwards" }
    }

    @Test func schedulesInWords() throws {
        #expect(Schedule.every(seconds: 30).description == "every 30 seconds")
        #expect(Schedule.every(seconds: 300).description == "every 5 minutes")
        #expect(Schedule.cron(try CronExpression("0 6 * * 1-5"), zone: london).description == "at 06:00 on Monday to Friday (Europe/London)")
        #expect(Schedule.cron(try CronExpression("30 2 1 * *"), zone: utc).description == "at 02:30 on day 1 of the month (\(utc.identifier))")
        #expect(Schedule.cron(try CronExpression("0 0 1 1 *"), zone: utc).description == "at 00:00 on day 1 of the month in January (\(utc.identifier))")
        #expect(Schedule.interval("5m") == 300)
        #expect(Schedule.interval("2 hours") == 7200)
        #expect(Schedule.interval("0s") == nil)
    }
}
