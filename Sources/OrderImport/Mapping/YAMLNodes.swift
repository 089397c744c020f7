import Foundation
import Yams

/// Positions and parse errors of a YAML file, shared by the loaders of mappings, `rules.yaml` and `orderflow.yaml`.
///
/// Every loader walks Yams' node tree rather than decoding, so that each mistake can name the
/// line and column of the node that holds it; this is the one place that turns nodes and Yams'
/// errors into those positions.
public enum YAMLNodes {
    /// Composes `text` into a node tree; nil for an empty document.
    /// - Throws: a `MappingError` at the line and column where the text stops being YAML.
    public static func compose(_ text: String, file: String) throws(MappingError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw MappingError(file: file, location: location(of: error), message: "not valid YAML: \(summary(of: error))")
        } catch {
            throw MappingError(file: file, location: nil, message: "not valid YAML: \(error)")
        }
    }

    /// Where a node starts in its file (1-based line and column).
    public static func location(_ node: Node?) -> SourceLocation? {
        node?.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    /// Where Yams stopped reading, for the errors that carry a position.
    public static func location(of error: YamlError) -> SourceLocation? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(line: mark.line, column: mark.column)
        default:
            return nil
        }
    }

    /// Yams' problem in a few words, without its dump of the surrounding text.
    public static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }

    /// Whether a node is YAML's null: nothing after the colon, `~` or `null`.
    public static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return node.null != nil
    }

    /// A node's text as the user wrote it, for quoting it back in a message.
    public static func shown(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
