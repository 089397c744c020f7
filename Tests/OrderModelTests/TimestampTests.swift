import Testing
import OrderModel

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-11-27", "2026-11-27T00:00:00Z"),
        ("2026-11-27T09:30:00Z", "2026-11-27T09:30:00Z"),
        ("2026-11-27 09:30", "2026-11-27T09:30:00Z"),
        ("2026-11-27T09:30:15.250+02:00", "2026-11-27T07:30:15Z"),
        ("2026-11-27T01:00:00-0530", "2026-11-27T06:30:00Z"),
        ("2024-02-29", "2024-02-29T00:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ])
    func parsesDatesAndDateTimesToUTC(text: String, expected: String) throws {
        let t = try #require(Timestamp(iso8601: text))
        #expect(t.description == expected)
    }

    @Test(arguments: ["", "2026-13-01", "2026-02-30", "2023-02-29", "27/11/2026", "2026-11-27T25:00", "2026-11-27X", "2026-11-27T09:30:00Q"])
    func rejectsInvalidDates(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func civilConversionRoundTripsOverCenturies() {
        for days in stride(from: Int64(-800_000), to: 800_000, by: 997) {
            let (y, m, d) = Timestamp.civil(fromDays: days)
            #expect(Timestamp.days(fromCivil: y, m, d) == days)
        }
    }
}
