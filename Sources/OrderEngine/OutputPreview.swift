import Foundation
import OrderImport
import OrderModel
import OrderOutput
import OrderStore
import Yams

/// What an output mapping would write for a document of the database: the test button for output mappings
/// (`orderflow mapping test MAPPING [WHAT]` on a mapping of `mappings/outputs/`).
///
/// The document's values are read as the export reads them (`DocumentValues`) and rendered through the mapping
/// as the export renders them, in one read transaction: nothing is written to the outbox, no sequence number is
/// taken, no line or purchase order changes. A document that is not written yet is numbered with the number the
/// next export would give it.
public struct OutputPreview: Sendable {
    /// Which document to render.
    public enum Subject: Sendable, Equatable {
        /// The purchase order `PO-000012`.
        case purchaseOrder(String)
        /// The next pick list of a warehouse: its lines in Picking not yet on a pick list.
        case pickList(warehouse: String)
        /// The pick list `PL-000003` as written: the lines on it.
        case writtenPickList(String)
        /// The next exception report: the exceptions not reported yet.
        case exceptionReport
        /// The last exception report written (`latest`): the exceptions it covered, with its number.
        case lastExceptionReport
        /// The back-order report as it would be written now: every line in Back Order.
        case backOrderReport

        /// What to render for a mapping of `document`, from the command line: `argument` is a PO ref (purchase
        /// order), a warehouse code (pick list; or `pickList` names a written one), nothing or `latest` (exception
        /// report: the next one, or the last one written), nothing (back-order report).
        /// - Throws: when the arguments do not fit the document, saying what it takes.
        public static func make(for document: OutputDocumentKind, argument: String?, pickList: String?) throws(EngineError) -> Subject {
            func none(_ what: String) throws(EngineError) {
                if let argument { throw EngineError.notPossible("a \(document.rawValue) mapping renders \(what); give nothing after the mapping, not '\(argument)'") }
                if pickList != nil { throw EngineError.notPossible("--pick-list is for a pick-list mapping; this mapping's document is \(document.rawValue)") }
            }
            switch document {
            case .purchaseOrder:
                guard pickList == nil else { throw EngineError.notPossible("--pick-list is for a pick-list mapping; this mapping's document is purchase-order") }
                guard let argument, !argument.isEmpty else {
                    throw EngineError.notPossible("a purchase-order mapping renders one purchase order: give its ref after the mapping, e.g. PO-000012")
                }
                return .purchaseOrder(argument)
            case .pickList:
                switch (argument, pickList) {
                case (let warehouse?, nil): return .pickList(warehouse: warehouse)
                case (nil, let ref?): return .writtenPickList(ref)
                case (_?, _?): throw EngineError.notPossible("give a warehouse (its next pick list) or --pick-list REF (a written one), not both")
                case (nil, nil):
                    throw EngineError.notPossible("a pick-list mapping renders one pick list: give a warehouse code (its next pick list) or --pick-list PL-000003")
                }
            case .exceptionReport:
                if argument == "latest", pickList == nil { return .lastExceptionReport }
                try none("the exceptions not reported yet (or, with 'latest', the last report written)")
                return .exceptionReport
            case .backOrderReport:
                try none("every line in Back Order")
                return .backOrderReport
            case .ruleOutput:
                throw EngineError.notPossible("a rule-output mapping is tried with the rule that names it ('orderflow rule test'), not here")
            }
        }
    }

    /// A rendered document: its bytes and where the export would write them.
    public struct Result: Sendable {
        /// The document as messages name it (`purchase order PO-000012`).
        public var document: String
        /// The mapping's file, as it was named.
        public var mapping: String
        public var bytes: [UInt8]
        /// The outbox folder, relative to `outbox/`.
        public var folder: String
        public var fileName: String
        /// The document's rows (lines, exceptions).
        public var rows: Int
    }

    public let engine: Engine
    /// The inbound mappings: the custom fields an output mapping may read.
    public let mappings: [Mapping]

    public init(engine: Engine, mappings: [Mapping]) {
        self.engine = engine
        self.mappings = mappings
    }

    /// Whether `argument` of `mapping test` is an output mapping: a path (ending in `.yaml`/`.yml` or holding a `/`)
    /// to a YAML whose top level has `document:`, or a name with no inbound mapping `mappings/NAME.yaml` but a
    /// file `mappings/outputs/NAME.yaml` (an inbound mapping of the same name wins; give the path to the other).
    public static func isOutputMapping(_ argument: String, home: Home) -> Bool {
        if isPath(argument) {
            guard let text = try? String(contentsOf: URL(fileURLWithPath: argument), encoding: .utf8),
                  let node = try? Yams.compose(yaml: text), let top = node.mapping else { return false }
            return top.keys.contains { $0.string == "document" }
        }
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        return !exists(home.mappings.appendingPathComponent("\(argument).yaml")) && outputFile(argument, home: home).map(exists) == true
    }

    /// Loads the output mapping `argument` names (a name in `mappings/outputs/` or a path), checked against its
    /// document's fields and the custom fields of `mappings`.
    /// - Throws: `OutputMappingError` (file:line:col) for a mistake in it; `EngineError` when it cannot be read.
    public static func loadMapping(_ argument: String, home: Home, mappings: [Mapping]) throws -> OutputMapping {
        let url: URL, shown: String
        if isPath(argument) {
            url = URL(fileURLWithPath: argument)
            shown = argument
        } else if let file = outputFile(argument, home: home) {
            url = file
            shown = "\(OutputMappings.folderName)/\(file.lastPathComponent)"
        } else {
            throw EngineError.notPossible("no output mapping '\(argument)': there is no \(OutputMappings.folderName)/\(argument).yaml")
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw EngineError.notPossible("cannot read the output mapping \(url.path) as UTF-8 text")
        }
        return try OutputMappings.loader(mappings: mappings).load(yaml: text, file: shown, name: url.deletingPathExtension().lastPathComponent)
    }

