import Foundation
import Yams

/// Reads `mappings/*.yaml` into `Mapping`s, reporting every mistake with its line and column.
///
/// The YAML is walked as a node tree (not decoded) so that each key and value keeps
/// its position: a user who mistypes a field name, a date pattern or an XPath is told
/// exactly where. The language is documented in the README ("Mappings").
public struct MappingLoader: Sendable {
    public init() {}

    /// Loads every `*.yaml`/`*.yml` in `folder`, sorted by name. Throws all errors found, not just the first.
    public func loadFolder(_ folder: URL) throws(MappingErrors) -> [Mapping] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw MappingErrors(errors: [MappingError(file: folder.path, location: nil,
                message: "cannot read the mappings folder (create it with 'orderflow init')")])
        }
        var mappings: [Mapping] = []
        var errors: [MappingError] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let url = folder.appendingPathComponent(name)
            do {
                let text = try String(contentsOf: url, encoding: .utf8)
                mappings.append(try load(yaml: text, file: "mappings/\(name)", name: (name as NSString).deletingPathExtension))
            } catch let error as MappingError {
                errors.append(error)
            } catch {
                errors.append(MappingError(file: "mappings/\(name)", location: nil, message: "cannot read the file as UTF-8 text"))
            }
        }
        if mappings.isEmpty && errors.isEmpty {
            errors.append(MappingError(file: folder.path, location: nil,
                message: "no mapping files (*.yaml) found; run 'orderflow init' to create the standard ones"))
        }
        // Two mappings reading the same folder must not both claim a file name.
        for (i, a) in mappings.enumerated() {
            for b in mappings[(i + 1)...] where a.inbox == b.inbox && a.pattern == b.pattern {
                errors.append(MappingError(file: b.file, location: nil,
                    message: "reads inbox/\(b.inbox)/\(b.pattern) like \(a.file); give one of them another inbox or pattern"))
            }
        }
        guard errors.isEmpty else { throw MappingErrors(errors: errors) }
        return mappings
    }

    /// Parses one mapping file's text.
    public func load(yaml: String, file: String, name: String) throws(MappingError) -> Mapping {
        try Parser(file: file).mapping(yaml: yaml, name: name)
    }
}

