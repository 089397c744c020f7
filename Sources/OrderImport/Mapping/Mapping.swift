/// A user-written description of one input feed: where its files arrive, how they are
/// laid out and which source column fills which engine field.
///
/// Mappings are how orderflow meets a legacy system's layout without a code change:
/// the engine only ever sees engine fields.
public struct Mapping: Sendable, Hashable {
    /// The mapping file's name without extension, e.g. `orders`.
    public var name: String
    /// Path of the mapping file, for messages.
    public var file: String
    public var feed: Feed
    /// Folder under `inbox/` that this mapping reads.
    public var inbox: String
    /// Glob for file names in that folder (`*`, `?`), e.g. `*.csv`.
    public var pattern: String
    public var csv: CSVParser.Options
    /// Whether the first record is a header row naming the columns.
    public var hasHeader: Bool
    /// Engine field name → where its value comes from.
    public var fields: [String: ColumnRef]
    /// Where in the mapping file each field is mapped, for messages.
    public var fieldLocations: [String: SourceLocation]

    public init(name: String, file: String, feed: Feed, inbox: String, pattern: String, csv: CSVParser.Options,
                hasHeader: Bool, fields: [String: ColumnRef], fieldLocations: [String: SourceLocation] = [:]) {
        self.name = name; self.file = file; self.feed = feed; self.inbox = inbox; self.pattern = pattern
        self.csv = csv; self.hasHeader = hasHeader; self.fields = fields; self.fieldLocations = fieldLocations
    }

    /// Whether a file name in the mapping's inbox folder belongs to it.
    public func matches(fileName: String) -> Bool { Glob.matches(pattern, fileName) }
}

/// A source column: by header name, or by 1-based position when the file has no header.
public enum ColumnRef: Sendable, Hashable, CustomStringConvertible {
    case name(String)
    case position(Int)
    public var description: String {
        switch self {
        case .name(let name): "column '\(name)'"
        case .position(let p): "column \(p)"
        }
    }
}

/// A line and column in a text file (1-based).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// Shell-style wildcard matching on file names: `*` any run, `?` one character.
public enum Glob {
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern.unicodeScalars), s = Array(name.unicodeScalars)
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == "?" || p[pi] == s[si] { pi += 1; si += 1 }
            else if pi < p.count, p[pi] == "*" { star = pi; mark = si; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; si = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
