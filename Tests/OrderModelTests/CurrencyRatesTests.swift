import Foundation
import Testing
import OrderModel

@Suite struct CurrencyRatesTests {
    let gbp = CurrencyCode("GBP")!, eur = CurrencyCode("eur")!, usd = CurrencyCode("USD")!
    var rates: CurrencyRates { CurrencyRates(home: gbp, rates: [eur: Decimal(string: "0.8612")!, usd: Decimal(string: "0.79")!]) }

    @Test func aCodeIsThreeLettersInCapitals() {
        #expect(CurrencyCode(" eur ")?.code == "EUR")
        for bad in ["", "EU", "EURO", "E1R", "€UR", "ＥＵＲ"] { #expect(CurrencyCode(bad) == nil, "\(bad)") }
    }

    @Test func anAmountConvertsThroughTheHomeCurrencyRoundedHalfAwayFromZero() {
        // 100.00 EUR × 0.8612 = 86.12 GBP exactly.
        #expect(rates.convert(Money(minorUnits: 10_000), from: eur, to: gbp) == Money(minorUnits: 8_612))
        // 0.25 EUR × 0.8612 = 0.2153 → 0.22; -0.25 → -0.22 (half away from zero, both ways).
        #expect(rates.convert(Money(minorUnits: 25), from: eur, to: gbp) == Money(minorUnits: 22))
        #expect(rates.convert(Money(minorUnits: -25), from: eur, to: gbp) == Money(minorUnits: -22))
        // 50 minor × 0.79 = 39.5 → 40; -39.5 → -40.
        #expect(rates.convert(Money(minorUnits: 50), from: usd, to: gbp) == Money(minorUnits: 40))
        #expect(rates.convert(Money(minorUnits: -50), from: usd, to: gbp) == Money(minorUnits: -40))
        // Between two others: 100.00 EUR = 86.12 GBP = 109.0126... USD → 109.01.
        #expect(rates.convert(Money(minorUnits: 10_000), from: eur, to: usd) == Money(minorUnits: 10_901))
        #expect(rates.convert(Money(minorUnits: 10_000), from: gbp, to: eur) == Money(minorUnits: 11_612))
    }

    @Test func aMissingRateOrAResultBeyondTheEngineIsNil() {
        #expect(rates.convert(Money(minorUnits: 1), from: CurrencyCode("JPY")!, to: gbp) == nil)
        #expect(CurrencyRates(home: nil, rates: [eur: 1]).convert(Money(minorUnits: 1), from: eur, to: gbp) == nil)
        let steep = CurrencyRates(home: gbp, rates: [eur: 1000])
        #expect(steep.convert(Money(minorUnits: .max / 10), from: eur, to: gbp) == nil)
        #expect(rates.convert(Money(minorUnits: 7), from: eur, to: eur) == Money(minorUnits: 7))
    }
}
