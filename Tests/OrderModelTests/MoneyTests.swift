import Testing
import OrderModel

@Suite struct MoneyTests {
    @Test(arguments: [("12.50", 1250), ("12", 1200), ("0.05", 5), ("-3.1", -310), ("+7.00", 700), (" 1.5 ", 150)])
    func parsesDecimalsExactly(text: String, minor: Int64) {
        #expect(MoneyFormat.standard.parse(text) == Money(minorUnits: minor))
    }

    @Test(arguments: ["", "abc", "1.234", "1.2.3", "--1", ".", "1e3", "12,50", "99999999999999999999"])
    func rejectsWhatIsNotAnAmount(text: String) {
        #expect(MoneyFormat.standard.parse(text) == nil)
    }

    @Test func formatsWithTheCurrencyDecimals() {
        #expect(MoneyFormat.standard.format(Money(minorUnits: 123456)) == "1234.56")
        #expect(MoneyFormat.standard.format(Money(minorUnits: -5)) == "-0.05")
        #expect(MoneyFormat(fractionDigits: 0).format(Money(minorUnits: 42)) == "42")
        #expect(MoneyFormat(fractionDigits: 3).parse("1.5") == Money(minorUnits: 1500))
    }
}

@Suite struct MoneyArithmeticTests {
    @Test func arithmeticIsExactWithinRange() throws {
        #expect(try Money(minorUnits: 150) + Money(minorUnits: 250) == Money(minorUnits: 400))
        #expect(try Money(minorUnits: 150) - Money(minorUnits: 250) == Money(minorUnits: -100))
        #expect(try Money(minorUnits: 1250) * 3 == Money(minorUnits: 3750))
    }

    @Test func overflowThrowsInWordsInsteadOfTrapping() {
        let max = Money(minorUnits: .max)
        #expect(throws: MoneyOverflow.self) { try max + Money(minorUnits: 1) }
        #expect(throws: MoneyOverflow.self) { try Money(minorUnits: .min) - Money(minorUnits: 1) }
        #expect(throws: MoneyOverflow.self) { try Money(minorUnits: 5_000_000_000_000_000_000) * 2 }
        do {
            _ = try max + Money(minorUnits: 1)
        } catch {
            #expect(error.description.contains("too large to compute"))
        }
    }

    @Test func theLimitIsATrillionMajorUnitsInEveryCurrency() {
        #expect(MoneyFormat.standard.limit == Money(minorUnits: 100_000_000_000_000))
        #expect(MoneyFormat(fractionDigits: 0).limit == Money(minorUnits: 1_000_000_000_000))
        #expect(MoneyFormat(fractionDigits: 4).limit == Money(minorUnits: 10_000_000_000_000_000))
        #expect(MoneyFormat.standard.isWithinLimit(Money(minorUnits: -100_000_000_000_000)))
        #expect(!MoneyFormat.standard.isWithinLimit(Money(minorUnits: 100_000_000_000_001)))
        #expect(!MoneyFormat.standard.isWithinLimit(Money(minorUnits: .min)))
        // The limit leaves room: a thousand maximal amounts still add up inside Int64 at 4 decimals.
        #expect(MoneyFormat(fractionDigits: 4).limit.minorUnits.multipliedReportingOverflow(by: 900).overflow == false)
    }
}
