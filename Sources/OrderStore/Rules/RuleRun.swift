import GRDB

/// A row of `rule_run`: what one process rule did in one cycle (`orderflow rules` shows the last one).
public struct RuleRun: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "rule_run"

    public var id: Int64?
    public var cycleID: Int64?
    public var rule: String
    /// The orders it matched.
    public var matched: Int
    /// The lines or orders it acted on.
    public var acted: Int
    /// When (ISO 8601).
    public var at: String

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let cycleID = Column(CodingKeys.cycleID)
        public static let rule = Column(CodingKeys.rule)
        public static let matched = Column(CodingKeys.matched)
        public static let acted = Column(CodingKeys.acted)
        public static let at = Column(CodingKeys.at)
    }

    enum CodingKeys: String, CodingKey {
        case id, cycleID = "cycle_id", rule, matched, acted, at
    }

    public init(id: Int64? = nil, cycleID: Int64?, rule: String, matched: Int, acted: Int, at: String) {
        self.id = id; self.cycleID = cycleID; self.rule = rule; self.matched = matched; self.acted = acted; self.at = at
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
