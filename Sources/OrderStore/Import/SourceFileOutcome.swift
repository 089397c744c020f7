/// What became of an input file (`source_file.outcome`, a CHECK of the schema).
public enum SourceFileOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Its records are in the database; the file is archived.
    case imported
    /// The same bytes were imported before; the file is kept in failed/ with its reason.
    case duplicate
    /// It could not be imported (unreadable, refused whole, crashed the reader); kept in failed/ with its reason.
    case failed

    /// The outcome as an SQL string literal for the store's statements (see `Stage.sql`).
    package var sql: String { "'\(rawValue)'" }
}
