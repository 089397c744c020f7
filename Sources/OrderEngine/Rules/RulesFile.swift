import Foundation
import OrderImport
import OrderModel
import OrderRules
import Yams

/// The home's `rules.yaml`: user-defined stages and the pipeline, in order.
///
/// The pipeline mixes the built-in steps (import, credit-check, unknown-products, drop-ship,
/// allocate, export) with process rules: Logic Builder searches with an action. A user puts
/// their own rules between the built-in steps, or leaves a built-in step out.
public struct RulesFile: Sendable {
    public struct StageDefinition: Sendable, Codable, Hashable {
        public var name: String
        public var description: String
    }

    public enum Entry: Sendable {
        case step(BuiltInStep)
        case rule(ProcessRule)

        public var name: String {
            switch self {
            case .step(let step): step.rawValue
            case .rule(let rule): rule.name
            }
        }
    }

    public var stages: [StageDefinition]
    public var pipeline: [Entry]
    public var file: String

    /// The built-in steps' names, in the standard order.
    public static let builtInSteps = BuiltInStep.allCases.map(\.rawValue)

    /// Every stage a rule may name: the built-in ones and the user's.
    public var knownStages: [String] { Stage.builtIn.map(\.rawValue) + stages.map(\.name) }

    /// Refuses a stage name that is neither built in nor defined under `stages:`, listing the ones that are.
    public func requireStage(_ name: String) throws(EngineError) {
        guard !knownStages.contains(name) else { return }
        let builtIn = Stage.builtIn.map(\.rawValue).joined(separator: ", ")
        let own = stages.isEmpty ? "none of your own (define them under stages: in \(file))"
            : "\(stages.map(\.name).joined(separator: ", ")) (from \(file))"
        throw .notPossible("no stage '\(name)'; the stages are \(builtIn) (built in) and \(own)")
    }

    public func rule(named name: String) -> ProcessRule? {
        for entry in pipeline { if case .rule(let r) = entry, r.name == name { return r } }
        return nil
    }

    /// The pipeline of a home without rules.yaml: the built-in steps in their standard order, no stages of its own.
    public static let standard = RulesFile(stages: [], pipeline: BuiltInStep.allCases.map(Entry.step), file: "rules.yaml")

    /// Checks a rules file's text with the engine's own parser and checker (the Logic Builder's check
    /// and save): the rules it defines, or the first error with its line and column.
    public static func check(_ text: String, catalog: FieldCatalog) throws(RulesFileError) -> RulesFile {
        try RulesFileParser(file: "rules.yaml", catalog: catalog).parse(text)
    }

    /// Loads `rules.yaml`; a home without one runs the built-in steps in their standard order.
    public static func load(home: Home, catalog: FieldCatalog) throws(EngineError) -> RulesFile {
        let url = home.rulesFile
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return standard
        }
        do {
            return try RulesFileParser(file: "rules.yaml", catalog: catalog).parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw EngineError.rules(error.description)
        }
    }

    /// The field catalog: built-in fields plus every custom field the mappings define. `base` gives the
    /// entities (an output document adds `supplier`, whose custom fields are then added too).
    public static func catalog(_ mappings: [Mapping], base: FieldCatalog = FieldCatalog()) -> FieldCatalog {
        var catalog = base
        for mapping in mappings {
            for field in mapping.custom {
                let type: ValueType = switch field.kind {
                case .integer, .decimal: .number
                case .date: .date
                case .flag: .bool
                case .text, .code: .text
                }
                catalog.addCustom(entity: field.entity, name: field.name, type: type)
            }
        }
        return catalog
    }
}

/// A Logic Builder search with an action, run as a step of the pipeline.
public struct ProcessRule: Sendable {
    public enum Action: Sendable {
        /// Move the matched orders' (or lines') lines in the looked-at stages to a stage.
        case move(to: Stage, reason: String)
        /// Hold them in `on-hold` until a person releases them.
        case hold(reason: String)
        /// Return them to `new`, so the rest of the pipeline takes them.
        case release(reason: String)
        /// Write a row per matched order (or line), once each, to `outbox/<folder>/`: the columns given, or
        /// the layout of an output mapping (`mappings/outputs/NAME.yaml`, document `rule-output`).
        case output(folder: String, layout: OutputLayout)
        /// Set the order's shipment policy (part, complete, part-after:N).
        case shipPolicy(ShipPolicy)
    }

