import Foundation
import OrderRules
import Yams

/// Reads output mappings (YAML) into `OutputMapping`s, reporting every mistake with file, line and column.
///
/// The YAML is walked as a node tree, as the inbound `MappingLoader` does, so each key and value keeps
/// its position: a mistyped key is named with the nearest known one, and a mistake inside an
/// expression is reported at its very character in the file. The language is documented in
/// `docs/output-mappings.md`.
public struct OutputMappingLoader: Sendable {
    /// What each document's expressions may read: its own fields with the rule fields and the custom fields
    /// the inbound mappings declare (the engine builds these; see `DocumentValues.catalog`).
    public var catalogs: @Sendable (OutputDocumentKind) -> FieldCatalog

    /// - Parameter catalogs: per document; by default its own fields and the built-in rule fields only.
    public init(catalogs: @escaping @Sendable (OutputDocumentKind) -> FieldCatalog = { $0.catalog() }) { self.catalogs = catalogs }

    /// Parses one output mapping's text; `file` names it in errors, `name` is what recipients call it.
    public func load(yaml: String, file: String, name: String) throws(OutputMappingError) -> OutputMapping {
        try OutputMappingParser(file: file, yaml: yaml, catalogs: catalogs).mapping(name: name)
    }

    /// Loads every `*.yaml`/`*.yml` in `folder`, sorted by name; `shownAs` is the folder as messages name it
    /// (`output-mappings`). Collects every file's error, not just the first. A missing folder is no mapping.
    public func loadFolder(_ folder: URL, shownAs: String) throws(OutputMappingErrors) -> [OutputMapping] {
        let (mappings, errors) = loadEach(folder, shownAs: shownAs)
        guard errors.isEmpty else { throw OutputMappingErrors(errors: errors.map(\.error)) }
        return mappings
    }

    /// Loads every `*.yaml`/`*.yml` in `folder` on its own: the mappings that load, and each file's mistake
    /// with the name of the mapping it was to be, so that one broken file stops only the documents that name it.
    public func loadEach(_ folder: URL, shownAs: String) -> (mappings: [OutputMapping], errors: [(name: String, error: OutputMappingError)]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return ([], []) }
        var mappings: [OutputMapping] = []
        var errors: [(name: String, error: OutputMappingError)] = []
        for fileName in names.sorted() where fileName.hasSuffix(".yaml") || fileName.hasSuffix(".yml") {
            let shown = "\(shownAs)/\(fileName)"
            let name = (fileName as NSString).deletingPathExtension
            guard let text = try? String(contentsOf: folder.appendingPathComponent(fileName), encoding: .utf8) else {
                errors.append((name, OutputMappingError(file: shown, line: 1, column: 1, message: "cannot read the file as UTF-8 text")))
                continue
            }
            do {
                let mapping = try load(yaml: text, file: shown, name: name)
                if let same = mappings.first(where: { $0.name == mapping.name }) {
                    errors.append((name, OutputMappingError(file: shown, line: 1, column: 1,
                        message: "a mapping named '\(mapping.name)' is already \(same.file); rename one of them")))
                    continue
                }
                mappings.append(mapping)
            } catch {
                errors.append((name, error))
            }
        }
        return (mappings, errors)
    }
}

/// Every mistake found in a folder of output mappings.
public struct OutputMappingErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [OutputMappingError]
    public init(errors: [OutputMappingError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
