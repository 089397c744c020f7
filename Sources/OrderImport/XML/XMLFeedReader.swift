import CLibXML2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Streams records out of an XML file with libxml2's reader: one record's subtree in memory at a time.
///
/// Hostile input is expected: the network is off, no DTD is loaded, no entity is ever
/// substituted, and a file with an internal DTD subset (`<!DOCTYPE x [ … ]>`, the only place
/// entities can be declared) is refused before anything in it is expanded or fetched; a DOCTYPE
/// with only an external identifier (cXML's) is a label and is never read. A file that is
/// not well-formed is refused whole with the line and column libxml2 reports.
struct XMLFeedReader {
    let mapping: Mapping
    let layout: XMLLayout

    /// Collects the first error libxml2 reports.
    final class ErrorBox {
        var message: String?
        var line = 0
        var column = 0
    }

    /// Whether the document's DOCTYPE holds no declarations: no internal subset content and no entities.
    static func declaresNothing(_ doc: xmlDocPtr?) -> Bool {
        guard let doc, let dtd = doc.pointee.intSubset else { return false }
        return dtd.pointee.children == nil && dtd.pointee.entities == nil && dtd.pointee.pentities == nil
            && dtd.pointee.elements == nil && dtd.pointee.attributes == nil && dtd.pointee.notations == nil
    }

    /// libxml2's one-time setup, and every external entity or DTD load refused, whatever the parser
    /// options say. libxml2 2.9 wants its setup done before other threads parse (see `FeedReader.prepare()`).
    static let installSafeLoader: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// Whether the element whose open path is `stack` is where an absolute path leaves the record path:
    /// it (and what it holds) is kept for the records that follow, since streaming would free it.
    func keeps(_ stack: [RecordPath.Step]) -> Bool {
        guard !layout.kept.isEmpty else { return false }
        guard !layout.record.anywhere else {
            // With a `//` record path the record's ancestors are unknown: only the elements an absolute path
            // names are kept (never the root, which stays open anyway), so that no container of records is.
            return stack.count > 1 && layout.kept.contains(stack)
        }
        // Ancestors of the record stay open anyway; only an element off the record path is kept (with what it
        // holds, so that predicates on it work), and only the one where the path turns off the record path.
        let parent = stack.dropLast()
        if layout.record.steps.starts(with: stack) || !layout.record.steps.starts(with: parent) { return false }
        return layout.kept.contains { $0.starts(with: stack) }
    }

