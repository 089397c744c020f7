/// Where an order stands with the credit check (the `credit_state` of an order, a CHECK of the schema).
public enum CreditState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Imported, not yet checked.
    case unchecked
    /// Passed (or released by hand); its lines go on to the rules and allocation.
    case passed
    /// Held for credit; looked at again when its customer's position changes.
    case held
}
