import OrderModel

extension CreditState {
    /// The state as an SQL string literal for the store's statements (see `Stage.sql`).
    package var sql: String { "'\(rawValue)'" }

    /// The state a `credit_state` column holds; the schema allows no other text, and NULL or a value
    /// written by a newer engine reads as not yet checked (checked again) rather than as passed.
    init(stored text: String?) {
        self = text.flatMap(CreditState.init(rawValue:)) ?? .unchecked
    }
}
