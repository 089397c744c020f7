/// A line's value: its quantity times its unit price, rounded once to the currency's minor unit.
///
/// The one home of that rule: the import's limit check, the credit check, order totals and reports
/// (through the SQL function `line_value`, which calls this) all compute it here, so no two places can
/// disagree by a penny. The exact product is computed in 128 bits (no floating point); a half minor
/// unit rounds away from zero (`0.125` → `0.13`, `-0.125` → `-0.13`).
public enum LineValue {
    /// Thousandths × ten-thousandths: the exact product is in 1/10,000,000 of the minor unit.
    static let divisor: UInt64 = 10_000_000

    /// `quantity × price`, rounded to the minor unit, half away from zero.
    /// - Throws: `MoneyOverflow` when the value does not fit Int64 minor units.
    public static func of(_ quantity: Quantity, at price: UnitPrice) throws(MoneyOverflow) -> Money {
        let negative = (quantity.thousandths < 0) != (price.tenThousandths < 0)
        let product = quantity.thousandths.magnitude.multipliedFullWidth(by: price.tenThousandths.magnitude)
        let overflow = MoneyOverflow(left: price.tenThousandths, operation: .lineValue, right: quantity.thousandths)
        // The quotient fits 64 bits only when the high half is below the divisor.
        guard product.high < divisor else { throw overflow }
        let (quotient, remainder) = divisor.dividingFullWidth((high: product.high, low: product.low))
        let roundsUp = remainder >= divisor - remainder
        guard quotient < UInt64(Int64.max) || (quotient == UInt64(Int64.max) && !roundsUp) else { throw overflow }
        let minor = Int64(quotient) + (roundsUp ? 1 : 0)
        return Money(minorUnits: negative ? -minor : minor)
    }
}
