import Foundation
import OrderRules
import Yams

/// The walk over one output mapping's YAML nodes (see `OutputMappingLoader`).
struct OutputMappingParser {
    let file: String
    let yaml: String
    let base: FieldCatalog

    static let topKeys = ["document", "format", "file_name", "folder", "description", "csv", "fixed_width", "xml"]
    static let csvKeys = ["delimiter", "quote", "quoting", "encoding", "line_end", "header", "decimal_separator",
                          "date_pattern", "unencodable", "rows", "columns"]
    static let fixedKeys = ["encoding", "line_end", "decimal_separator", "date_pattern", "unencodable", "overflow",
                            "rows", "columns"]
    static let xmlKeys = ["template", "decimal_separator", "date_pattern"]
    static let sections: [OutputMapping.Format: String] = [.csv: "csv", .fixedWidth: "fixed_width", .xml: "xml"]

    // MARK: - Errors and positions

    func fail(_ node: Node?, _ message: String) -> OutputMappingError {
        let mark = node?.mark
        return OutputMappingError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
    }

    /// Places an error found inside a scalar's text (positioned relative to that text) in the file.
    func place(_ error: OutputMappingError, in node: Node) -> OutputMappingError {
        if error.file != nil { return error }
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        switch node.scalar?.style {
        case .singleQuoted?, .doubleQuoted?:
            return error.located(file: file, line: line, column: column + 1)
        case .literal?, .folded?:
            // The text starts on the line after `|`, at the block's indentation.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            var first = line  // 0-based index of the line after the indicator
            while first < lines.count, lines[first].allSatisfy({ $0 == " " || $0 == "\r" }) { first += 1 }
            let indent = first < lines.count ? lines[first].prefix { $0 == " " }.count : 0
            return error.located(file: file, line: first + 1, column: indent + 1, indent: indent)
        default:
            return error.located(file: file, line: line, column: column)
        }
    }

