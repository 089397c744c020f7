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
