import GRDB

/// A row of `rule_output`: an order (or one of its lines) a rule with an output action has written to an
/// outbox file, so the rule never writes it again.
public struct RuleOutput: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rule_output"

    public var rule: String
    public var orderID: Int64
    /// The line written, 0 for an order-scoped rule's row.
    public var lineID: Int64
    public var outboxFileID: Int64?

    public enum Columns {
        public static let rule = Column(CodingKeys.rule)
        public static let orderID = Column(CodingKeys.orderID)
        public static let lineID = Column(CodingKeys.lineID)
        public static let outboxFileID = Column(CodingKeys.outboxFileID)
    }

    enum CodingKeys: String, CodingKey {
        case rule, orderID = "order_id", lineID = "line_id", outboxFileID = "outbox_file_id"
    }

    public init(rule: String, orderID: Int64, lineID: Int64, outboxFileID: Int64?) {
        self.rule = rule; self.orderID = orderID; self.lineID = lineID; self.outboxFileID = outboxFileID
    }
}