    /// The closest of `candidates` to `word`, for "did you mean".
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance($0.lowercased(), word.lowercased())) }.filter { $0.1 <= max(2, word.count / 3) }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    static func hint(_ word: String, _ candidates: [String]) -> String {
        let near = nearest(word, in: candidates).map { "did you mean '\($0)'? " } ?? ""
        return "\(near)expected one of \(candidates.joined(separator: ", "))"
    }

    // MARK: - Node readers

    /// The entries of a mapping node by key, rejecting unknown and repeated keys.
    func entries(_ node: Node, _ what: String, known: [String]) throws(OutputMappingError) -> [String: (key: Node, value: Node)] {
        guard let map = node.mapping else {
            throw fail(node, "'\(what)' must be a mapping of keys (\(known.joined(separator: ", ")))")
        }
        var out: [String: (key: Node, value: Node)] = [:]
        for (key, value) in map {
            guard let k = key.scalar?.string, known.contains(k) else {
                throw fail(key, "unknown key '\(key.scalar?.string ?? "?")' in \(what); \(Self.hint(key.scalar?.string ?? "", known))")
            }
            guard out[k] == nil else { throw fail(key, "'\(k)' is given twice in \(what)") }
            out[k] = (key, value)
        }
        return out
    }

    func string(_ node: Node, _ what: String) throws(OutputMappingError) -> String {
        guard let s = node.scalar?.string else { throw fail(node, "'\(what)' must be a single value") }
        return s
    }

    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, _ what: String, _: E.Type) throws(OutputMappingError) -> E
        where E.RawValue == String {
        let text = try string(node, what)
        if let value = E(rawValue: text) { return value }
        throw fail(node, "unknown \(what) '\(text)'; \(Self.hint(text, E.allCases.map(\.rawValue)))")
    }

    func bool(_ node: Node, _ what: String) throws(OutputMappingError) -> Bool {
        guard let b = node.bool else { throw fail(node, "'\(what)' must be true or false; found '\(node.scalar?.string ?? "?")'") }
        return b
    }

    func width(_ node: Node) throws(OutputMappingError) -> Int {
        guard let i = node.int, i >= 1, i <= 100_000 else {
            throw fail(node, "'width' must be a whole number from 1; found '\(node.scalar?.string ?? "?")'")
        }
        return i
    }

    /// One ASCII character, with `\t` or `tab` for a tab (a delimiter or quote is the same byte in every encoding).
    func asciiCharacter(_ node: Node, _ what: String) throws(OutputMappingError) -> UInt8 {
        let text = try string(node, what)
        let value = text == "\\t" || text.lowercased() == "tab" ? "\t" : text
        guard value.utf8.count == 1, let byte = value.utf8.first, byte < 0x80, byte != 10, byte != 13 else {
            throw fail(node, "'\(what)' must be one ASCII character (or \\t for tab); found '\(text)'")
        }
        return byte
    }

    func character(_ node: Node, _ what: String) throws(OutputMappingError) -> Character {
        let text = try string(node, what)
        guard text.count == 1, let c = text.first, c != "\n", c != "\r\n" else {
            throw fail(node, "'\(what)' must be one character; found '\(text)'")
        }
        return c
    }

    func expression(_ node: Node, _ what: String, perRow: Bool, catalog: FieldCatalog) throws(OutputMappingError) -> OutputExpression {
        let text = try string(node, what)
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail(node, "'\(what)' must be an expression such as line.quantity or 'ACME-' + order.ref")
        }
        do {
            return try OutputExpression(text, perRow: perRow, catalog: catalog)
        } catch {
            // "Ends too soon" points past the text: show it after the last character written, not on a blank line.
            let written = text.count - text.reversed().prefix(while: \.isWhitespace).count
            let (line, column) = OutputMappingError.position(of: min(error.offset, written), in: text)
            throw place(OutputMappingError(line: line, column: column, message: error.message), in: node)
        }
    }

    func template(_ node: Node, _ what: String, catalog: FieldCatalog) throws(OutputMappingError) -> TextTemplate {
        let text = try string(node, what)
        do {
            return try TextTemplate(text, perRow: false, catalog: catalog)
        } catch {
            throw place(error, in: node)
        }
    }

    /// The value format a section's `decimal_separator` and `date_pattern` give.
    func valueFormat(_ e: [String: (key: Node, value: Node)]) throws(OutputMappingError) -> ValueFormat {
        var format = ValueFormat()
        if let node = e["decimal_separator"]?.value {
            let c = try character(node, "decimal_separator")
            guard !c.isNumber, c != "-", c != "+" else {
                throw fail(node, "'decimal_separator' must not be a digit or a sign; found '\(c)'")
            }
            format.decimalSeparator = c
        }
        if let node = e["date_pattern"]?.value {
            let text = try string(node, "date_pattern")
            guard ValueFormat.tokens(text).contains(where: { $0 == .year || $0 == .month || $0 == .day }) else {
                throw fail(node, "'date_pattern' '\(text)' has none of yyyy, MM, dd; write one such as yyyy-MM-dd or dd/MM/yyyy")
            }
            format.datePattern = text
        }
        return format
    }

    // MARK: - The mapping

    func mapping(name: String) throws(OutputMappingError) -> OutputMapping {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw fail(nil, "the file is empty; expected 'document:', 'format:' and the format's section")
            }
            root = node
        } catch let error as OutputMappingError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error)
        } catch {
            throw fail(nil, "not valid YAML: \(error)")
        }
        let top = try entries(root, "the output mapping", known: Self.topKeys)
        guard let documentNode = top["document"]?.value else {
            throw fail(root, "missing 'document:' (one of \(OutputDocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let document = try choice(documentNode, "document", OutputDocumentKind.self)
        guard let formatNode = top["format"]?.value else { throw fail(root, "missing 'format:' (csv, fixed-width or xml)") }
        let format = try choice(formatNode, "format", OutputMapping.Format.self)
        for (other, key) in Self.sections where other != format {
            if let entry = top[key] {
                throw fail(entry.key, "section '\(key)' does not apply to format \(format.rawValue); write '\(Self.sections[format] ?? ""):' instead")
            }
        }
        let sectionKey = Self.sections[format] ?? ""
        guard let section = top[sectionKey]?.value else {
            throw fail(formatNode, "format \(format.rawValue) needs a '\(sectionKey):' section")
        }
        let catalog = document.catalog(base: base)
        let body: OutputMapping.Body = switch format {
        case .csv: .csv(try csv(section, catalog: catalog))
        case .fixedWidth: .fixedWidth(try fixedWidth(section, catalog: catalog))
        case .xml: try xml(section, catalog: catalog)
        }
        var mapping = OutputMapping(name: name, file: file, document: document, body: body)
        if let node = top["file_name"]?.value {
            let t = try template(node, "file_name", catalog: catalog)
            if let bad = Self.skeleton(t).unicodeScalars.first(where: { $0 == "/" || $0 == "\\" }) {
                throw fail(node, "'file_name' must be a name without '\(bad)'; put folders in 'folder:'")
            }
            mapping.fileName = t
        }
        if let node = top["folder"]?.value {
            let t = try template(node, "folder", catalog: catalog)
            let skeleton = Self.skeleton(t)
            let segments = skeleton.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard !skeleton.hasPrefix("/"), segments.allSatisfy(OutputMapping.isPlainSegment) else {
                throw fail(node, "'folder' must stay inside the outbox: a relative path of plain names (no '..', '.', \\, empty part or leading /); found '\(t.source)'")
            }
            mapping.folder = t
        }
        return mapping
    }

    /// The template's text with each placeholder as `x`, to check what the mapping itself writes.
    static func skeleton(_ t: TextTemplate) -> String {
        t.parts.map { part -> String in if case .literal(let s) = part { s } else { "x" } }.joined()
    }

    func yamlError(_ error: YamlError) -> OutputMappingError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return OutputMappingError(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        default:
            return OutputMappingError(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
    }

    // MARK: - Sections

    func rows(_ e: [String: (key: Node, value: Node)]) throws(OutputMappingError) -> OutputRows {
        try e["rows"].map { entry throws(OutputMappingError) in try choice(entry.value, "rows", OutputRows.self) } ?? .lines
    }

    func columnNodes(_ e: [String: (key: Node, value: Node)], section: Node, _ what: String) throws(OutputMappingError) -> [Node] {
        guard let node = e["columns"]?.value else { throw fail(section, "'\(what)' needs 'columns:', a list of the columns to write") }
        guard let list = node.sequence, !list.isEmpty else {
            throw fail(node, "'columns' must be a list of columns, each a mapping such as {header: qty, value: line.quantity}")
        }
        return Array(list)
    }

    func csv(_ section: Node, catalog: FieldCatalog) throws(OutputMappingError) -> CSVLayout {
        let e = try entries(section, "csv", known: Self.csvKeys)
        let rows = try rows(e)
        var columns: [CSVLayout.Column] = []
        for node in try columnNodes(e, section: section, "csv") {
            let c = try entries(node, "a csv column", known: ["header", "value"])
            guard let valueNode = c["value"]?.value else { throw fail(node, "a csv column needs 'value:', an expression such as line.quantity") }
            let value = try expression(valueNode, "value", perRow: rows == .lines, catalog: catalog)
            let header = try c["header"].map { entry throws(OutputMappingError) in try string(entry.value, "header") } ?? value.source
            columns.append(CSVLayout.Column(header: header, value: value))
        }
        var layout = CSVLayout(columns: columns)
        layout.rows = rows
        layout.format = try valueFormat(e)
        if let n = e["delimiter"]?.value { layout.delimiter = try asciiCharacter(n, "delimiter") }
        if let n = e["quote"]?.value { layout.quote = try asciiCharacter(n, "quote") }
        if layout.quote == layout.delimiter, let n = e["quote"]?.value ?? e["delimiter"]?.value {
            throw fail(n, "'quote' and 'delimiter' must differ")
        }
        if let n = e["quoting"]?.value { layout.quoting = try choice(n, "quoting", CSVLayout.Quoting.self) }
        if let n = e["encoding"]?.value { layout.encoding = try choice(n, "encoding", OutputEncoding.self) }
        if let n = e["line_end"]?.value { layout.lineEnd = try choice(n, "line_end", LineEnd.self) }
        if let n = e["header"]?.value { layout.header = try bool(n, "header") }
        if let n = e["unencodable"]?.value { layout.unencodable = try choice(n, "unencodable", UnencodablePolicy.self) }
        return layout
    }

    func fixedWidth(_ section: Node, catalog: FieldCatalog) throws(OutputMappingError) -> FixedWidthLayout {
        let e = try entries(section, "fixed_width", known: Self.fixedKeys)
        let rows = try rows(e)
        var columns: [FixedWidthLayout.Column] = []
        for node in try columnNodes(e, section: section, "fixed_width") {
            let c = try entries(node, "a fixed_width column", known: ["name", "value", "width", "align", "pad"])
            guard let valueNode = c["value"]?.value else { throw fail(node, "a fixed_width column needs 'value:', an expression such as line.sku") }
            guard let widthNode = c["width"]?.value else { throw fail(node, "a fixed_width column needs 'width:', its width in characters") }
            let value = try expression(valueNode, "value", perRow: rows == .lines, catalog: catalog)
            var column = FixedWidthLayout.Column(name: value.source, value: value, width: try width(widthNode))
            if let n = c["name"]?.value { column.name = try string(n, "name") }
            if let n = c["align"]?.value { column.align = try choice(n, "align", FixedWidthLayout.Alignment.self) }
            if let n = c["pad"]?.value { column.pad = try character(n, "pad") }
            columns.append(column)
        }
        var layout = FixedWidthLayout(columns: columns)
        layout.rows = rows
        layout.format = try valueFormat(e)
        if let n = e["encoding"]?.value { layout.encoding = try choice(n, "encoding", OutputEncoding.self) }
        if let n = e["line_end"]?.value { layout.lineEnd = try choice(n, "line_end", LineEnd.self) }
        if let n = e["unencodable"]?.value { layout.unencodable = try choice(n, "unencodable", UnencodablePolicy.self) }
        if let n = e["overflow"]?.value { layout.overflow = try choice(n, "overflow", FixedWidthLayout.Overflow.self) }
        return layout
    }

    func xml(_ section: Node, catalog: FieldCatalog) throws(OutputMappingError) -> OutputMapping.Body {
        let e = try entries(section, "xml", known: Self.xmlKeys)
        guard let node = e["template"]?.value else { throw fail(section, "'xml' needs 'template:', the document's XML with {{ expression }} placeholders") }
        let text = try string(node, "template")
        let template: XMLTemplate
        do {
            template = try XMLTemplate.parse(text, catalog: catalog)
        } catch {
            throw place(error, in: node)
        }
        return .xml(template, try valueFormat(e))
    }
}