    @discardableResult
    func read(path: String, size: Int, progress: ((Int) throws -> Void)?,
              _ body: (Result<MappedRecord, RecordRejection>) throws -> Void) throws -> FeedReader.Summary {
        _ = Self.installSafeLoader
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        guard let reader = xmlReaderForFile(path, nil, options) else {
            throw FileRejection(reason: "cannot open the file as XML")
        }
        defer { xmlFreeTextReader(reader) }
        let errors = ErrorBox()
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
            guard box.message == nil else { return }
            box.message = error.pointee.message.map { String(cString: $0).trimmed } ?? "unknown error"
            box.line = Int(error.pointee.line)
            box.column = Int(error.pointee.int2)
        }, Unmanaged.passUnretained(errors).toOpaque())

        // Compile every XPath once per file.
        var compiled: [String: xmlXPathCompExprPtr] = [:]
        defer { for c in compiled.values { xmlXPathFreeCompExpr(c) } }
        let mapper = RecordMapper(mapping: mapping)
        for case .xpath(let expression) in mapper.references where compiled[expression] == nil {
            compiled[expression] = xmlXPathCompile(expression)
        }
        let linesExpression = layout.lines.flatMap { xmlXPathCompile($0) }
        defer { if let linesExpression { xmlXPathFreeCompExpr(linesExpression) } }

        var context: xmlXPathContextPtr? = nil
        defer { if let context { xmlXPathFreeContext(context) } }
        var stack: [RecordPath.Step] = []
        var records = 0
        var fillDown = RecordMapper.FillDown()
        var summary = FeedReader.Summary()
        /// The depth of the element last kept for absolute paths (what it holds is kept with it).
        var keptDepth: Int? = nil

        func stringValue(_ expression: String, at node: xmlNodePtr) -> String {
            guard let context, let comp = compiled[expression] else { return "" }
            context.pointee.node = node
            guard let object = xmlXPathCompiledEval(comp, context) else { return "" }
            defer { xmlXPathFreeObject(object) }
            guard let text = xmlXPathCastToString(object) else { return "" }
            defer { free(text) }
            return String(cString: text)
        }

        var status = xmlTextReaderRead(reader)
        while status == 1 {
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue) {
                // `<!DOCTYPE cXML SYSTEM "http://…/cXML.dtd">` (every cXML document) names a DTD without
                // declaring anything: the identifier is a label, never fetched or read (no DTD loading, the
                // network off, every external load refused). An internal subset `[ … ]` is where entities are
                // declared, so a file with one — even an empty-looking one — is refused whole.
                guard Self.declaresNothing(xmlTextReaderCurrentDoc(reader)) else {
                    throw FileRejection(reason: "the file declares an internal DTD subset (<!DOCTYPE … [ … ]>); entity and other declarations are not accepted in order files, so nothing in it was expanded or fetched (a DOCTYPE with only an external identifier, SYSTEM or PUBLIC, is accepted and never read)")
                }
                status = xmlTextReaderRead(reader)
                continue
            }
            guard type == Int32(XML_READER_TYPE_ELEMENT.rawValue) else {
                status = xmlTextReaderRead(reader)
                continue
            }
            let depth = Int(xmlTextReaderDepth(reader))
            if stack.count > depth { stack.removeLast(stack.count - depth) }
            let local = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
            let namespace = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) }
            stack.append(RecordPath.Step(namespace: namespace, localName: local))
            guard layout.record.matches(stack) else {
                // Outside every record: an element that an absolute path reads is kept (libxml2 frees the rest).
                if let kept = keptDepth, depth <= kept { keptDepth = nil }
                if keptDepth == nil, keeps(stack) {
                    _ = xmlTextReaderPreserve(reader)
                    keptDepth = depth
                }
                status = xmlTextReaderRead(reader)
                continue
            }
            guard let node = xmlTextReaderExpand(reader) else { break }
            records += 1
            if context == nil {
                context = xmlXPathNewContext(xmlTextReaderCurrentDoc(reader))
                for (prefix, uri) in layout.namespaces { xmlXPathRegisterNs(context, prefix, uri) }
            }
            var lineNodes: [xmlNodePtr] = [node]
            if let linesExpression, let context {
                context.pointee.node = node
                lineNodes = []
                if let object = xmlXPathCompiledEval(linesExpression, context) {
                    if let set = object.pointee.nodesetval {
                        for i in 0..<Int(set.pointee.nodeNr) { if let n = set.pointee.nodeTab[i] { lineNodes.append(n) } }
                    }
                    xmlXPathFreeObject(object)
                }
                if lineNodes.isEmpty {
                    var rejection = RecordRejection(line: Int(xmlGetLineNo(node)), field: nil,
                        message: "no line elements found at '\(layout.lines!)'; expected at least one")
                    rejection.location = "record \(records) (\(layout.record))"
                    rejection.orderRef = mapping.fields["order_ref"].flatMap { rule -> String? in
                        if case .xpath(let e) = rule.source { return stringValue(e, at: node).trimmed.nilIfEmpty }
                        return nil
                    }
                    try body(.failure(rejection))
                }
            }
            for (k, lineNode) in lineNodes.enumerated() {
                let location = layout.lines == nil ? "record \(records) (\(layout.record))"
                    : "record \(records) (\(layout.record)), line element \(k + 1)"
                let lookup: (FieldSource) -> String = { source in
                    guard case .xpath(let expression) = source else { return "" }
                    return stringValue(expression, at: lineNode)
                }
                if mapper.skips(lookup) {
                    summary.skipped += 1
                    mapper.noteSkipped(line: Int(xmlGetLineNo(lineNode)), fillDown: &fillDown, lookup: lookup)
                    continue
                }
                try body(mapper.map(line: Int(xmlGetLineNo(lineNode)), location: location, fillDown: &fillDown, lookup: lookup))
            }
            stack.removeLast()
            if records % 1024 == 0 { try progress?(Int(xmlTextReaderByteConsumed(reader))) }
            status = xmlTextReaderNext(reader)
        }
        if status < 0 || errors.message != nil {
            let message = errors.message ?? "the parser stopped"
            throw FileRejection(reason: "not well-formed XML at line \(errors.line), column \(errors.column): \(message)")
        }
        if records == 0 {
            throw FileRejection(reason: "no record elements found at '\(layout.record)'; check xml: record: in \(mapping.file) (and its namespaces)")
        }
        try progress?(size)
        return summary
    }
}
