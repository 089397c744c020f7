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
    /// The built-in entities with the custom fields the inbound mappings declare.
    public var catalog: FieldCatalog

    public init(catalog: FieldCatalog = FieldCatalog()) { self.catalog = catalog }

    /// Parses one output mapping's text; `file` names it in errors, `name` is what recipients call it.
    public func load(yaml: String, file: String, name: String) throws(OutputMappingError) -> OutputMapping {
        try OutputMappingParser(file: file, yaml: yaml, base: catalog).mapping(name: name)
    }

    /// Loads every `*.yaml`/`*.yml` in `folder`, sorted by name; `shownAs` is the folder as messages name it
    /// (`output-mappings`). Collects every file's error, not just the first. A missing folder is no mapping.
    public func loadFolder(_ folder: URL, shownAs: String) throws(OutputMappingErrors) -> [OutputMapping] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var mappings: [OutputMapping] = []
        var errors: [OutputMappingError] = []
        for fileName in names.sorted() where fileName.hasSuffix(".yaml") || fileName.hasSuffix(".yml") {
            let shown = "\(shownAs)/\(fileName)"
            guard let text = try? String(contentsOf: folder.appendingPathComponent(fileName), encoding: .utf8) else {
                errors.append(OutputMappingError(file: shown, line: 1, column: 1, message: "cannot read the file as UTF-8 text"))
                continue
            }
            do {
                let mapping = try load(yaml: text, file: shown, name: (fileName as NSString).deletingPathExtension)
                if let same = mappings.first(where: { $0.name == mapping.name }) {
                    errors.append(OutputMappingError(file: shown, line: 1, column: 1,
                        message: "a mapping named '\(mapping.name)' is already \(same.file); rename one of them"))
                }
                mappings.append(mapping)
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw OutputMappingErrors(errors: errors) }
        return mappings
    }
}

/// Every mistake found in a folder of output mappings.
public struct OutputMappingErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [OutputMappingError]
    public init(errors: [OutputMappingError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
