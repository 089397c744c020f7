import Foundation

/// A user-written description of one input feed: where its files arrive, how they are
/// laid out and how each engine field is made from the source.
///
/// Mappings are how orderflow meets a legacy system's layout without a code change:
/// the engine only ever sees engine fields, in canonical form (decimals with a point,
/// ISO 8601 dates), plus the custom fields the mapping defines.
public struct Mapping: Sendable {
    /// The mapping file's name without extension, e.g. `orders`.
    public var name: String
    /// Path of the mapping file, for messages.
    public var file: String
    public var feed: Feed
    /// Folder under `inbox/` that this mapping reads.
    public var inbox: String
    /// Glob for file names in that folder (`*`, `?`), e.g. `*.csv`.
    public var pattern: String
    public var format: Format
    /// Engine field name → how its value is made.
    public var fields: [String: FieldRule]
    /// Custom fields (`order.channel`, `customer.region`, ...) in the order declared.
    public var custom: [CustomField]
    /// Orders feed: a row with a blank order_ref continues the previous row's order, and blank
    /// header fields take the values of the order's first row.
    public var fillDown: Bool
    /// A file is taken only once its done-marker (`NAME.done` or `STEM.done`) is there; then only the marker is removed.
    public var doneMarker: Bool = false
    /// Rows (or XML line elements) that the mapping leaves out on purpose (`skip_when:`): counted and
    /// reported as skipped, never rejected, never imported.
    public var skipWhen: SkipCondition? = nil
    /// Where `skip_when:` is in the mapping file, for messages.
    public var skipWhenLocation: SourceLocation? = nil

    public enum Format: Sendable {
        case csv(CSVDialect)
        case xml(XMLLayout)
    }

    public init(name: String, file: String, feed: Feed, inbox: String, pattern: String, format: Format,
                fields: [String: FieldRule], custom: [CustomField] = [], fillDown: Bool = false) {
        self.name = name; self.file = file; self.feed = feed; self.inbox = inbox; self.pattern = pattern
        self.format = format; self.fields = fields; self.custom = custom; self.fillDown = fillDown
    }

    /// Whether a file name in the mapping's inbox folder belongs to it.
    public func matches(fileName: String) -> Bool { Glob.matches(pattern, fileName) }

    /// The CSV dialect, or the defaults for an XML mapping (whose numbers and dates still follow it).
    public var dialect: CSVDialect {
        if case .csv(let d) = format { return d }
        if case .xml(let x) = format { return x.values }
        return CSVDialect()
    }

}

/// How a CSV file is written: separators, quoting, header, encoding, number and date forms.
public struct CSVDialect: Sendable, Hashable {
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var quote: UInt8 = UInt8(ascii: "\"")
    /// An escape character inside quoted fields (e.g. backslash); nil means quotes are doubled.
    public var escape: UInt8? = nil
    public var hasHeader = true
    /// Physical lines to skip before the header (or the first record).
    public var skipLines = 0
    public var encoding: TextEncoding = .utf8
    /// Decimal separator in numbers (`.` or `,`).
    public var decimal: UInt8 = UInt8(ascii: ".")
    /// Thousands separator to ignore in numbers, if any.
    public var thousands: UInt8? = nil
    /// How dates are written; nil means ISO 8601 (YYYY-MM-DD or a date-time).
    public var dateFormat: DatePattern? = nil
    public init() {}

    public var parserOptions: CSVParser.Options {
        CSVParser.Options(delimiter: delimiter, quote: quote, escape: escape, skipLines: skipLines)
    }
}

/// How records are found in an XML file.
public struct XMLLayout: Sendable {
    /// The record element, as an absolute path (`/Orders/Order`) or a descendant step (`//Order`).
    public var record: RecordPath
    /// XPath (relative to the record) of the repeated line elements; each becomes one row, and
    /// field paths are then relative to the line element (header values are reached with `..`).
    public var lines: String?
    /// Prefix → namespace URI, for the record path and every XPath.
    public var namespaces: [String: String]
    /// Number and date forms of the values.
    public var values: CSVDialect
    /// The element steps of every absolute field path (`/cXML/Header/...`): elements outside the record
    /// on these paths are kept in memory while the file streams, so that each record can read them.
    public var kept: [[RecordPath.Step]] = []
    public init(record: RecordPath, lines: String?, namespaces: [String: String], values: CSVDialect) {
        self.record = record; self.lines = lines; self.namespaces = namespaces; self.values = values
    }
}

/// A path to record elements: a list of (namespace URI, local name) steps, anchored at the root or anywhere.
public struct RecordPath: Sendable, Hashable, CustomStringConvertible {
    public struct Step: Sendable, Hashable {
        public var namespace: String?
        public var localName: String
    }
    public var steps: [Step]
    /// `//a/b`: the steps may start at any depth.
    public var anywhere: Bool
    public var text: String
    public var description: String { text }

