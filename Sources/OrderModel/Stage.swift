/// A stage that an order line sits in: the engine's unit of work state.
///
/// Stages are open-ended strings rather than an enum so that user-defined stages
/// (the rules file) sit beside the built-in ones without a code change.
public struct Stage: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// Imported, not yet through the credit check.
    public static let new: Stage = "new"
    /// Failed the credit check; re-checked every cycle.
    public static let heldForCredit: Stage = "held-for-credit"
    /// Waiting for a person (or for an unknown product to appear).
    public static let orderVetting: Stage = "order-vetting"
    /// Held by hand with `orderflow hold`; waits for `orderflow release`.
    public static let onHold: Stage = "on-hold"
    /// Supplied by the supplier directly; a purchase order is derived.
    public static let dropShip: Stage = "drop-ship"
    /// Not enough stock; retried oldest first every cycle.
    public static let backOrder: Stage = "back-order"
    /// Stock allocated; goes on the next pick list.
    public static let picking: Stage = "picking"
    /// On a written pick list; stock has left the warehouse.
    public static let despatched: Stage = "despatched"
    /// Cancelled by hand; holds no stock.
    public static let cancelled: Stage = "cancelled"

    /// The built-in stages in the order an order usually passes them.
    public static let builtIn: [Stage] = [
        .new, .heldForCredit, .orderVetting, .onHold, .dropShip, .backOrder, .picking, .despatched, .cancelled,
    ]

    /// Stages a person can still act on: the line holds no shipped goods and no sent purchase order.
    public static let open: Set<Stage> = [.new, .heldForCredit, .orderVetting, .onHold, .backOrder, .picking]
}