/// All the mistakes found in the mappings folder.
public struct MappingErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [MappingError]
    public init(errors: [MappingError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The walk over one mapping file's YAML nodes.
private struct Parser {
    let file: String

    func fail(_ node: Node?, _ message: String) -> MappingError {
        MappingError(file: file, location: node.map(location), message: message)
    }

    func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(line: 1, column: 1) }
        return SourceLocation(line: mark.line, column: mark.column)
    }

    /// The entries of a YAML mapping node, rejecting keys not in `known`.
    func entries(_ node: Node, _ what: String, known: [String]) throws(MappingError) -> [(String, Node, Node)] {
        guard let map = node.mapping else { throw fail(node, "'\(what)' must be a mapping of keys (\(known.joined(separator: ", ")))") }
        var out: [(String, Node, Node)] = []
        for (key, value) in map {
            guard let k = key.string, known.contains(k) else {
                throw fail(key, "unknown key '\(key.string ?? "?")' in \(what); expected one of \(known.joined(separator: ", "))")
            }
            out.append((k, key, value))
        }
        return out
    }

    func string(_ node: Node, _ what: String) throws(MappingError) -> String {
        guard let s = node.scalar?.string else { throw fail(node, "'\(what)' must be a single value") }
        return s
    }

    func bool(_ node: Node, _ what: String) throws(MappingError) -> Bool {
        guard let b = node.bool else { throw fail(node, "'\(what)' must be true or false; found '\(node.scalar?.string ?? "?")'") }
        return b
    }

    func int(_ node: Node, _ what: String, min: Int) throws(MappingError) -> Int {
        guard let i = node.int, i >= min else {
            throw fail(node, "'\(what)' must be a whole number from \(min); found '\(node.scalar?.string ?? "?")'")
        }
        return i
    }

    func decimal(_ node: Node, _ what: String) throws(MappingError) -> Decimal {
        guard let s = node.scalar?.string, let d = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")), !s.isEmpty else {
            throw fail(node, "'\(what)' must be a number such as 12 or 0.5; found '\(node.scalar?.string ?? "?")'")
        }
        return d
    }

    func character(_ node: Node, _ what: String, allowBlank: Bool = false) throws(MappingError) -> UInt8? {
        let text = try string(node, what)
        let value: String = switch text.lowercased() {
        case "\\t", "tab": "\t"
        case "pipe": "|"
        case "semicolon": ";"
        case "comma": ","
        case "space": " "
        case "none", "": ""
        default: text
        }
        if value.isEmpty && allowBlank { return nil }
        guard value.utf8.count == 1, let byte = value.utf8.first, byte != 10, byte != 13 else {
            throw fail(node, "'\(what)' must be one ASCII character (or tab, pipe, semicolon, comma); found '\(text)'")
        }
        return byte
    }

    /// A character that may not be left blank (a delimiter, a quote, a decimal separator).
    func requiredCharacter(_ node: Node, _ what: String) throws(MappingError) -> UInt8 {
        guard let byte = try character(node, what) else {
            throw fail(node, "'\(what)' must be one ASCII character (or tab, pipe, semicolon, comma); found nothing")
        }
        return byte
    }

    func datePattern(_ node: Node, _ what: String) throws(MappingError) -> DatePattern {
        let text = try string(node, what)
        do {
            return try DatePattern(text)
        } catch {
            var at = location(node)
            at.column += error.offset + (node.scalar?.style == .plain ? 0 : 1)
            throw MappingError(file: file, location: at, message: "bad date pattern '\(text)': \(error.message)")
        }
    }

    func mapping(yaml: String, name: String) throws(MappingError) -> Mapping {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw fail(nil, "the file is empty; expected 'feed:', 'inbox:' and 'fields:'")
            }
            root = node
        } catch let error as MappingError {
            throw error
        } catch let error as YamlError {
            throw MappingError(file: file, location: YAMLNodes.location(of: error), message: "not valid YAML: \(YAMLNodes.summary(of: error))")
        } catch {
            throw fail(nil, "not valid YAML: \(error)")
        }
        let top = try entries(root, "the mapping", known: ["feed", "inbox", "pattern", "format", "csv", "xml", "fields", "fill_down",
                                                           "done_marker", "description", "skip_when"])
        func value(_ key: String) -> (Node, Node)? { top.first { $0.0 == key }.map { ($0.1, $0.2) } }

        guard let (feedKey, feedNode) = value("feed") else {
            throw fail(nil, "missing 'feed:'; expected one of \(Feed.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = feedKey
        let feedText = try string(feedNode, "feed")
        guard let feed = Feed(rawValue: feedText) else {
            throw fail(feedNode, "unknown feed '\(feedText)'; expected one of \(Feed.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var inbox = feed.rawValue
        if let (_, node) = value("inbox") {
            inbox = try string(node, "inbox")
            if inbox.isEmpty || inbox.contains("/") || inbox.contains("\\") || inbox.hasPrefix(".") {
                throw fail(node, "'inbox' must be a plain folder name under inbox/ (found '\(inbox)')")
            }
        }
        var formatName = "csv"
        if let (_, node) = value("format") {
            formatName = try string(node, "format")
            guard formatName == "csv" || formatName == "xml" else { throw fail(node, "unknown format '\(formatName)'; expected csv or xml") }
        } else if value("xml") != nil {
            formatName = "xml"
        }
        var pattern = formatName == "xml" ? "*.xml" : "*.csv"
        if let (_, node) = value("pattern") { pattern = try string(node, "pattern") }

        var fillDown = false
        if let (_, node) = value("fill_down") {
            fillDown = try bool(node, "fill_down")
            if fillDown && feed != .orders { throw fail(node, "'fill_down' applies to the orders feed only") }
        }

        let format: Mapping.Format
        if formatName == "csv" {
            if let (key, _) = value("xml") { throw fail(key, "'xml' options need 'format: xml'") }
            var dialect = CSVDialect()
            if let (_, node) = value("csv") {
                for (k, _, v) in try entries(node, "csv", known: ["delimiter", "quote", "escape", "header", "skip_lines", "encoding",
                                                                  "decimal", "thousands", "date_format", "fill_down"]) {
                    switch k {
                    case "delimiter": dialect.delimiter = try requiredCharacter(v, "delimiter")
                    case "quote": dialect.quote = try requiredCharacter(v, "quote")
                    case "escape": dialect.escape = try character(v, "escape", allowBlank: true)
                    case "header": dialect.hasHeader = try bool(v, "header")
                    case "skip_lines": dialect.skipLines = try int(v, "skip_lines", min: 0)
                    case "fill_down":
                        fillDown = try bool(v, "fill_down")
                        if fillDown && feed != .orders { throw fail(v, "'fill_down' applies to the orders feed only") }
                    default: try values(k, v, into: &dialect)
                    }
                }
            }
            if dialect.decimal == dialect.delimiter {
                throw fail(value("csv")?.1, "the decimal separator cannot also be the delimiter")
            }
            format = .csv(dialect)
        } else {
            if let (key, _) = value("csv") { throw fail(key, "'csv' options need 'format: csv'") }
            guard let (_, node) = value("xml") else {
                throw fail(nil, "an XML mapping needs 'xml:' with at least 'record:' (the path of the record element)")
            }
            var recordNode: Node? = nil, linesNode: Node? = nil
            var namespaces: [String: String] = [:]
            var dialect = CSVDialect()
            for (k, _, v) in try entries(node, "xml", known: ["record", "lines", "namespaces", "decimal", "thousands", "date_format", "encoding"]) {
                switch k {
                case "record": recordNode = v
                case "lines": linesNode = v
                case "namespaces":
                    guard let map = v.mapping else { throw fail(v, "'namespaces' must map prefixes to namespace URIs") }
                    for (prefix, uri) in map {
                        guard let p = prefix.string, !p.isEmpty, p.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
                              let u = uri.string, !u.isEmpty else {
                            throw fail(prefix, "each namespace needs a prefix (letters, digits) and a URI")
                        }
                        namespaces[p] = u
                    }
                case "encoding": throw fail(v, "an XML file declares its own encoding; remove 'encoding'")
                default: try values(k, v, into: &dialect)
                }
            }
            guard let recordNode else { throw fail(node, "'xml' needs 'record:', the path of the record element (e.g. /Orders/Order)") }
            let record = try recordPath(recordNode, namespaces: namespaces)
            var lines: String? = nil
            if let linesNode {
                let text = try string(linesNode, "lines")
                try XPathCheck.validate(text, namespaces: namespaces, file: file, at: location(linesNode))
                lines = text
            }
            format = .xml(XMLLayout(record: record, lines: lines, namespaces: namespaces, values: dialect))
        }

        guard let (_, fieldsNode) = value("fields") else {
            throw fail(nil, "missing 'fields:', the map from engine fields to their sources")
        }
        guard let fieldsMap = fieldsNode.mapping else {
            throw fail(fieldsNode, "'fields' must map engine fields to their sources")
        }
        let isXML = formatName == "xml"
        let hasHeader: Bool = if case .csv(let d) = format { d.hasHeader } else { true }
        let namespaces: [String: String] = if case .xml(let x) = format { x.namespaces } else { [:] }
        let specs = Dictionary(uniqueKeysWithValues: feed.fields.map { ($0.name, $0) })
        var fields: [String: FieldRule] = [:]
        var custom: [CustomField] = []
        let record: RecordPath? = if case .xml(let x) = format { x.record } else { nil }
        let context = RuleContext(isXML: isXML, hasHeader: hasHeader, namespaces: namespaces, record: record, feed: feed)
        for (key, node) in fieldsMap {
            guard let target = key.string else { throw fail(key, "a field name must be text") }
            if target.contains(".") {
                let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2, feed.customEntities.contains(parts[0]), Self.isIdentifier(parts[1]) else {
                    throw fail(key, "custom field '\(target)': expected \(feed.customEntities.map { "\($0).NAME" }.joined(separator: " or ")) with NAME of letters, digits and _ (feed \(feed.rawValue))")
                }
                if specs[parts[1]] != nil && parts[0] != "line" {
                    throw fail(key, "custom field '\(target)' has the name of an engine field; choose another name")
                }
                var kind = FieldKind.text
                let rule = try fieldRule(node, target: target, key: key, context: context) { (k, v) throws(MappingError) in
                    guard k == "type" else { return false }
                    let t = try string(v, "type")
                    guard let parsed = FieldKind(rawValue: t), parsed != .code else {
                        throw fail(v, "custom field type '\(t)': expected text, integer, decimal, date or flag")
                    }
                    kind = parsed
                    return true
                }
                custom.append(CustomField(entity: parts[0], name: parts[1], kind: kind, rule: rule))
                continue
            }
            guard specs[target] != nil else {
                throw fail(key, "unknown field '\(target)' for feed \(feed.rawValue); expected one of \(feed.fields.map(\.name).joined(separator: ", ")), or a custom field such as \(feed.customEntities[0]).NAME")
            }
            fields[target] = try fieldRule(node, target: target, key: key, context: context) { _, _ throws(MappingError) in false }
        }
        let missing = feed.fields.filter { $0.required && fields[$0.name] == nil }.map(\.name)
        if !missing.isEmpty {
            throw fail(fieldsNode, "feed \(feed.rawValue) needs a source for \(missing.joined(separator: ", "))")
        }
        var mapping = Mapping(name: name, file: file, feed: feed, inbox: inbox, pattern: pattern, format: format,
                              fields: fields, custom: custom, fillDown: fillDown)
        if let (_, node) = value("done_marker") { mapping.doneMarker = try bool(node, "done_marker") }
        if let (key, node) = value("skip_when") {
            mapping.skipWhen = try skipCondition(node, context: context)
            mapping.skipWhenLocation = location(key)
        }
        if case .xml(var layout) = mapping.format {
            // The elements outside the record that absolute paths read are kept while the file streams.
            let sources = (fields.values.map(\.source) + custom.map(\.rule.source)).flatMap(\.references)
                + (mapping.skipWhen?.references ?? [])
            for case .xpath(let path) in sources where path.hasPrefix("/") {
                if let steps = XPathCheck.absoluteSteps(path, namespaces: namespaces), !layout.kept.contains(steps) {
                    layout.kept.append(steps)
                }
            }
            mapping.format = .xml(layout)
        }
        return mapping
    }

    /// Number and date options shared by CSV and XML.
    func values(_ key: String, _ node: Node, into dialect: inout CSVDialect) throws(MappingError) {
        switch key {
        case "encoding":
            let text = try string(node, "encoding")
            guard let e = TextEncoding(name: text) else {
                throw fail(node, "unknown encoding '\(text)'; expected \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            dialect.encoding = e
        case "decimal":
            let c = try requiredCharacter(node, "decimal")
            guard c == UInt8(ascii: ".") || c == UInt8(ascii: ",") else { throw fail(node, "'decimal' must be . or ,") }
            dialect.decimal = c
        case "thousands":
            dialect.thousands = try character(node, "thousands", allowBlank: true)
        case "date_format":
            dialect.dateFormat = try datePattern(node, "date_format")
        default:
            break
        }
        if let t = dialect.thousands, t == dialect.decimal { throw fail(node, "the thousands separator cannot be the decimal separator") }
    }

    struct RuleContext {
        var isXML: Bool
        var hasHeader: Bool
        var namespaces: [String: String]
        /// XML: the record path, against which absolute paths are checked.
        var record: RecordPath?
        var feed: Feed
    }

    /// `skip_when:` — one test (`column:`/`path:` with `blank`, `equals`, `in` or `matches`), or `all:`, `any:`, `not:`.
    func skipCondition(_ node: Node, context: RuleContext) throws(MappingError) -> SkipCondition {
        let what = "skip_when"
        let sourceKey = context.isXML ? "path" : "column"
        let known = ["all", "any", "not", sourceKey, "blank", "equals", "in", "matches"]
        let parts = try entries(node, what, known: known)
        if let (k, keyNode, v) = parts.first(where: { ["all", "any", "not"].contains($0.0) }) {
            guard parts.count == 1 else { throw fail(keyNode, "'\(k)' stands alone in its condition; put other tests in its list") }
            if k == "not" { return .not(try skipCondition(v, context: context)) }
            guard let seq = v.sequence, !seq.isEmpty else { throw fail(v, "'\(k)' must be a list of conditions, e.g. [{\(sourceKey): X, blank: true}]") }
            var list: [SkipCondition] = []
            for item in seq { list.append(try skipCondition(item, context: context)) }
            return k == "all" ? .all(list) : .any(list)
        }
        guard let (_, _, sourceNode) = parts.first(where: { $0.0 == sourceKey }) else {
            throw fail(node, "a skip_when test names its '\(sourceKey)' and one of blank, equals, in, matches (or combine tests with all, any, not)")
        }
        let source = try bareSource(sourceNode, target: what, context: context)
        let tests = parts.filter { $0.0 != sourceKey }
        guard tests.count == 1, let (k, _, v) = tests.first else {
            throw fail(node, "a skip_when test has exactly one of blank, equals, in, matches beside its '\(sourceKey)'")
        }
        switch k {
        case "blank":
            guard try bool(v, "blank") else { return .not(.test(source, .blank)) }
            return .test(source, .blank)
        case "equals": return .test(source, .equals(try string(v, "equals")))
        case "in":
            guard let seq = v.sequence, !seq.isEmpty else { throw fail(v, "'in' must be a list of values, e.g. [Tip, Gift wrap]") }
            var list: [String] = []
            for item in seq { list.append(try string(item, "in")) }
            return .test(source, .oneOf(list))
        default:
            let pattern = try string(v, "matches")
            do {
                return .test(source, .matches(RegexBox(regex: try NSRegularExpression(pattern: pattern), pattern: pattern)))
            } catch {
                throw fail(v, "bad regular expression '\(pattern)'")
            }
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
    }

    /// A source written as a bare value: a column (CSV) or an XPath (XML).
    func bareSource(_ node: Node, target: String, context: RuleContext) throws(MappingError) -> FieldSource {
        guard let scalar = node.scalar else { throw fail(node, "field '\(target)' must name a source, or be a mapping with column/path/value") }
        if context.isXML {
            try XPathCheck.validate(scalar.string, namespaces: context.namespaces, file: file, at: location(node))
            if scalar.string.hasPrefix("/") {
                try XPathCheck.validateAbsolute(scalar.string, namespaces: context.namespaces, record: context.record,
                                                file: file, at: location(node))
            }
            return .xpath(scalar.string)
        }
        if let position = Int(scalar.string), scalar.style == .plain {
            guard position >= 1 else { throw fail(node, "field '\(target)': column numbers start at 1") }
            return .column(.position(position))
        }
        guard context.hasHeader else {
            throw fail(node, "field '\(target)': found '\(scalar.string)', expected a column number from 1 (the file has no header)")
        }
        guard !scalar.string.isEmpty else { throw fail(node, "field '\(target)' names an empty column") }
        return .column(.name(scalar.string))
    }

    func fieldRule(_ node: Node, target: String, key: Node, context: RuleContext,
                   extra: (String, Node) throws(MappingError) -> Bool) throws(MappingError) -> FieldRule {
        let at = location(key)
        if node.mapping == nil {
            return FieldRule(source: try bareSource(node, target: target, context: context), location: at)
        }
        let shorthand = ["trim", "upper", "lower", "regex", "map", "otherwise", "default", "number", "date", "multiply", "prefix", "suffix"]
        let known = ["column", "path", "value", "concat", "separator", "template", "steps", "required", "allowed", "min", "max",
                     "max_length", "type", "optional", "first", "sequence"] + shorthand
        var source: FieldSource? = nil
        var sourceCount = 0
        var separator = " "
        var concatNode: Node? = nil
        var steps: [Transform] = []
        var stepsNode: Node? = nil
        var short: [String: Node] = [:]
        var checks = FieldChecks()
        var optional = false
        for (k, keyNode, v) in try entries(node, "field '\(target)'", known: known) {
            if try extra(k, v) { continue }
            switch k {
            case "optional": optional = try bool(v, "optional")
            case "column":
                guard !context.isXML else { throw fail(keyNode, "field '\(target)': an XML mapping reads 'path', not 'column'") }
                source = try bareSource(v, target: target, context: context); sourceCount += 1
            case "path":
                guard context.isXML else { throw fail(keyNode, "field '\(target)': a CSV mapping reads 'column', not 'path'") }
                source = try bareSource(v, target: target, context: context); sourceCount += 1
            case "value":
                source = .constant(try string(v, "value")); sourceCount += 1
            case "concat":
                concatNode = v; sourceCount += 1
            case "separator":
                separator = try string(v, "separator")
            case "template":
                source = try template(v, target: target, context: context); sourceCount += 1
            case "first":
                source = try alternatives(v, target: target, context: context); sourceCount += 1
            case "sequence":
                let text = try string(v, "sequence")
                guard let scope = SequenceScope(rawValue: text) else {
                    throw fail(v, "'sequence' counts per_order or per_file; found '\(text)'")
                }
                if scope == .perOrder && context.feed != .orders {
                    throw fail(v, "'sequence: per_order' needs the orders feed (it counts the rows of each order); use per_file")
                }
                source = .sequence(scope); sourceCount += 1
            case "steps":
                stepsNode = v
            case "required": checks.required = try bool(v, "required")
            case "allowed":
                guard let seq = v.sequence else { throw fail(v, "'allowed' must be a list of values, e.g. [A, B]") }
                var list: [String] = []
                for item in seq { list.append(try string(item, "allowed")) }
                checks.allowed = list
            case "min": checks.min = try decimal(v, "min")
            case "max": checks.max = try decimal(v, "max")
            case "max_length": checks.maxLength = try int(v, "max_length", min: 1)
            case "type": throw fail(keyNode, "'type' is for custom fields only; engine field '\(target)' has a fixed type")
            default: short[k] = v
            }
        }
        if let concatNode {
            guard let seq = concatNode.sequence, !seq.isEmpty else { throw fail(concatNode, "'concat' must be a list of sources, e.g. [first_name, last_name]") }
            var parts: [FieldSource] = []
            for item in seq { parts.append(try bareSource(item, target: target, context: context)) }
            source = .concat(parts, separator: separator)
        }
        guard sourceCount <= 1 else { throw fail(key, "field '\(target)' has more than one source; use one of column/path, value, concat, template, first, sequence") }
        if let stepsNode {
            guard short.isEmpty else {
                throw fail(stepsNode, "field '\(target)': write its transforms either as 'steps:' or as keys (trim, map, ...), not both")
            }
            guard let seq = stepsNode.sequence else { throw fail(stepsNode, "'steps' must be a list, e.g. [trim, upper]") }
            for item in seq { steps.append(contentsOf: try step(item, target: target)) }
        } else {
            // Shorthand keys apply in a fixed order: trim, regex, case, map, default, number, date, multiply, affixes.
            for name in ["trim", "regex", "upper", "lower", "map", "default", "number", "date", "multiply", "prefix", "suffix"] {
                guard let v = short[name] else { continue }
                if name == "map" {
                    steps.append(try mapStep(v, otherwise: short["otherwise"], target: target))
                } else {
                    steps.append(contentsOf: try step(name, v, target: target))
                }
            }
            if let o = short["otherwise"], short["map"] == nil { throw fail(o, "'otherwise' goes with 'map'") }
        }
        guard let source = source ?? (steps.contains { if case .defaultValue = $0 { true } else { false } } ? .constant("") : nil) else {
            throw fail(key, "field '\(target)' has no source; give column\(context.isXML ? "/path" : ""), value, concat, template, first or sequence")
        }
        var rule = FieldRule(source: source, transforms: steps, checks: checks, location: at)
        rule.optional = optional
        return rule
    }

    /// `first: [a, {column: b, date: dd/MM/yyyy}]`: alternatives, each a bare source or one source with its own steps.
    func alternatives(_ node: Node, target: String, context: RuleContext) throws(MappingError) -> FieldSource {
        guard let seq = node.sequence, seq.count >= 2 else {
            throw fail(node, "'first' must be a list of at least two sources, e.g. [Received, {column: Delivered, date: dd/MM/yyyy}]")
        }
        var rules: [FieldRule] = []
        for item in seq {
            // One source and its steps: checks (required, allowed, ...) go on the field, after the choice.
            if item.mapping != nil { _ = try entries(item, "an alternative of field '\(target)'", known: Self.alternativeKeys) }
            rules.append(try fieldRule(item, target: target, key: item, context: context) { _, _ throws(MappingError) in false })
        }
        return .first(rules)
    }

    /// What an alternative of `first:` may hold: one source and its steps; checks go on the field itself.
    static let alternativeKeys = ["column", "path", "value", "concat", "separator", "template", "steps", "optional",
                                  "trim", "upper", "lower", "regex", "map", "otherwise", "default", "number", "date",
                                  "multiply", "prefix", "suffix"]

    func template(_ node: Node, target: String, context: RuleContext) throws(MappingError) -> FieldSource {
        let text = try string(node, "template")
        var parts: [FieldSource.TemplatePart] = []
        var literal = ""
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "{" {
                guard let close = text[i...].firstIndex(of: "}") else { throw fail(node, "template '\(text)': a '{' is never closed") }
                let name = String(text[text.index(after: i)..<close])
                guard !name.isEmpty else { throw fail(node, "template '\(text)': empty {}") }
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                if context.isXML {
                    try XPathCheck.validate(name, namespaces: context.namespaces, file: file, at: location(node))
                    if name.hasPrefix("/") {
                        try XPathCheck.validateAbsolute(name, namespaces: context.namespaces, record: context.record,
                                                        file: file, at: location(node))
                    }
                    parts.append(.source(.xpath(name)))
                } else if let p = Int(name) {
                    guard p >= 1 else { throw fail(node, "template '\(text)': {\(name)}: column numbers start at 1") }
                    parts.append(.source(.column(.position(p))))
                } else {
                    parts.append(.source(.column(.name(name))))
                }
                i = text.index(after: close)
            } else {
                literal.append(text[i])
                i = text.index(after: i)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return .template(parts)
    }

    /// One entry of a `steps:` list: a bare name (`trim`) or a one-key mapping (`default: X`).
    func step(_ node: Node, target: String) throws(MappingError) -> [Transform] {
        if let name = node.scalar?.string {
            switch name {
            case "trim": return [.trim]
            case "upper": return [.upper]
            case "lower": return [.lower]
            case "number": return [.number]
            default: throw fail(node, "unknown step '\(name)'; expected trim, upper, lower, number, or one of default, map, regex, date, multiply, prefix, suffix with a value")
            }
        }
        guard let map = node.mapping, let (k, v) = map.first, let name = k.string else {
            throw fail(node, "a step is a name (trim) or one key with its value (default: X)")
        }
        if name == "map" {
            let otherwise = map.count == 2 ? map.first(where: { $0.key.string == "otherwise" })?.value : nil
            guard map.count == 1 || otherwise != nil else { throw fail(node, "a step has one key (only 'map' may add 'otherwise')") }
            return [try mapStep(v, otherwise: otherwise, target: target)]
        }
        guard map.count == 1 else { throw fail(node, "a step has one key, e.g. - default: ACCOUNT") }
        return try step(name, v, target: target, keyNode: k)
    }

    func step(_ name: String, _ v: Node, target: String, keyNode: Node? = nil) throws(MappingError) -> [Transform] {
        switch name {
        case "trim", "upper", "lower", "number":
            guard try bool(v, name) else { return [] }
            return [name == "trim" ? .trim : name == "upper" ? .upper : name == "lower" ? .lower : .number]
        case "default": return [.defaultValue(try string(v, "default"))]
        case "prefix": return [.prefix(try string(v, "prefix"))]
        case "suffix": return [.suffix(try string(v, "suffix"))]
        case "multiply": return [.multiply(try decimal(v, "multiply"))]
        case "date": return [.date(try datePattern(v, "date"))]
        case "regex":
            let pattern = try string(v, "regex")
            do {
                return [.regex(RegexBox(regex: try NSRegularExpression(pattern: pattern), pattern: pattern))]
            } catch {
                throw fail(v, "bad regular expression '\(pattern)'")
            }
        case "map": return [try mapStep(v, otherwise: nil, target: target)]
        default:
            throw fail(keyNode ?? v, "unknown step '\(name)'; expected trim, upper, lower, number, default, map, regex, date, multiply, prefix or suffix")
        }
    }

    func mapStep(_ node: Node, otherwise: Node?, target: String) throws(MappingError) -> Transform {
        guard let map = node.mapping else { throw fail(node, "'map' must map source values to engine values, e.g. {Y: \"true\", N: \"false\"}") }
        var table: [String: String] = [:]
        for (k, v) in map {
            guard let from = k.scalar?.string, let to = v.scalar?.string else { throw fail(k, "each map entry is 'source value: engine value'") }
            table[from] = to
        }
        return .map(table, otherwise: try otherwise.map { (n: Node) throws(MappingError) -> String in try string(n, "otherwise") })
    }

    func recordPath(_ node: Node, namespaces: [String: String]) throws(MappingError) -> RecordPath {
        let text = try string(node, "record")
        var rest = Substring(text)
        var anywhere = false
        if rest.hasPrefix("//") { anywhere = true; rest = rest.dropFirst(2) }
        else if rest.hasPrefix("/") { rest = rest.dropFirst() }
        else { anywhere = true }
        var steps: [RecordPath.Step] = []
        for part in rest.split(separator: "/", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.allSatisfy({ $0.isLetter || $0.isNumber || "_-.:".contains($0) }) else {
                throw fail(node, "record path '\(text)': expected element names separated by / (e.g. /Orders/Order or //Order), with no predicates")
            }
            // `:`, `a:` or `a:b:c` (found by fuzzing: they used to index past the names) name no element.
            let names = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard names.allSatisfy({ !$0.isEmpty && !$0.contains(":") }) else {
                throw fail(node, "record path '\(text)': '\(part)' is not an element name; expected a name or prefix:name")
            }
            if names.count == 2 {
                guard let uri = namespaces[names[0]] else {
                    throw fail(node, "record path '\(text)': prefix '\(names[0])' is not declared under namespaces")
                }
                steps.append(.init(namespace: uri, localName: names[1]))
            } else {
                steps.append(.init(namespace: nil, localName: names[0]))
            }
        }
        return RecordPath(steps: steps, anywhere: anywhere, text: text)
    }
}
