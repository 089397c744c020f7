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

    /// The five cases of issue 18: zones more than 12 hours from UTC, and a pair of day fields that meet 11 years on.
    @Test(arguments: [
        ("0 2 * * *", "Pacific/Auckland", "2025-04-05T12:00:00Z", "2025-04-05T13:00:00Z"),  // 02:00 NZDT, the first occurrence
        ("* * * * *", "Pacific/Auckland", "2025-04-05T12:59:00Z", "2025-04-05T13:00:00Z"),  // the first pass of the repeated hour
        ("0 * * * *", "Pacific/Chatham", "2025-09-27T12:30:00Z", "2025-09-27T13:15:00Z"),   // 02:00 exists; the gap is 02:45-03:44
        ("15 2 * * *", "Pacific/Chatham", "2027-04-03T12:00:00Z", "2027-04-03T12:30:00Z"),  // 02:15 happens once that day
        ("0 0 */7 MAR SUN", "UTC", "2026-04-01T00:00:00Z", "2037-03-01T00:00:00Z"),
    ])
    func issue18Cases(cron: String, zone: String, after: String, expected: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(try next(cron, after: after, zone: timeZone) == expected)
    }

    @Test func aZoneMoreThan12HoursAheadSkipsAndRepeatsRight() throws {
        let chatham = try #require(TimeZone(identifier: "Pacific/Chatham"))
        // 2025-09-28 02:45 CHAST (+12:45) becomes 03:45 CHADT (+13:45) at 14:00Z: 03:00 and 03:30 land at 03:45.
        #expect(try next("0 * * * *", after: "2025-09-27T13:15:00Z", zone: chatham) == "2025-09-27T14:00:00Z")
        #expect(try next("0 * * * *", after: "2025-09-27T14:00:00Z", zone: chatham) == "2025-09-27T14:15:00Z")
        #expect(try next("30 3 * * *", after: "2025-09-27T12:00:00Z", zone: chatham) == "2025-09-27T14:00:00Z")
        // 2027-04-04 03:45 CHADT becomes 02:45 CHAST at 14:00Z: 03:00 runs once, in the first pass.
        #expect(try next("0 3 * * *", after: "2027-04-03T12:00:00Z", zone: chatham) == "2027-04-03T13:15:00Z")
        #expect(try next("0 3 * * *", after: "2027-04-03T13:15:00Z", zone: chatham) == "2027-04-04T14:15:00Z")
        let kiritimati = try #require(TimeZone(identifier: "Pacific/Kiritimati"))
        #expect(try next("0 0 * * *", after: "2026-06-30T09:00:00Z", zone: kiritimati) == "2026-06-30T10:00:00Z")
        let pagoPago = try #require(TimeZone(identifier: "Pacific/Pago_Pago"))
        #expect(try next("0 0 1 * *", after: "2026-06-30T09:00:00Z", zone: pagoPago) == "2026-07-01T11:00:00Z")
    }

    @Test func aNextRunIsStrictlyAfterNow() throws {
        #expect(try next("0 6 * * *", after: "2026-11-27T06:00:00Z") == "2026-11-28T06:00:00Z")
        #expect(try next("0 6 * * *", after: "2026-11-27T05:59:59Z") == "2026-11-27T06:00:00Z")
        #expect(try next("* * * * *", after: "2026-11-27T06:00:30Z") == "2026-11-27T06:01:00Z")
    }

    @Test func runsYearsAwayAreFoundAndNeverIsProven() throws {
        #expect(try next("0 12 29 2 *", after: "2096-03-01T00:00:00Z") == "2104-02-29T12:00:00Z")
        #expect(try next("0 0 29 FEB MON", after: "2026-01-01T00:00:00Z") == "2026-02-02T00:00:00Z")  // either rule
        #expect(try next("0 0 */10 FEB MON", after: "2027-01-01T00:00:00Z") == "2027-02-01T00:00:00Z") // both must hold
        #expect(try next("0 0 29 FEB */7", after: "2026-01-01T00:00:00Z") == "2032-02-29T00:00:00Z")  // a Sunday 29 February
        for never in ["0 0 30 FEB *", "0 0 31 APR *", "0 0 31 2,4,6,9,11 *", "0 0 30-31 feb */2"] {
            let cron = try CronExpression(parsing: never)
            #expect(cron.neverFires, "\(never)")
            #expect(cron.next(after: Timestamp(secondsSinceEpoch: 0), in: utc) == nil, "\(never)")
        }
        #expect(try CronExpression(parsing: "0 0 30 FEB MON").neverFires == false)
        #expect(try next("0 0 30 FEB MON", after: "2026-01-01T00:00:00Z") == "2026-02-02T00:00:00Z")
    }

    /// Every refusal names the offset of the mistake within the expression.
    @Test(arguments: [
        ("61 * * * *", 0, "minute '61' is not a number from 0 to 59"),
        ("* * 0 * *", 4, "day of month '0' is not a number from 1 to 31"),
        ("* * * 13 *", 6, "month '13' is not a number from 1 to 12 or JAN-DEC"),
        ("0 6 * * MON-FRY", 12, "day of week 'FRY' is not a number from 0 to 7 or SUN-SAT"),
        ("0 0 * * * *", 10, "expected 5 fields (minute hour day-of-month month day-of-week), found 6 in '0 0 * * * *'"),
        ("", 0, "the cron expression is empty; write 5 fields (minute hour day-of-month month day-of-week) such as \"0 6 * * MON-FRI\", or a shorthand such as @daily"),
        ("   ", 0, "the cron expression is empty; write 5 fields (minute hour day-of-month month day-of-week) such as \"0 6 * * MON-FRI\", or a shorthand such as @daily"),
        ("*/0 * * * *", 2, "minute '*/0': the step after / must be a whole number above 0"),
        ("0 5-1 * * *", 2, "hour range '5-1' runs backwards"),
        ("@reboot", 0, "'@reboot' is not a schedule orderflow knows; use @hourly, @daily, @weekly, @monthly or @yearly, or 5 fields"),
        ("@daily 5", 7, "@daily stands alone; found '5' after it"),
        ("0 0 *", 5, "expected 5 fields (minute hour day-of-month month day-of-week), found 3 in '0 0 *'"),
        ("0 0 1,,2 * *", 6, "day of month '1,,2' has an empty list item"),
        ("0 0 1, * *", 6, "day of month '1,' has an empty list item"),
        ("0 0 ? * *", 4, "day of month '?' is not a number from 1 to 31"),
        ("0 0 L * *", 4, "day of month 'L' is not a number from 1 to 31"),
        ("0 0 * * 5#3", 8, "day of week '5#3' is not a number from 0 to 7 or SUN-SAT"),
        ("+5 * * * *", 0, "minute '+5' is not a number from 0 to 59"),
        ("-5 * * * *", 0, "minute range '-5' needs a value on each side of -"),
        ("0 0 1-,5 * *", 4, "day of month range '1-' needs a value on each side of -"),
        ("/5 * * * *", 0, "minute '/5' needs a number or * before /"),
        ("1.5 * * * *", 0, "minute '1.5' is not a number from 0 to 59"),
        ("*/ * * * *", 2, "minute '*/': the step after / must be a whole number above 0"),
        ("*/-1 * * * *", 2, "minute '*/-1': the step after / must be a whole number above 0"),
        ("0 0 * JAN-FOO *", 10, "month 'FOO' is not a number from 1 to 12 or JAN-DEC"),
        ("JAN * * * *", 0, "minute 'JAN' is not a number from 0 to 59"),
        ("0 24 * * *", 2, "hour '24' is not a number from 0 to 23"),
        ("0 0 * * 8", 8, "day of week '8' is not a number from 0 to 7 or SUN-SAT"),
        ("0 0 * * FRI-MON", 8, "day of week range 'FRI-MON' runs backwards"),
        ("*-5 * * * *", 0, "minute '*' is not a number from 0 to 59"),
        ("0 99999999999999999999 * * *", 2, "hour '99999999999999999999' is not a number from 0 to 23"),
        ("0 0 * * 7/2", 8, "day of week '7/2' names no day; a step starts from 0 (SUN) to 6 (SAT)"),
        ("0 0 * * * @daily", 10, "expected 5 fields (minute hour day-of-month month day-of-week), found 6 in '0 0 * * * @daily'"),
    ])
    func invalidExpressionsAreRefusedWithTheirOffset(text: String, offset: Int, message: String) {
        #expect { _ = try CronExpression(parsing: text) } throws: { error in
            guard let error = error as? CronError else { return false }
            return error.kind == .expression && error.offset == offset && error.message == message
        }
    }

    @Test func validFormsParse() throws {
        let cron = try CronExpression(parsing: "\t5/20  8-18/2 1,15 * *")
        #expect(cron.minutes == [5, 25, 45])
        #expect(cron.hours == [8, 10, 12, 14, 16, 18])
        #expect(try CronExpression(parsing: "0 0 * * 5-7").daysOfWeek == [5, 6, 0])
        #expect(try CronExpression(parsing: "0 0 * * 6/1").daysOfWeek == [6])
        #expect(try CronExpression(parsing: "0 0 * * MON/2").daysOfWeek == [1, 3, 5])
        #expect(try CronExpression(parsing: " @Weekly ").daysOfWeek == [0])
        #expect(try CronExpression(parsing: "0 0 * * */2").daysOfWeek == [0, 2, 4, 6])
    }

    @Test func anUnknownTimeZoneIsATypedError() throws {
        #expect { _ = try Schedule.timeZone(named: "Mars/Base") } throws: { error in
            (error as? CronError)?.kind == .timeZone && "\(error)" == "unknown time zone 'Mars/Base'; use a name from the time zone database such as Europe/London, America/New_York or UTC"
        }
        #expect { _ = try Schedule.timeZone(named: "") } throws: { ($0 as? CronError)?.kind == .timeZone }
        #expect(try Schedule.timeZone(named: "Pacific/Chatham").identifier == "Pacific/Chatham")
    }

    @Test func intervalsThatWouldOverflowAreRefused() {
        #expect(Schedule.interval("99999999999999999h") == nil)
        #expect(Schedule.interval("9223372036854775807") == nil)
        #expect(Schedule.every(seconds: 60).next(after: Timestamp(secondsSinceEpoch: .max - 10)) == nil)
    }

    @Test func schedulesInWords() throws {
        #expect(Schedule.every(seconds: 30).description == "every 30 seconds")
        #expect(Schedule.every(seconds: 300).description == "every 5 minutes")
        #expect(Schedule.cron(try CronExpression("0 6 * * 1-5"), zone: london).description == "at 06:00 on Monday to Friday (Europe/London)")
        #expect(Schedule.cron(try CronExpression("30 2 1 * *"), zone: utc).description == "at 02:30 on day 1 of the month (\(utc.identifier))")
        #expect(Schedule.cron(try CronExpression("0 0 1 1 *"), zone: utc).description == "at 00:00 on day 1 of the month in January (\(utc.identifier))")
        #expect(Schedule.cron(try CronExpression("0 0 */7 MAR SUN"), zone: utc).description == "at 00:00 on day 1, 8, 15, 22, 29 of the month when it is a Sunday in March (\(utc.identifier))")
        #expect(Schedule.cron(try CronExpression("0 0 13 * FRI"), zone: utc).description == "at 00:00 on day 13 of the month or on Friday (\(utc.identifier))")
        #expect(Schedule.cron(try CronExpression("0 0 * * */2"), zone: utc).description == "at 00:00 on Sunday, Tuesday, Thursday, Saturday (\(utc.identifier))")
        #expect(Schedule.interval("5m") == 300)
        #expect(Schedule.interval("2 hours") == 7200)
        #expect(Schedule.interval("0s") == nil)
    }
}