    private static func isPath(_ argument: String) -> Bool {
        argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") || argument.contains("/")
    }

    /// `mappings/outputs/NAME.yaml` (or `.yml`) when it exists.
    private static func outputFile(_ name: String, home: Home) -> URL? {
        ["yaml", "yml"].map { home.outputMappings.appendingPathComponent("\(name).\($0)") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The command line's preview: loads the output mapping `argument` names (a name or a path) and renders what
    /// `document` and `pickList` say (see `Subject.make`).
    /// - Throws: `OutputMappingError` (file:line:col) for a mistake in the mapping; `EngineError` for the rest.
    public func render(mapping argument: String, argument document: String?, pickList: String?) throws -> Result {
        let mapping = try Self.loadMapping(argument, home: engine.home, mappings: mappings)
        return try render(try Subject.make(for: mapping.document, argument: document, pickList: pickList), through: mapping)
    }

    /// Renders `subject` through `mapping` as the export would write it now, in a read transaction.
    /// - Throws: `EngineError` when there is no such document, or when the mapping cannot render it (the
    ///   message names the document and the field, as the export's warning would).
    public func render(_ subject: Subject, through mapping: OutputMapping) throws -> Result {
        let today = engine.clock.now.day
        let catalog = DocumentValues.catalog(mapping.document, mappings: mappings)
        let document = try engine.database.read { tx -> Document in
            let values = DocumentValues(tx: tx, catalog: catalog, money: engine.config.money, today: today, fields: mapping.fields)
            return try Self.document(subject, values: values, tx)
        }
        let bytes: [UInt8], folder: String, name: String
        do {
            bytes = try mapping.render(document.values, today: today, name: document.what)
            folder = try mapping.folder(for: document.values, today: today) ?? document.folder
            name = try mapping.fileName(for: document.values, today: today) ?? "\(document.name).\(mapping.format.fileExtension)"
        } catch {
            throw EngineError.notPossible("\(document.what) cannot be written through \(mapping.file): \(error)")
        }
        return Result(document: document.what, mapping: mapping.file, bytes: bytes, folder: folder, fileName: name,
                      rows: document.values.rows.count)
    }

    /// A document's values with the folder and name (without extension) the export gives it by default.
    private struct Document {
        var what: String
        var values: OutputDocumentValues
        var folder: String
        var name: String
    }

    private static func document(_ subject: Subject, values: DocumentValues, _ tx: StoreTransaction) throws -> Document {
        switch subject {
        case .purchaseOrder(let ref):
            guard let po = try values.purchaseOrder(ref) else {
                throw EngineError.notPossible("no purchase order '\(ref)' in the database; purchase orders are named like PO-000012")
            }
            return Document(what: "purchase order \(ref)", values: po.values, folder: OutboxFolder.purchaseOrders, name: ref)
        case .pickList(let warehouse):
            let number = try tx.nextOutboxNumber(in: OutboxFolder.pickLists)
            let ref = String(format: "PL-%06d", number)
            let lineIDs = try tx.lineIDsToPick(warehouse: warehouse)
            return Document(what: "pick list \(ref) for warehouse \(warehouse)",
                            values: try values.pickList(lineIDs: lineIDs, ref: ref, number: number, warehouse: warehouse),
                            folder: OutboxFolder.pickLists, name: "\(ref)-\(ExportStep.safeName(warehouse))")
        case .writtenPickList(let ref):
            let lines = try tx.lines(onPickList: ref)
            guard let warehouse = lines.first?.warehouse else {
                throw EngineError.notPossible("no line is on a pick list '\(ref)'; pick lists are named like PL-000003")
            }
            let number = Self.number(in: ref) ?? 0
            return Document(what: "pick list \(ref) for warehouse \(warehouse)",
                            values: try values.pickList(lineIDs: lines.map(\.lineID), ref: ref, number: number, warehouse: warehouse),
                            folder: OutboxFolder.pickLists, name: "\(ref)-\(ExportStep.safeName(warehouse))")
        case .exceptionReport:
            var exceptions: [ExceptionToReport] = []
            try tx.forEachExceptionToReport { exceptions.append($0) }
            let number = try tx.nextOutboxNumber(in: OutboxFolder.exceptions)
            let ref = String(format: "EX-%06d", number)
            return Document(what: "exception report \(ref)", values: try values.exceptionReport(exceptions, ref: ref, number: number),
                            folder: OutboxFolder.exceptions, name: ref)
        case .lastExceptionReport:
            guard let last = try tx.lastExceptionReport() else {
                throw EngineError.notPossible("no exception report was written yet; without 'latest' the next report is rendered")
            }
            let number = last.number ?? Self.number(in: (last.fileName as NSString).deletingPathExtension) ?? 0
            let ref = String(format: "EX-%06d", number)
            return Document(what: "exception report \(ref)", values: try values.exceptionReport(last.exceptions, ref: ref, number: number),
                            folder: OutboxFolder.exceptions, name: ref)
        case .backOrderReport:
            let number = try tx.nextOutboxNumber(in: BackOrderReportStep.folder)
            let ref = String(format: "BO-%06d", number)
            return Document(what: "back-order report \(ref)", values: try values.backOrderReport(ref: ref, number: number),
                            folder: BackOrderReportStep.folder, name: ref)
        }
    }

    /// The number a document's ref or file name ends in (`PL-000003`: 3); nil when it ends in none.
    static func number(in name: String) -> Int? {
        Int(String(name.reversed().prefix { $0.isASCII && $0.isNumber }.reversed()))
    }
}
