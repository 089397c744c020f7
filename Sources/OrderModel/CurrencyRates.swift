import Foundation

/// The home's currency and the exchange rates `orderflow.yaml` gives, for comparing an order in one
/// currency with a customer's credit in another.
///
/// A rate says what one unit of a currency is worth in the home currency (`EUR: 0.8612` with home GBP).
/// Converting between two other currencies goes through the home currency. Rates are exact decimals
/// from the file, never binary floating point; a converted amount is rounded once, to the minor unit,
/// half away from zero.
public struct CurrencyRates: Sendable, Hashable {
    /// The home's currency: what customers without a currency of their own are in.
    public var home: CurrencyCode?
    /// One unit of each currency in the home currency.
    public var rates: [CurrencyCode: Decimal]

    public init(home: CurrencyCode? = nil, rates: [CurrencyCode: Decimal] = [:]) {
        self.home = home; self.rates = rates
    }

    public static let none = CurrencyRates()

    /// One unit of `currency` in the home currency: 1 for the home currency itself, nil when no rate is given.
    public func rate(_ currency: CurrencyCode) -> Decimal? {
        currency == home ? 1 : rates[currency]
    }

    /// `amount` in `from`, converted to `to`; the same amount when the currencies are the same.
    ///
    /// - Returns: nil when a rate is missing, or when the result is beyond the engine's Int64 minor units.
    public func convert(_ amount: Money, from: CurrencyCode, to: CurrencyCode) -> Money? {
        if from == to { return amount }
        guard let fromRate = rate(from), let toRate = rate(to), toRate > 0 else { return nil }
        var exact = Decimal(amount.minorUnits) * fromRate / toRate
        var rounded = Decimal()
        // .plain rounds a half away from zero, for negative amounts too.
        NSDecimalRound(&rounded, &exact, 0, .plain)
        // An integral Decimal prints as plain digits; beyond Int64 the parse fails and the answer is nil.
        guard let minor = Int64(rounded.description) else { return nil }
        return Money(minorUnits: minor)
    }
}
