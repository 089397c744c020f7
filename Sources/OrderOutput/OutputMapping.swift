import OrderRules

/// How one recipient receives one kind of document: its format and shape, read from a YAML file
/// (`OutputMappingLoader`), so that serving a new supplier or warehouse needs no code change.
public struct OutputMapping: Sendable {
    /// The layout of the document's bytes.
    public enum Body: Sendable {
        case csv(CSVLayout)
        case fixedWidth(FixedWidthLayout)
        case xml(XMLTemplate, ValueFormat)
    }

    /// The formats a mapping's `format:` names.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case csv
        case fixedWidth = "fixed-width"
        case xml
    }

    /// The mapping's name (its file name without extension), as a supplier or warehouse names it.
    public var name: String
    /// The file it was read from, for messages.
    public var file: String
    public var document: OutputDocumentKind
    public var body: Body
    /// The written file's name, from the document's header values; nil: the engine's usual name.
    public var fileName: TextTemplate?
    /// The folder under the outbox the file goes to, from the header values; nil: the usual folder.
    public var folder: TextTemplate?

    public init(name: String, file: String, document: OutputDocumentKind, body: Body,
                fileName: TextTemplate? = nil, folder: TextTemplate? = nil) {
        self.name = name; self.file = file; self.document = document; self.body = body
        self.fileName = fileName; self.folder = folder
    }

    public var format: Format {
        switch body {
        case .csv: .csv
        case .fixedWidth: .fixedWidth
        case .xml: .xml
        }
    }

    /// The fields the mapping's columns or template, file name and folder read (`entity.name`), so a caller
    /// may load only those.
    public var fields: Set<String> {
        var all = (fileName?.fields ?? []).union(folder?.fields ?? [])
        switch body {
        case .csv(let layout): for column in layout.columns { all.formUnion(column.value.fields) }
        case .fixedWidth(let layout): for column in layout.columns { all.formUnion(column.value.fields) }
        case .xml(let template, _): all.formUnion(template.fields)
        }
        return all
    }

    /// Whether a value may read an order's lines together (`sum`, `count lines`, `any line:`), so that a
    /// caller must load every line of each order and not only those the document prints. The language keeps
    /// aggregates out of a row's values, so only a header value (file name, folder) is looked at; an XML
    /// template is taken to.
    public var readsOrderLines: Bool {
        if fileName?.readsLines == true || folder?.readsLines == true { return true }
        switch body {
        case .csv(let layout): return layout.columns.contains { $0.value.readsLines }
        case .fixedWidth(let layout): return layout.columns.contains { $0.value.readsLines }
        case .xml: return true
        }
    }

    /// The document's bytes, in the mapping's format.
    public func render(_ document: OutputDocumentValues, today: Int64, name documentName: String? = nil) throws(OutputRenderError) -> [UInt8] {
        let shown = documentName ?? name
        switch body {
        case .csv(let layout):
            return try layout.render(document, today: today, name: shown)
        case .fixedWidth(let layout):
            return try layout.render(document, today: today, name: shown)
        case .xml(let template, let format):
            do {
                return try template.render(document, today: today, format: format)
            } catch {
                var e = error
                if e.document == nil { e.document = shown }
                throw e
            }
        }
    }

    /// The file name this mapping gives the document, or nil for the engine's usual name.
    /// - Throws: when a value makes it no plain file name (empty, `.`, `..`, a `/` or `\`, a control character).
    public func fileName(for document: OutputDocumentValues, today: Int64) throws(OutputRenderError) -> String? {
        guard let fileName else { return nil }
        let text = fileName.render(header: document.header, today: today)
        guard Self.isPlainSegment(text) else {
            throw OutputRenderError(document: name, field: "file_name",
                message: "'\(text)' is not a plain file name (no /, \\, control characters, '.' or '..', not empty)")
        }
        return text
    }

    /// The folder (relative to the outbox, `/`-separated) this mapping puts the document in, or nil.
    /// - Throws: when a value would lead outside the outbox.
    public func folder(for document: OutputDocumentValues, today: Int64) throws(OutputRenderError) -> String? {
        guard let folder else { return nil }
        let text = folder.render(header: document.header, today: today)
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard !text.isEmpty, segments.allSatisfy({ Self.isPlainSegment(String($0)) }) else {
            throw OutputRenderError(document: name, field: "folder",
                message: "'\(text)' is not a folder inside the outbox (each part a plain name: no '..', '.', \\, empty part or leading /)")
        }
        return text
    }

    static func isPlainSegment(_ s: String) -> Bool {
        !s.isEmpty && s != "." && s != ".."
            && !s.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 32 || $0.value == 127 }
    }
}
