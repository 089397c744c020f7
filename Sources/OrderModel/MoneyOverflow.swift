/// Money arithmetic whose result does not fit the engine's integer minor units.
///
/// The import's limits keep real data far from this; it exists so that a value that slipped past
/// them (an old database, a product price changed under a large quantity) is reported, not a crash.
public struct MoneyOverflow: Error, Sendable, Hashable, CustomStringConvertible {
    /// What overflowed, printed as its sign.
    public enum Operation: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "×"
        /// A line value: `left` is a `UnitPrice`'s ten-thousandths, `right` a `Quantity`'s thousandths.
        case lineValue = "quantity × unit price"
    }

    /// The left operand in minor units.
    public var left: Int64
    public var operation: Operation
    /// The right operand: minor units, or a quantity for `multiply`.
    public var right: Int64
    public init(left: Int64, operation: Operation, right: Int64) {
        self.left = left; self.operation = operation; self.right = right
    }
    public var description: String {
        if operation == .lineValue {
            let quantity = Quantity(thousandths: right), price = MoneyFormat.standard.format(UnitPrice(tenThousandths: left))
            return "a line value is too large to compute: quantity \(quantity) × unit price \(price) is beyond ±\(Int64.max) minor units; check the quantities and prices"
        }
        return "an amount is too large to compute: \(left) \(operation.rawValue) \(right) (in minor units) is beyond ±\(Int64.max); check the quantities and prices"
    }
}