    /// How a rule's output is written.
    public enum OutputLayout: Sendable {
        /// A CSV with these columns (header, value).
        case columns([(String, Rule)])
        /// Through this output mapping.
        case mapping(String)
    }

    public var name: String
    public var search: Rule
    /// The stages whose lines the rule looks at.
    public var stages: [Stage]
    public var action: Action
    public var scope: Rule.Scope { search.scope }

    /// The fields the rule's search and its output columns read.
    public var fields: Set<String> {
        guard case .output(_, .columns(let columns)) = action else { return search.fields }
        return columns.reduce(search.fields) { $0.union($1.1.fields) }
    }
}

/// Walks `rules.yaml` with positions, so every mistake names its line and column.
struct RulesFileParser {
    let file: String
    let catalog: FieldCatalog
    /// The whole file, to place errors inside folded searches.
    var fileText = ""

    /// The file line and column of character `offset` of a folded block scalar whose indicator (`>-`) is on
    /// line `line` (1-based): its content lines follow, each stripped of its indentation and joined by a space.
    static func foldedSpot(of offset: Int, inBlockAfterLine line: Int, of text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var position = 0
        var index = line
        var blockIndent: Int? = nil
        while index < lines.count {
            let raw = lines[index]
            let indent = raw.prefix { $0 == " " }.count
            let content = String(raw.dropFirst(indent)).trimmingCharacters(in: CharacterSet(charactersIn: " \r"))
            if content.isEmpty { return nil }
            if let blockIndent, indent < blockIndent { return nil }
            if blockIndent == nil { blockIndent = indent }
            if offset <= position + content.count { return (index + 1, indent + (offset - position) + 1) }
            position += content.count + 1
            index += 1
        }
        return nil
    }

    func fail(_ node: Node?, _ message: String) -> MappingError {
        MappingError(file: file, location: node?.mark.map { SourceLocation(line: $0.line, column: $0.column) }, message: message)
    }

    func string(_ node: Node?, _ what: String) throws(MappingError) -> String {
        guard let s = node?.scalar?.string, !s.isEmpty else { throw fail(node, "'\(what)' must be a value") }
        return s
    }

    /// Compiles an expression, placing its errors in the file.
    func rule(_ node: Node, scope: Rule.Scope) throws(RuleErrorInFile) -> Rule {
        let text = node.scalar?.string ?? ""
        do {
            return try Rule(text, scope: scope, catalog: catalog)
        } catch {
            let mark = node.mark
            let quoted = node.scalar?.style == .singleQuoted || node.scalar?.style == .doubleQuoted
            let multiLine = node.scalar?.style == .folded || node.scalar?.style == .literal
            let line = (mark?.line ?? 1) + (multiLine ? 1 : 0)
            let column = multiLine ? 1 : (mark?.column ?? 1) + (quoted ? 1 : 0)
            if node.scalar?.style == .folded, let mark,
               let spot = Self.foldedSpot(of: error.offset, inBlockAfterLine: mark.line, of: fileText) {
                // A folded search (`search: >-`) joins its lines with spaces: the offset is placed back on
                // the file's own line and column, and the caret line shows the expression as written there.
                var placed = error.located(source: text, file: file, line: spot.line, column: spot.column - error.offset)
                placed.source = text.replacingOccurrences(of: "\n", with: " ")
                throw RuleErrorInFile(error: placed)
            }
            throw RuleErrorInFile(error: error.located(source: text, file: file, line: line, column: column))
        }
    }

