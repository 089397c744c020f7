import Foundation
import Yams

/// Reads `mappings/*.yaml` into `Mapping`s, reporting every mistake with its line and column.
///
/// The YAML is walked as a node tree (not decoded) so that each key and value keeps
/// its position: a user who mistypes a field name is told exactly where.
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
                mappings.append(try load(yaml: text, file: "mappings/\(name)",
                                         name: (name as NSString).deletingPathExtension))
            } catch let error as MappingError {
                errors.append(error)
            } catch {
                errors.append(MappingError(file: "mappings/\(name)", location: nil, message: "cannot read the file: \(error)"))
            }
        }
        if mappings.isEmpty && errors.isEmpty {
            errors.append(MappingError(file: folder.path, location: nil,
                message: "no mapping files (*.yaml) found; run 'orderflow init' to create the standard ones"))
        }
        // Two mappings reading the same folder must not both match a file name.
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
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw MappingError(file: file, location: nil, message: "the file is empty; expected 'feed:', 'inbox:' and 'fields:'")
            }
            root = node
        } catch let error as MappingError {
            throw error
        } catch let error as YamlError {
            throw MappingError(file: file, location: Self.location(of: error), message: "not valid YAML: \(Self.summary(of: error))")
        } catch {
            throw MappingError(file: file, location: nil, message: "not valid YAML: \(error)")
        }
        guard let top = root.mapping else {
            throw MappingError(file: file, location: Self.location(root), message: "expected a mapping of keys ('feed:', 'inbox:', 'fields:')")
        }
        let known: Set<String> = ["feed", "inbox", "pattern", "format", "csv", "fields", "description"]
        for (key, _) in top {
            guard let k = key.string, known.contains(k) else {
                throw MappingError(file: file, location: Self.location(key),
                    message: "unknown key '\(key.string ?? "?")'; expected one of \(known.sorted().joined(separator: ", "))")
            }
        }
        func scalar(_ key: String) throws(MappingError) -> (String, Node)? {
            guard let node = top[key] else { return nil }
            guard let s = node.scalar?.string else {
                throw MappingError(file: file, location: Self.location(node), message: "'\(key)' must be a single value")
            }
            return (s, node)
        }
        guard let (feedText, feedNode) = try scalar("feed") else {
            throw MappingError(file: file, location: nil, message: "missing 'feed:'; expected one of \(Feed.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let feed = Feed(rawValue: feedText) else {
            throw MappingError(file: file, location: Self.location(feedNode),
                message: "unknown feed '\(feedText)'; expected one of \(Feed.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let inbox = try scalar("inbox")
        let inboxName = inbox?.0 ?? feed.rawValue
        if inboxName.isEmpty || inboxName.contains("/") || inboxName.contains("\\") || inboxName.hasPrefix(".") {
            throw MappingError(file: file, location: inbox.map { Self.location($0.1) },
                message: "'inbox' must be a plain folder name under inbox/ (found '\(inboxName)')")
        }
        let pattern = try scalar("pattern")?.0 ?? "*.csv"
        if let (format, node) = try scalar("format"), format != "csv" {
            throw MappingError(file: file, location: Self.location(node), message: "unknown format '\(format)'; expected csv")
        }
        var options = CSVParser.Options()
        var hasHeader = true
        if let csvNode = top["csv"] {
            guard let csv = csvNode.mapping else {
                throw MappingError(file: file, location: Self.location(csvNode), message: "'csv' must hold 'delimiter', 'quote' and 'header'")
            }
            for (key, value) in csv {
                let location = Self.location(value)
                switch key.string {
                case "delimiter":
                    options.delimiter = try Self.singleByte(value, name: "delimiter", file: file, location: location)
                case "quote":
                    options.quote = try Self.singleByte(value, name: "quote", file: file, location: location)
                case "header":
                    guard let b = value.bool else {
                        throw MappingError(file: file, location: location, message: "'header' must be true or false")
                    }
                    hasHeader = b
                default:
                    throw MappingError(file: file, location: Self.location(key),
                        message: "unknown csv option '\(key.string ?? "?")'; expected delimiter, quote or header")
                }
            }
        }
        guard let fieldsNode = top["fields"] else {
            throw MappingError(file: file, location: nil, message: "missing 'fields:', the map from engine fields to source columns")
        }
        guard let fieldsMap = fieldsNode.mapping else {
            throw MappingError(file: file, location: Self.location(fieldsNode), message: "'fields' must map engine fields to source columns")
        }
        let specs = Dictionary(uniqueKeysWithValues: feed.fields.map { ($0.name, $0) })
        var fields: [String: ColumnRef] = [:]
        var locations: [String: SourceLocation] = [:]
        for (key, value) in fieldsMap {
            guard let target = key.string, specs[target] != nil else {
                throw MappingError(file: file, location: Self.location(key),
                    message: "unknown field '\(key.string ?? "?")' for feed \(feed.rawValue); expected one of \(feed.fields.map(\.name).joined(separator: ", "))")
            }
            guard let scalar = value.scalar else {
                throw MappingError(file: file, location: Self.location(value), message: "field '\(target)' must name one source column")
            }
            if !hasHeader {
                guard let position = Int(scalar.string), position >= 1 else {
                    throw MappingError(file: file, location: Self.location(value),
                        message: "field '\(target)': found '\(scalar.string)', expected a column number from 1 (the file has no header)")
                }
                fields[target] = .position(position)
            } else if let position = Int(scalar.string), scalar.style == .plain, position >= 1 {
                fields[target] = .position(position)
            } else {
                guard !scalar.string.isEmpty else {
                    throw MappingError(file: file, location: Self.location(value), message: "field '\(target)' names an empty column")
                }
                fields[target] = .name(scalar.string)
            }
            locations[target] = Self.location(key)
        }
        let missing = feed.fields.filter { $0.required && fields[$0.name] == nil }.map(\.name)
        if !missing.isEmpty {
            throw MappingError(file: file, location: Self.location(fieldsNode),
                message: "feed \(feed.rawValue) needs a source for \(missing.joined(separator: ", "))")
        }
        return Mapping(name: name, file: file, feed: feed, inbox: inboxName, pattern: pattern, csv: options,
                       hasHeader: hasHeader, fields: fields, fieldLocations: locations)
    }

    static func singleByte(_ node: Node, name: String, file: String, location: SourceLocation) throws(MappingError) -> UInt8 {
        let text = node.scalar?.string ?? ""
        let value: String = switch text {
        case "\\t", "tab": "\t"
        default: text
        }
        guard value.utf8.count == 1, let byte = value.utf8.first, byte != 10, byte != 13 else {
            throw MappingError(file: file, location: location,
                message: "'\(name)' must be one ASCII character (or 'tab'); found '\(text)'")
        }
        return byte
    }

    static func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(line: 1, column: 1) }
        return SourceLocation(line: mark.line, column: mark.column)
    }

    static func location(of error: YamlError) -> SourceLocation? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(line: mark.line, column: mark.column)
        default:
            return nil
        }
    }

    static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}

/// All the mistakes found in the mappings folder.
public struct MappingErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [MappingError]
    public init(errors: [MappingError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
