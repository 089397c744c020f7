import Foundation
import Testing
import OrderModel

@Suite struct QuantityTests {
    @Test(arguments: [("12.75", 12_750), ("3", 3_000), ("0.125", 125), ("-2.5", -2_500), ("12.7500", 12_750), (" 7 ", 7_000), ("+1.5", 1_500)])
    func parsesDecimalsExactly(text: String, thousandths: Int64) {
        #expect(Quantity.parse(text) == Quantity(thousandths: thousandths))
    }

    @Test(arguments: ["", "abc", "1.2345", "1.2.3", ".", "1e3", "12,75", "99999999999999999999"])
    func rejectsWhatIsNotAQuantity(text: String) {
        #expect(Quantity.parse(text) == nil)
    }

    @Test func printsWithoutTrailingZeros() {
        #expect(Quantity(thousandths: 3_000).description == "3")
        #expect(Quantity(thousandths: 12_750).description == "12.75")
        #expect(Quantity(thousandths: 5).description == "0.005")
        #expect(Quantity(thousandths: -2_500).description == "-2.5")
        #expect("\(Quantity(thousandths: 10_100))" == "10.1")
    }

    @Test func countsTheDecimalsItNeeds() {
        #expect(Quantity(thousandths: 3_000).decimals == 0)
        #expect(Quantity(thousandths: 12_750).decimals == 2)
        #expect(Quantity(thousandths: 12_755).decimals == 3)
        #expect(Quantity(thousandths: 12_700).decimals == 1)
    }

    @Test func arithmeticIsCheckedAndComparable() throws {
        let a: Quantity = 10, b = Quantity(thousandths: 2_750)
        #expect(try a + b == Quantity(thousandths: 12_750))
        #expect(try b - a == Quantity(thousandths: -7_250))
        #expect(b < a)
        #expect(throws: QuantityOverflow.self) { try Quantity(thousandths: .max) + Quantity(thousandths: 1) }
        do {
            _ = try Quantity(thousandths: .min) - Quantity(thousandths: 1)
        } catch {
            #expect(error.description.contains("too large to compute"))
        }
    }

    @Test func jsonWritesTheNumberExactly() throws {
        let data = try JSONEncoder().encode([Quantity(thousandths: 12_750), Quantity(thousandths: 3_000)])
        #expect(String(decoding: data, as: UTF8.self) == "[12.75,3]")
        #expect(try JSONDecoder().decode([Quantity].self, from: data) == [Quantity(thousandths: 12_750), 3])
    }
}

@Suite struct UnitPriceTests {
    @Test func parsesFourDecimalsBeyondTheCurrency() {
        #expect(MoneyFormat.standard.parseUnitPrice("0.0425") == UnitPrice(tenThousandths: 42_500))
        #expect(MoneyFormat.standard.parseUnitPrice("0.065") == UnitPrice(tenThousandths: 65_000))
        #expect(MoneyFormat.standard.parseUnitPrice("12.50") == UnitPrice(tenThousandths: 12_500_000))
        #expect(MoneyFormat.standard.parseUnitPrice("0.0000001") == nil)
        #expect(MoneyFormat(fractionDigits: 0).parseUnitPrice("1.0001") == UnitPrice(tenThousandths: 10_001))
    }

    @Test func printsTheCurrencyDecimalsAndOnlyTheFinerOnesItHas() {
        #expect(MoneyFormat.standard.format(UnitPrice(tenThousandths: 42_500)) == "0.0425")
        #expect(MoneyFormat.standard.format(UnitPrice(tenThousandths: 12_500_000)) == "12.50")
        #expect(MoneyFormat.standard.format(UnitPrice(tenThousandths: 65_000)) == "0.065")
        #expect(MoneyFormat(fractionDigits: 0).format(UnitPrice(tenThousandths: 420_000)) == "42")
    }
}

@Suite struct LineValueTests {
    func value(_ quantity: String, _ price: String) throws -> Money {
        try LineValue.of(#require(Quantity.parse(quantity)), at: #require(MoneyFormat.standard.parseUnitPrice(price)))
    }

    @Test func multipliesExactlyAndRoundsOnceToTheMinorUnit() throws {
        #expect(try value("3", "12.50") == Money(minorUnits: 3_750))
        #expect(try value("1000", "0.0425") == Money(minorUnits: 4_250))
        #expect(try value("12.75", "0.065") == Money(minorUnits: 83))    // 0.82875 -> 0.83
        #expect(try value("0.001", "0.01") == Money(minorUnits: 0))      // 0.00001 -> 0.00
    }

    @Test func aHalfRoundsAwayFromZero() throws {
        #expect(try value("5", "0.025") == Money(minorUnits: 13))        // 0.125 -> 0.13
        #expect(try value("5", "0.0249") == Money(minorUnits: 12))       // 0.1245 -> 0.12
        #expect(try value("-5", "0.025") == Money(minorUnits: -13))      // -0.125 -> -0.13
        #expect(try value("-5", "0.0249") == Money(minorUnits: -12))
    }

    @Test func aValueBeyondInt64IsAnErrorInWords() {
        let huge = Quantity(thousandths: 1_000_000_000_000_000)
        #expect(throws: MoneyOverflow.self) { try LineValue.of(huge, at: UnitPrice(tenThousandths: 1_000_000_000_000)) }
        do {
            _ = try LineValue.of(Quantity(thousandths: .max), at: UnitPrice(tenThousandths: .max))
            Issue.record("expected an overflow")
        } catch {
            #expect(error.description.contains("line value is too large"))
        }
    }
}

@Suite struct UnitConversionsTests {
    let home = UnitConversions([.init(from: "KGM", to: "GRM", factor: 1000)])

    @Test func aCaseOfTwelveIsTwelveEach() throws {
        let product = try UnitConversions.parse(productUnits: "CS=12;BX=6", stockUnit: "EA").get()
        #expect(home.convert(1, from: "CS", to: "EA", product: product) == .converted(12))
        #expect(home.convert(2, from: "bx", to: "ea", product: product) == .converted(12))
        #expect(home.convert(5, from: "", to: "EA", product: product) == .converted(5))
    }

    @Test func homeConversionsWorkBothWays() {
        #expect(home.convert(1, from: "KGM", to: "GRM") == .converted(1000))
        #expect(home.convert(500, from: "GRM", to: "KGM") == .converted(Quantity(thousandths: 500)))
        #expect(home.convert(Quantity(thousandths: 1), from: "GRM", to: "KGM") == .tooFine)
    }

    @Test func anUnknownUnitIsSaid() {
        #expect(home.convert(1, from: "MTR", to: "EA") == .unknownUnit)
        #expect(home.units(convertibleTo: "GRM") == ["GRM", "KGM"])
    }

    @Test func aMalformedEntryIsNamed() {
        guard case .failure(let failure) = UnitConversions.parse(productUnits: "CS=12;BX", stockUnit: "EA") else {
            Issue.record("expected a failure"); return
        }
        #expect(failure.entry == "BX")
    }
}
