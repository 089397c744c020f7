import GRDB

extension OrderDatabase {
    /// Who asked for each of these runs (`user:alice`, `tester`), for the runs a person asked for.
    public func requesters(ofRuns ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        return try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT run_id, requested_by FROM job_request WHERE run_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments(ids))
            return Dictionary(rows.map { ($0["run_id"] as Int64, $0["requested_by"] as String) }, uniquingKeysWith: { first, _ in first })
        }
    }
}
