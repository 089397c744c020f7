import Foundation
import Testing
import OrderOutput

@Suite struct ValueFormatTests {
    /// The fast path writes exactly what Foundation's description writes.
    @Test func numbersAreWrittenAsTheDecimalDescribesThem() {
        var generator = SystemRandomNumberGenerator()
        var samples: [Decimal] = ["0", "0.00", "-0", "1", "-1", "3.50", "0.005", "-0.05", "10.25", "1234567890123456789",
                                  "18446744073709551615", "18446744073709551616", "1e5", "-2.5e-3", "12345678901234567890.123"]
            .compactMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        for _ in 0..<2000 {
            let mantissa = Decimal(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator))
            let scale = Int.random(in: -22...3, using: &generator)
            let value = (Bool.random(using: &generator) ? -1 : 1) * mantissa * pow(10, scale < 0 ? 0 : scale) / pow(10, scale < 0 ? -scale : 0)
            samples.append(value)
            samples.append(Decimal(Int.random(in: -100_000...100_000, using: &generator)) / 100)
        }
        for d in samples {
            #expect(ValueFormat().text(.number(d)) == d.description, "\(d)")
        }
        #expect(ValueFormat(decimalSeparator: ",").text(.number(Decimal(string: "-12.50") ?? 0)) == "-12,5")
    }
}
