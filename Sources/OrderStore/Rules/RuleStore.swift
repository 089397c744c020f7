import GRDB
import OrderModel

/// What the last cycles recorded of the pipeline, for `orderflow rules`: the counts of the last finished
/// cycle (by step) and each rule's last run.
public struct PipelineRecord: Sendable, Hashable {
    /// A rule's last run: the orders it matched and those it acted on.
    public struct RuleRun: Sendable, Hashable {
        public var matched: Int
        public var acted: Int
    }

    /// The last finished cycle's counts, as the JSON text it stored; nil before any cycle finished.
    public var lastCycleSummaryJSON: String?
    /// By rule name; a rule that never ran has no entry.
    public var ruleRuns: [String: RuleRun]
}

extension OrderDatabase {
    /// The last finished cycle's counts and the last run of each of `rules`, read in one snapshot.
    public func pipelineRecord(rules: [String]) throws -> PipelineRecord {
        try writer.read { db in
            let summary = try String.fetchOne(db, sql: "SELECT summary FROM cycle WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1")
            let lastRun = try db.makeStatement(sql: "SELECT matched, acted FROM rule_run WHERE rule = ? ORDER BY id DESC LIMIT 1")
            var runs: [String: PipelineRecord.RuleRun] = [:]
            for rule in rules {
                guard let row = try Row.fetchOne(lastRun, arguments: [rule]) else { continue }
                runs[rule] = PipelineRecord.RuleRun(matched: row["matched"], acted: row["acted"])
            }
            return PipelineRecord(lastCycleSummaryJSON: summary, ruleRuns: runs)
        }
    }
}

extension StoreTransaction {
    /// The order date of order `ref` as stored (the text the file gave), for showing it as `orders` does;
    /// nil for an unknown order. Prepared once per connection: a search asks it for every match.
    public func storedOrderDate(of ref: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT order_date FROM sales_order WHERE order_ref = ?"), arguments: [ref])
    }
}
