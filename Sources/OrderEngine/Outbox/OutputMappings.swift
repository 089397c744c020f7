import Foundation
import OrderImport
import OrderOutput

/// The home's output mappings (`mappings/outputs/*.yaml`), by name, and the choice of one for a document.
///
/// A recipient names the mapping its documents are written with — a supplier in its `po_format`, a
/// warehouse or a report under `outputs:` in orderflow.yaml — and `standard` (for purchase orders also
/// `csv` and `xml`) names the built-in layout, so a home without output mappings writes what it always did.
public struct OutputMappings: Sendable {
    /// The mappings read, by name.
    public let byName: [String: OutputMapping]

    /// The folder the mappings are read from, as messages name it.
    public static let folderName = "mappings/outputs"

    /// The files that did not load, by the name of the mapping each was to be: a document naming one is not
    /// written, and says why; the others are.
    public let broken: [String: OutputMappingError]

    public init(_ mappings: [OutputMapping], broken: [String: OutputMappingError] = [:]) {
        byName = Dictionary(mappings.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.broken = broken
    }

    /// Reads every output mapping of `home`, checked against each document's fields and the custom fields the
    /// inbound `mappings` declare, each file on its own: a broken file stops only the documents that name it.
    /// A home without the folder has none.
    public static func load(home: Home, mappings: [Mapping]) -> OutputMappings {
        let (loaded, errors) = loader(mappings: mappings).loadEach(home.outputMappings, shownAs: folderName)
        return OutputMappings(loaded, broken: Dictionary(errors.map { ($0.name, $0.error) }, uniquingKeysWith: { first, _ in first }))
    }

    /// `load(home:mappings:)` with every file's mistake kept apart (`orderflow check` lists each with its place).
    public static func read(home: Home, mappings: [Mapping]) throws(OutputMappingErrors) -> OutputMappings {
        OutputMappings(try loader(mappings: mappings).loadFolder(home.outputMappings, shownAs: folderName))
    }

    /// The loader that checks an output mapping against its document's fields and the custom fields `mappings` declare.
    public static func loader(mappings: [Mapping]) -> OutputMappingLoader {
        OutputMappingLoader(catalogs: { kind in DocumentValues.catalog(kind, mappings: mappings) })
    }

    /// Whether `name` names the built-in layout of `kind` (`standard`; for purchase orders `csv` and `xml` too).
    public static func isBuiltIn(_ name: String, for kind: OutputDocumentKind) -> Bool {
        name == EngineConfig.Outputs.standard || (kind == .purchaseOrder && (name == "csv" || name == "xml"))
    }

    /// The mapping `name` for a document of `kind`; nil for the built-in layout.
    /// - Parameter recipient: who names it, for the message (`supplier S1`, `warehouse WH2`, `outputs.exception_report`).
    /// - Throws: when there is no such mapping, or it writes another kind of document.
    public func mapping(named name: String, for kind: OutputDocumentKind, recipient: String) throws(EngineError) -> OutputMapping? {
        if Self.isBuiltIn(name, for: kind) { return nil }
        if let error = broken[name] {
            throw EngineError.notPossible("\(recipient) names the output mapping '\(name)', which does not load: \(error); fix it (orderflow check lists every mistake), and the next cycle writes what waits")
        }
        guard let mapping = byName[name] else {
            let known = byName.values.filter { $0.document == kind }.map(\.name).sorted()
            let choices = (["standard"] + (kind == .purchaseOrder ? ["csv", "xml"] : []) + known).joined(separator: ", ")
            throw EngineError.notPossible("\(recipient) names the output mapping '\(name)', but there is no \(Self.folderName)/\(name).yaml; the \(kind.rawValue) mappings are \(choices)")
        }
        guard mapping.document == kind else {
            throw EngineError.notPossible("\(recipient) names the output mapping '\(name)' for its \(kind.rawValue), but \(mapping.file) writes a \(mapping.document.rawValue)")
        }
        return mapping
    }
}

extension Home {
    /// The output mappings: how each recipient's documents are written.
    public var outputMappings: URL { mappings.appendingPathComponent("outputs", isDirectory: true) }
    /// Inbound mappings shipped as examples (UBL and cXML orders): not read until copied into `mappings/`.
    public var mappingExamples: URL { mappings.appendingPathComponent("examples", isDirectory: true) }
}

extension OutputMapping.Format {
    /// The file-name extension of a document written in this format, when the mapping gives no file name.
    var fileExtension: String {
        switch self {
        case .csv: "csv"
        case .fixedWidth: "txt"
        case .xml: "xml"
        }
    }
}
