import OrderRules

/// One value an output mapping writes (a CSV column, a fixed-width field, an XML text or attribute,
/// a part of a file name), written in the rule language so that what rules can read, outputs can write.
///
/// A header expression sees the document's own entities, its order and customer, and the lines only
/// through `sum`, `count`, `any line:`; a row expression sees one row's line and product as well.
public struct OutputExpression: Sendable {
    public let source: String
    public let perRow: Bool
    let rule: Rule

    /// - Throws: `RuleError` with the offset of the mistake in `source` (the caller locates it in its file).
    public init(_ source: String, perRow: Bool, catalog: FieldCatalog) throws(RuleError) {
        self.source = source
        self.perRow = perRow
        rule = try Rule(value: source, scope: perRow ? .line : .order, catalog: catalog)
    }

    /// The fields the expression reads, as `entity.name`.
    public var fields: Set<String> { rule.fields }

    /// Whether it reads the order's lines together (`sum`, `count lines`, `any line:`), not only its row's.
    public var readsLines: Bool { rule.readsLines }

    /// The value for the document as a whole.
    public func value(header: OrderFacts, today: Int64) -> Value {
        rule.value(header, today: today)
    }

    /// The context of one row, for `value(in:)`: built once, read by every column of the row.
    public static func context(row: OutputRow, today: Int64) -> EvaluationContext {
        EvaluationContext(order: row.order, line: row.line, today: today)
    }

    /// The compiled expression alone (see `Rule.evaluator`), to call with a context `context(row:today:)` built.
    public var evaluator: @Sendable (EvaluationContext) -> Value { rule.evaluator }

    /// The value in a context `context(row:today:)` built.
    public func value(in context: EvaluationContext) -> Value {
        rule.value(in: context)
    }

    /// The value for one row.
    public func value(row: OutputRow, today: Int64) -> Value {
        rule.value(row.order, line: row.line, today: today)
    }
}
