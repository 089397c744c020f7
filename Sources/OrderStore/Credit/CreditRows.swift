import OrderModel

/// An order waiting for the credit check, as the store reads it: the order's own facts and its value.
///
/// Plain stored values (text as stored): the engine turns them into the credit module's candidate, so the
/// store knows nothing of how the check decides.
public struct CreditCandidate: Sendable {
    public var orderID: Int64
    public var orderRef: String
    public var customerRef: String
    /// The order date as stored (ISO 8601).
    public var orderDate: String
    public var paymentMethod: String?
    public var cardStatus: String?
    public var cardLast4: String?
    public var cardExpiry: String?
    /// The order's value: its stock lines not cancelled and its charges; nil when beyond what Int64 holds.
    public var value: Money?
    /// A person overrode the credit check for this order.
    public var overridden: Bool
    /// The order's credit state as stored (`held`, `pending`…).
    public var creditState: CreditState
    public var currency: String?
    /// The reason code of the order's lines held for credit, if any are.
    public var heldCode: String?
}

/// A customer's account as the credit check reads it.
public struct CreditAccount: Sendable {
    public var terms: String
    public var creditLimit: Money
    public var balance: Money
    public var onStop: Bool
    public var currency: String?
}

/// A part of a customer's open exposure: the open value of their passed orders in one currency (their stock
/// lines, or their charges); nil when beyond what Int64 holds.
public struct CreditExposure: Sendable {
    public var customerRef: String
    /// The orders' currency as stored; nil for the home's.
    public var currency: String?
    public var value: Money?
}

/// What the credit check decided for one order, as the store writes it: which of its lines move, where to, why.
public struct CreditOutcome: Sendable {
    public var orderID: Int64
    public var orderRef: String
    /// Its lines in New move.
    public var fromNew: Bool
    /// Its lines held for credit move.
    public var fromHeld: Bool
    public var to: Stage
    public var code: String?
    public var reason: String
    /// The order becomes held now (an exception is reported and its credit state set).
    public var newlyHeld: Bool

    public init(orderID: Int64, orderRef: String, fromNew: Bool, fromHeld: Bool, to: Stage, code: String?, reason: String, newlyHeld: Bool) {
        self.orderID = orderID; self.orderRef = orderRef; self.fromNew = fromNew; self.fromHeld = fromHeld
        self.to = to; self.code = code; self.reason = reason; self.newlyHeld = newlyHeld
    }
}
