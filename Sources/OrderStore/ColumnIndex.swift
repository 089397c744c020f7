import GRDB

/// The positions of a query's result columns, looked up by name once per query.
///
/// GRDB's `row["name"]` compares the name with every column name, case-insensitively, on each
/// access; in loops over a few hundred thousand rows that comparison cost more than the query.
/// Loops over many rows read `row[columns.quantity]` instead: a name still, resolved by a hash.
@dynamicMemberLookup
package struct ColumnIndex {
    private let positions: [String: Int]

    package init(_ statement: Statement) {
        var positions: [String: Int] = [:]
        for (i, name) in statement.columnNames.enumerated() where positions[name] == nil { positions[name] = i }
        self.positions = positions
    }

    package subscript(_ name: String) -> Int {
        guard let i = positions[name] else { preconditionFailure("no column \(name) in the query") }
        return i
    }

    package subscript(dynamicMember name: String) -> Int { self[name] }
}
