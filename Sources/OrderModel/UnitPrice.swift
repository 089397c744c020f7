/// A price per unit, finer than the currency: in ten-thousandths of the currency's minor unit.
///
/// Labels cost `0.0425 GBP` and sheets `0,065 EUR`: a unit price needs four more decimals than the
/// currency has (6 for GBP or EUR, 4 for JPY). Only a line's value, `LineValue.of(_:at:)`, is money;
/// it is rounded to the minor unit once, so an order's total is the sum of its rounded line values.
public struct UnitPrice: Hashable, Comparable, Sendable, Codable {
    /// The price × 10,000, in the currency's minor units (`0.0425 GBP` is 42,500).
    public var tenThousandths: Int64
    public init(tenThousandths: Int64) { self.tenThousandths = tenThousandths }

    /// Extra decimals a unit price may have beyond its currency's.
    public static let extraDecimals = 4
    public static let scale: Int64 = 10_000
    public static let zero = UnitPrice(tenThousandths: 0)

    /// A price of whole minor units (`Money`); nil beyond the range of Int64 ten-thousandths.
    public init?(_ money: Money) {
        let (scaled, overflow) = money.minorUnits.multipliedReportingOverflow(by: Self.scale)
        if overflow { return nil }
        tenThousandths = scaled
    }

    public static func < (a: UnitPrice, b: UnitPrice) -> Bool { a.tenThousandths < b.tenThousandths }

    /// The price of one unit as money, exactly when it is whole minor units (nil for `0.0425`).
    public var exactMoney: Money? {
        tenThousandths % Self.scale == 0 ? Money(minorUnits: tenThousandths / Self.scale) : nil
    }

    public init(from decoder: any Decoder) throws {
        tenThousandths = try decoder.singleValueContainer().decode(Int64.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(tenThousandths)
    }
}

extension MoneyFormat {
    /// Parses a unit price with up to `fractionDigits + 4` decimals (`0.0425`, `12.50`, `9`); nil otherwise
    /// (a sign, more decimals, or beyond Int64).
    public func parseUnitPrice(_ text: String) -> UnitPrice? {
        let fine = MoneyFormat(fractionDigits: fractionDigits + UnitPrice.extraDecimals)
        guard let parsed = fine.parse(text) else { return nil }
        return UnitPrice(tenThousandths: parsed.minorUnits)
    }

    /// Prints with the currency's decimals, and more only when the price has them: `12.50`, `0.0425`, `0.065`.
    public func format(_ price: UnitPrice) -> String {
        let fine = MoneyFormat(fractionDigits: fractionDigits + UnitPrice.extraDecimals)
        var text = fine.format(Money(minorUnits: price.tenThousandths))
        // Trailing zeros beyond the currency's own decimals say nothing.
        var extra = UnitPrice.extraDecimals
        while extra > 0, text.hasSuffix("0") { text.removeLast(); extra -= 1 }
        if fractionDigits == 0, extra == 0, text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