    /// Whether the open elements (root first) end in this path.
    public func matches(_ stack: [Step]) -> Bool {
        if anywhere {
            guard stack.count >= steps.count else { return false }
            return Array(stack.suffix(steps.count)) == steps
        }
        return stack == steps
    }
}

/// How one field's value is made: a source, then transforms, then checks.
public struct FieldRule: Sendable {
    public var source: FieldSource
    public var transforms: [Transform]
    public var checks: FieldChecks
    /// Where the rule is in the mapping file.
    public var location: SourceLocation
    /// The source column may be missing from a file's header (the value is then blank).
    public var optional = false
    public init(source: FieldSource, transforms: [Transform] = [], checks: FieldChecks = FieldChecks(), location: SourceLocation) {
        self.source = source; self.transforms = transforms; self.checks = checks; self.location = location
    }
}

/// Where a value comes from.
public enum FieldSource: Sendable {
    /// A CSV column by header name or 1-based position; for XML, an XPath.
    case column(ColumnRef)
    case xpath(String)
    /// A fixed value.
    case constant(String)
    /// Several sources joined with a separator (blank parts skipped).
    case concat([FieldSource], separator: String)
    /// Text with `{column}` (or `{xpath}`) placeholders.
    case template([TemplatePart])
    /// The first alternative whose value, after its own steps, is not blank (`first:`).
    case first([FieldRule])
    /// A row counter the file does not carry (`sequence:`): 1, 2, 3 per order, or per file.
    case sequence(SequenceScope)

    public enum TemplatePart: Sendable {
        case literal(String)
        case source(FieldSource)
    }

    /// Every column or XPath this source reads.
    public var references: [FieldSource] {
        switch self {
        case .column, .xpath: [self]
        case .constant, .sequence: []
        case .concat(let parts, _): parts.flatMap(\.references)
        case .first(let alternatives): alternatives.flatMap(\.source.references)
        case .template(let parts): parts.flatMap { part -> [FieldSource] in
            if case .source(let s) = part { return s.references }
            return []
        }
        }
    }
}

/// What a `sequence:` counts.
public enum SequenceScope: String, Sendable, CaseIterable {
    /// 1, 2, 3 for the rows of one order (orders feed), starting again at 1 when the order key changes.
    case perOrder = "per_order"
    /// 1, 2, 3 for the rows of the file that are read (skipped rows are not counted).
    case perFile = "per_file"
}

/// A CSV column: by header name, or by 1-based position.
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

/// One step of a field's pipeline, applied in the order written.
public enum Transform: Sendable {
    case trim
    case upper
    case lower
    /// A blank value becomes this.
    case defaultValue(String)
    /// Exact matches are replaced; anything else passes unchanged (or becomes `otherwise`).
    case map([String: String], otherwise: String?)
    /// The first capture group (or the whole match) of a regular expression; no match gives blank.
    case regex(RegexBox)
    /// A number in the dialect's form (decimal comma, thousands separators) to canonical `1234.56`.
    case number
    /// A date in this pattern to canonical ISO 8601.
    case date(DatePattern)
    /// Multiply a number (e.g. packs of 12 to units).
    case multiply(Decimal)
    /// Prefix or suffix.
    case prefix(String)
    case suffix(String)
}

/// A compiled regular expression that can be shared across threads (it is immutable).
public struct RegexBox: @unchecked Sendable {
    public let regex: NSRegularExpression
    public let pattern: String
}

/// When a row is skipped (`skip_when:`): tests on source values, combined with `all`, `any` and `not`.
///
/// A test reads a column (CSV) or a path (XML) as the file has it, trimmed: a mapping skips rows by
/// what the sender wrote, before any field is made, so that a skipped row can never be rejected.
public indirect enum SkipCondition: Sendable {
    case test(FieldSource, SkipTest)
    case all([SkipCondition])
    case any([SkipCondition])
    case not(SkipCondition)

    /// Every column or XPath the condition reads.
    public var references: [FieldSource] {
        switch self {
        case .test(let source, _): source.references
        case .all(let parts), .any(let parts): parts.flatMap(\.references)
        case .not(let inner): inner.references
        }
    }
}

/// One test of a `skip_when:` condition on a trimmed source value.
public enum SkipTest: Sendable {
    /// The value is blank.
    case blank
    /// The value is exactly this.
    case equals(String)
    /// The value is one of these.
    case oneOf([String])
    /// The regular expression matches somewhere in the value (anchor it with ^ and $ for the whole value).
    case matches(RegexBox)
}

/// Checks on a field's final value, beyond what the engine field itself requires.
public struct FieldChecks: Sendable {
    public var required = false
    public var allowed: [String]? = nil
    public var min: Decimal? = nil
    public var max: Decimal? = nil
    public var maxLength: Int? = nil
    public init() {}
}

/// A field the user defines: stored with the entity, shown by `order REF`, tested by rules by name.
public struct CustomField: Sendable {
    /// `order`, `line`, `customer`, `product`, ...
    public var entity: String
    public var name: String
    public var kind: FieldKind
    public var rule: FieldRule
    public var qualifiedName: String { "\(entity).\(name)" }
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
