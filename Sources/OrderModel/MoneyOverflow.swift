/// Money arithmetic whose result does not fit the engine's integer minor units.
///
/// The import's limits keep real data far from this; it exists so that a value that slipped past
/// them (an old database, a product price changed under a large quantity) is reported, not a crash.
public struct MoneyOverflow: Error, Sendable, Hashable, CustomStringConvertible {
    /// What overflowed, printed as its sign.
    public enum Operation: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "×"
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
        "an amount is too large to compute: \(left) \(operation.rawValue) \(right) (in minor units) is beyond ±\(Int64.max); check the quantities and prices"
    }
}