    func parse(_ text: String) throws(RulesFileError) -> RulesFile {
        var parser = self
        parser.fileText = text
        do {
            return try parser.parseFile(text)
        } catch let error as MappingError {
            throw RulesFileError(description: error.description, line: error.location?.line, column: error.location?.column, message: error.message)
        } catch let error as RuleErrorInFile {
            let (line, column) = error.error.position
            throw RulesFileError(description: error.error.description, line: line, column: column, message: error.error.message)
        } catch let error as YamlError {
            let location = YAMLNodes.location(of: error)
            let at = location.map { ":\($0)" } ?? ""
            let message = "not valid YAML: \(YAMLNodes.summary(of: error)) (a search that holds ': ' must be in quotes, or written on the lines after 'search: >-')"
            throw RulesFileError(description: "\(file)\(at): \(message)", line: location?.line, column: location?.column, message: message)
        } catch {
            throw RulesFileError(description: "\(file): \(error)", message: "\(error)")
        }
    }

    func parseFile(_ text: String) throws -> RulesFile {
        guard let root = try Yams.compose(yaml: text), let top = root.mapping else {
            throw fail(nil, "expected 'stages:' and 'pipeline:'")
        }
        for (key, _) in top where !["stages", "pipeline"].contains(key.string ?? "") {
            throw fail(key, "unknown key '\(key.string ?? "?")'; expected stages or pipeline")
        }
        var stages: [RulesFile.StageDefinition] = []
        if let node = top["stages"] {
            guard let list = node.sequence else { throw fail(node, "'stages' must be a list of {name, description}") }
            for item in list {
                let name = try string(item["name"] ?? item, "name")
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                    throw fail(item, "stage name '\(name)': use letters, digits, - and _")
                }
                if Stage.builtIn.contains(Stage(rawValue: name)) || stages.contains(where: { $0.name == name }) {
                    throw fail(item, "stage '\(name)' is already defined")
                }
                stages.append(.init(name: name, description: item["description"]?.string ?? ""))
            }
        }
        let known = Set(Stage.builtIn.map(\.rawValue) + stages.map(\.name))
        guard let pipelineNode = top["pipeline"], let entries = pipelineNode.sequence else {
            throw fail(top["pipeline"], "'pipeline' must list the steps and rules in order")
        }
        var pipeline: [RulesFile.Entry] = []
        var names: Set<String> = []
        for entry in entries {
            if let stepNode = entry["step"] {
                let name = try string(stepNode, "step")
                guard let step = BuiltInStep(rawValue: name) else {
                    throw fail(stepNode, "unknown step '\(name)'; the built-in steps are \(BuiltInStep.names)")
                }
                guard names.insert(name).inserted else { throw fail(stepNode, "'\(name)' appears twice in the pipeline") }
                pipeline.append(.step(step))
                continue
            }
            guard let ruleNode = entry["rule"] else { throw fail(entry, "each pipeline entry is 'step: NAME' or 'rule: NAME' with its search and action") }
            let name = try string(ruleNode, "rule")
            guard BuiltInStep(rawValue: name) == nil, names.insert(name).inserted else {
                throw fail(ruleNode, "'\(name)' appears twice in the pipeline or is the name of a built-in step")
            }
            let allowed = ["rule", "search", "stages", "scope", "action", "to", "reason", "output", "description", "policy"]
            guard let fields = entry.mapping else { throw fail(entry, "rule \(name): expected its keys (\(allowed.joined(separator: ", ")))") }
            for (key, _) in fields where !allowed.contains(key.string ?? "") {
                throw fail(key, "unknown key '\(key.string ?? "?")' in rule \(name); expected \(allowed.joined(separator: ", "))")
            }
            var scope = Rule.Scope.order
            if let s = entry["scope"] {
                guard let parsed = Rule.Scope(rawValue: try string(s, "scope")) else { throw fail(s, "scope must be order or line") }
                scope = parsed
            }
            guard let searchNode = entry["search"] else { throw fail(ruleNode, "rule \(name) needs 'search:', the condition it matches") }
            let search = try rule(searchNode, scope: scope)
            var looked: [Stage] = [.new]
            if let s = entry["stages"] {
                guard let list = s.sequence else { throw fail(s, "'stages' must be a list, e.g. [new]") }
                looked = []
                for item in list {
                    let stage = try string(item, "stages")
                    guard known.contains(stage) else { throw fail(item, "unknown stage '\(stage)'; define it under stages: or use one of \(known.sorted().joined(separator: ", "))") }
                    looked.append(Stage(rawValue: stage))
                }
            }
            let actionNode = entry["action"]
            let actionName = try string(actionNode, "action")
            let reason = entry["reason"]?.string ?? "matched rule \(name)"
            let action: ProcessRule.Action
            switch actionName {
            case "move":
                let to = try string(entry["to"], "to")
                guard known.contains(to) else { throw fail(entry["to"], "unknown stage '\(to)'; define it under stages: or use one of \(known.sorted().joined(separator: ", "))") }
                action = .move(to: Stage(rawValue: to), reason: reason)
            case "hold": action = .hold(reason: reason)
            case "ship-policy":
                let text = try string(entry["policy"], "policy")
                guard let policy = ShipPolicy(parsing: text) else {
                    throw fail(entry["policy"], "policy '\(text)': expected part, complete or part-after:N (days)")
                }
                action = .shipPolicy(policy)
            case "release": action = .release(reason: reason)
            case "output":
                guard let output = entry["output"], let folder = output["folder"]?.string,
                      folder.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !folder.isEmpty,
                      (output["columns"] == nil) != (output["mapping"] == nil) else {
                    throw fail(entry["output"] ?? actionNode, "an output action needs output: {folder: NAME, columns: [expressions]} or output: {folder: NAME, mapping: OUTPUT-MAPPING} with a plain folder name")
                }
                if let mappingNode = output["mapping"] {
                    let mapping = try string(mappingNode, "mapping")
                    guard EngineConfig.Outputs.isValidName(mapping), mapping != EngineConfig.Outputs.standard else {
                        throw fail(mappingNode, "mapping '\(mapping)': expected the name of an output mapping in mappings/outputs/ (lower-case letters, digits, - and _)")
                    }
                    action = .output(folder: folder, layout: .mapping(mapping))
                } else {
                    guard let columns = output["columns"]?.sequence, !columns.isEmpty else {
                        throw fail(output["columns"] ?? output, "columns: expected a list of expressions, e.g. [order.ref, order.total]")
                    }
                    var compiled: [(String, Rule)] = []
                    for column in columns {
                        let text = try string(column, "columns")
                        compiled.append((text, try columnRule(column, scope: scope)))
                    }
                    action = .output(folder: folder, layout: .columns(compiled))
                }
            default:
                throw fail(actionNode, "unknown action '\(actionName)'; expected move, hold, release, output or ship-policy")
            }
            pipeline.append(.rule(ProcessRule(name: name, search: search, stages: looked, action: action)))
        }
        return RulesFile(stages: stages, pipeline: pipeline, file: file)
    }

    /// An output column: any expression, not only a condition.
    func columnRule(_ node: Node, scope: Rule.Scope) throws(RuleErrorInFile) -> Rule {
        let text = node.scalar?.string ?? ""
        do {
            return try Rule(value: text, scope: scope, catalog: catalog)
        } catch {
            let mark = node.mark
            throw RuleErrorInFile(error: error.located(source: text, file: file, line: mark?.line ?? 1, column: mark?.column ?? 1))
        }
    }
}

struct RuleErrorInFile: Error { var error: RuleError }

public struct RulesFileError: Error, Sendable, CustomStringConvertible {
    /// The whole message: file, line and column, what is wrong (and for a search, its line with a caret).
    public var description: String
    /// Where in the file, when known (1-based): the Logic Builder marks the spot.
    public var line: Int? = nil
    public var column: Int? = nil
    /// What is wrong, without the place.
    public var message: String = ""

    public init(description: String, line: Int? = nil, column: Int? = nil, message: String = "") {
        self.description = description
        self.line = line
        self.column = column
        self.message = message.isEmpty ? description : message
    }
}
