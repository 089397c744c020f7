import OrderModel

extension Stage {
    /// The stage as an SQL string literal, for the store's statements: SQL names a stage through the
    /// `Stage` constants (`\(Stage.backOrder.sql)`), never as text typed into a query, so a renamed or
    /// mistyped stage is a compile error. (Migrations keep their literal text: a schema's history is frozen,
    /// and a partial index's WHERE must be written out for SQLite to match it.)
    package var sql: String { "'" + rawValue.replacingOccurrences(of: "'", with: "''") + "'" }
}
