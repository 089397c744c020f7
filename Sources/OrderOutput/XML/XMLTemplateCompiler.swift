import CLibXML2
import OrderRules
#if canImport(Glibc)
import Glibc
#endif

/// Turns a template's text into `XMLTemplateNode`s: libxml2 checks and parses it, then its tree is
/// walked once, expressions compiled, markup turned into escaped bytes.
///
/// A template is written by a user but may be copied from anywhere, so it is parsed as hostile input:
/// the network off, no DTD loaded, no entity substituted, and a DOCTYPE refused before libxml2 sees the
/// text (a DOCTYPE is where entities would be declared: no XXE, no billion laughs).
struct XMLTemplateCompiler {
    let text: String
    let catalog: FieldCatalog
    let source: XMLTemplateSource
    /// The next start tag of `source.tags` and the next text placeholder, as the walk meets them.
    private var tagIndex = 0
    private var textPlaceholderIndex = 0
    /// The root's `of:doctype-system`: the system identifier of a DOCTYPE to write (cXML's DTD).
    private var doctypeSystem: String?

    init(text: String, catalog: FieldCatalog) {
        self.text = text
        self.catalog = catalog
        source = XMLTemplateSource(text)
    }

    /// The first error libxml2 reports while parsing.
    final class ErrorBox {
        var message: String?
        var line = 0
        var column = 0
    }

    /// libxml2's one-time setup, and every external entity or DTD load refused, whatever the options.
    static let setUp: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    mutating func compile() throws(OutputMappingError) -> [XMLTemplateNode] {
        if let doctype = text.range(of: "<!DOCTYPE") ?? text.range(of: "<!ENTITY") {
            throw source.error(at: text.distance(from: text.startIndex, to: doctype.lowerBound),
                "a template may not have a DOCTYPE or entity declarations; write the characters themselves (or &amp; &lt; &#233;) instead of entities")
        }
        _ = Self.setUp
        guard let context = xmlNewParserCtxt() else {
            throw OutputMappingError(line: 1, column: 1, message: "the XML parser could not be started")
        }
        defer { xmlFreeParserCtxt(context) }
        let errors = ErrorBox()
        context.pointee._private = Unmanaged.passUnretained(errors).toOpaque()
        // libxml2 hands a parser error to the context's structured handler with the context as its data.
        context.pointee.sax?.pointee.serror = { data, error in
            guard let data, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let context = data.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let box = context.pointee._private else { return }
            let errors = Unmanaged<ErrorBox>.fromOpaque(box).takeUnretainedValue()
            guard errors.message == nil else { return }
            errors.message = error.pointee.message.map { String(cString: $0).trimmingWhitespace } ?? "unknown error"
            errors.line = Int(error.pointee.line)
            errors.column = Int(error.pointee.int2)
        }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        let utf8 = Array(text.utf8)
        let parsed = utf8.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlCtxtReadMemory(context, $0, Int32(clamping: buffer.count), nil, "UTF-8", options)
                }
            } ?? nil
        }
        defer { if let parsed { xmlFreeDoc(parsed) } }
        if errors.message != nil || parsed == nil || context.pointee.wellFormed == 0 || context.pointee.nsWellFormed == 0 {
            var message = errors.message ?? (utf8.isEmpty ? "the template is empty" : "the parser stopped")
            if message.hasPrefix("Namespace prefix of ") {
                message += " (declare xmlns:of=\"\(XMLTemplate.controlNamespace)\" on the root element)"
            }
            throw OutputMappingError(line: max(errors.line, 1), column: max(errors.column, 1),
                                     message: "the template is not well-formed XML: \(message)")
        }
        guard let document = parsed, document.pointee.intSubset == nil else {
            throw OutputMappingError(line: 1, column: 1, message: "a template may not have a DOCTYPE")
        }
        guard let root = xmlDocGetRootElement(document) else {
            throw OutputMappingError(line: 1, column: 1, message: "the template has no root element")
        }
        var nodes = try element(root, perRow: false, isRoot: true)
        if let system = doctypeSystem {
            nodes.insert(.bytes(Array("<!DOCTYPE \(Self.qualifiedName(root.pointee.ns, root.pointee.name)) SYSTEM \"\(system)\">\n".utf8)), at: 0)
        }
        return Self.merged(nodes)
    }

    /// One element and what it holds: its tags folded into bytes, or a `.controlled` node.
    private mutating func element(_ node: xmlNodePtr, perRow outerPerRow: Bool, isRoot: Bool = false) throws(OutputMappingError) -> [XMLTemplateNode] {
        let tag = tagIndex < source.tags.count ? source.tags[tagIndex] : nil
        tagIndex += 1
        let line = Int(xmlGetLineNo(node))
        let name = Self.qualifiedName(node.pointee.ns, node.pointee.name)
        func fail(_ message: String) -> OutputMappingError {
            tag.map { source.error(at: $0.offset, message) } ?? OutputMappingError(line: max(line, 1), column: 1, message: message)
        }
        if Self.isControl(node.pointee.ns) {
            throw fail("<\(name)> is not an element orderflow knows: the output namespace has only the attributes of:each and of:if")
        }

        // The control attributes first: of:each makes the element's own attributes per row.
        let (each, condition) = try controls(of: node, tag: tag, line: line, outerPerRow: outerPerRow, isRoot: isRoot)
        let perRow = outerPerRow || each

        var out: [XMLTemplateNode] = [.bytes(Array("<\(name)".utf8))]
        var namespace = node.pointee.nsDef
        while let ns = namespace {
            defer { namespace = ns.pointee.next }
            let uri = Self.string(ns.pointee.href)
            if uri == XMLTemplate.controlNamespace { continue }
            if uri.contains("{{") { throw fail("a namespace name cannot hold a {{ }} placeholder: \(uri)") }
            let declared = ns.pointee.prefix.map { "xmlns:" + Self.string($0) } ?? "xmlns"
            out.append(.bytes(Array(" \(declared)=\"".utf8) + XMLEscaping.attribute(uri) + [34]))
        }
        var attribute = node.pointee.properties
        while let a = attribute {
            defer { attribute = a.pointee.next }
            if Self.isControl(a.pointee.ns) { continue }
            let written = Self.qualifiedName(a.pointee.ns, a.pointee.name)
            let value = Self.value(of: a, in: node.pointee.doc)
            out.append(.bytes(Array(" \(written)=\"".utf8)))
            let template: TextTemplate
            do {
                template = try TextTemplate(value, perRow: perRow, catalog: catalog)
            } catch {
                let offset = XMLTemplateSource.offset(line: error.line, column: error.column, in: value)
                throw attributeError(tag, written, offset: offset, line: line, error.message)
            }
            for part in template.parts {
                switch part {
                case .literal(let s): out.append(.bytes(XMLEscaping.attribute(s)))
                case .expression(let e): out.append(.attribute(e))
                }
            }
            out.append(.bytes([34]))
        }

        var body: [XMLTemplateNode] = []
        var pendingLead: [UInt8]? = nil
        var child = node.pointee.children
        while let c = child {
            defer { child = c.pointee.next }
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                var nodes = try element(c, perRow: perRow)
                if case .controlled(var controlled)? = nodes.first, nodes.count == 1, let lead = pendingLead {
                    controlled.lead = lead + controlled.lead
                    nodes = [.controlled(controlled)]
                    pendingLead = nil
                }
                if let lead = pendingLead { body.append(.bytes(lead)) }
                pendingLead = nil
                body += nodes
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let lead = pendingLead { body.append(.bytes(lead)); pendingLead = nil }
                let content = Self.string(c.pointee.content)
                if content.allSatisfy(\.isWhitespace) {
                    // Kept aside: it goes with the next element when that one is repeated or left out.
                    pendingLead = XMLEscaping.text(content)
                    continue
                }
                body += try text(content, perRow: perRow, line: Int(xmlGetLineNo(c)))
            default:
                // Comments and processing instructions are notes to the template's author: not written.
                continue
            }
        }
        if let lead = pendingLead { body.append(.bytes(lead)) }

        if body.isEmpty {
            out.append(.bytes(Array("/>".utf8)))
        } else {
            out.append(.bytes([62]))
            out += body
            out.append(.bytes(Array("</\(name)>".utf8)))
        }
        guard each || condition != nil else { return out }
        return [.controlled(.init(lead: [], each: each, condition: condition, body: Self.merged(out)))]
    }

    /// The element's `of:` attributes: whether it repeats per row, and its condition.
    private mutating func controls(of node: xmlNodePtr, tag: XMLTemplateSource.StartTag?, line: Int, outerPerRow: Bool,
                                   isRoot: Bool) throws(OutputMappingError) -> (each: Bool, condition: OutputExpression?) {
        func fail(_ message: String) -> OutputMappingError {
            tag.map { source.error(at: $0.offset, message) } ?? OutputMappingError(line: max(line, 1), column: 1, message: message)
        }
        var each = false
        var conditionSource: (text: String, name: String)?
        var attribute = node.pointee.properties
        while let a = attribute {
            defer { attribute = a.pointee.next }
            guard Self.isControl(a.pointee.ns) else { continue }
            let local = Self.string(a.pointee.name)
            let written = Self.qualifiedName(a.pointee.ns, a.pointee.name)
            let value = Self.value(of: a, in: node.pointee.doc)
            switch local {
            case "each":
                guard value.trimmingWhitespace == "line" else {
                    throw attributeError(tag, written, offset: 0, line: line,
                        "\(written)=\"\(value)\" is not known; write \(written)=\"line\" to repeat the element once per row")
                }
                if outerPerRow {
                    throw fail("\(written) inside an element that already repeats per row; a document has one level of rows")
                }
                if isRoot { throw fail("the root element cannot repeat; put \(written) on an element inside it") }
                each = true
            case "doctype-system" where isRoot:
                // A DOCTYPE cannot be in the template (it is refused, as where entities are declared); a
                // recipient that wants one (cXML) gets it written from this: a label, never read.
                guard !value.isEmpty, !value.contains("\""), !value.contains("{{"),
                      !value.unicodeScalars.contains(where: { $0.value < 32 }) else {
                    throw attributeError(tag, written, offset: 0, line: line,
                        "\(written) takes the DTD's address as it is (no quotes, no {{ }}): \(written)=\"http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd\"")
                }
                doctypeSystem = value
            case "if":
                if isRoot { throw fail("the root element cannot be left out; put \(written) on an element inside it") }
                conditionSource = (value, written)
            default:
                throw attributeError(tag, written, offset: 0, line: line,
                    "\(written) is not known; the output namespace has of:each, of:if (and of:doctype-system on the root)")
            }
        }
        let perRow = outerPerRow || each
        var condition: OutputExpression?
        if let (expression, written) = conditionSource {
            if expression.contains("{{") {
                throw attributeError(tag, written, offset: 0, line: line,
                    "\(written) takes an expression as it is, without {{ }}: \(written)=\"order.ship_address2\"")
            }
            do {
                condition = try OutputExpression(expression, perRow: perRow, catalog: catalog)
            } catch {
                throw attributeError(tag, written, offset: min(max(error.offset, 0), expression.count), line: line, error.message)
            }
        }
        return (each, condition)
    }

    /// A text node's placeholders, each error placed at its character in the template.
    private mutating func text(_ content: String, perRow: Bool, line: Int) throws(OutputMappingError) -> [XMLTemplateNode] {
        let template: TextTemplate
        do {
            template = try TextTemplate(content, perRow: perRow, catalog: catalog)
        } catch {
            let offset = XMLTemplateSource.offset(line: error.line, column: error.column, in: content)
            let starts = XMLTemplateSource.placeholders(in: Array(content), from: 0, to: content.count)
            if let k = starts.lastIndex(where: { $0 <= offset }), textPlaceholderIndex + k < source.textPlaceholders.count {
                throw source.error(at: source.textPlaceholders[textPlaceholderIndex + k] + offset - starts[k], error.message)
            }
            throw OutputMappingError(line: max(line, 1), column: 1, message: error.message)
        }
        var nodes: [XMLTemplateNode] = []
        for part in template.parts {
            switch part {
            case .literal(let s): nodes.append(.bytes(XMLEscaping.text(s)))
            case .expression(let e):
                textPlaceholderIndex += 1
                nodes.append(.text(e))
            }
        }
        return nodes
    }

    /// An error `offset` characters into the value of attribute `written` of the start tag `tag`.
    private func attributeError(_ tag: XMLTemplateSource.StartTag?, _ written: String, offset: Int, line: Int, _ message: String) -> OutputMappingError {
        guard let start = tag?.values[written] else { return OutputMappingError(line: max(line, 1), column: 1, message: message) }
        return source.error(at: start + offset, message)
    }

    /// Adjacent byte runs joined: fewer, longer appends when writing.
    static func merged(_ nodes: [XMLTemplateNode]) -> [XMLTemplateNode] {
        var out: [XMLTemplateNode] = []
        for node in nodes {
            if case .bytes(let next) = node, case .bytes(let previous)? = out.last {
                out[out.count - 1] = .bytes(previous + next)
            } else if case .controlled(var c) = node {
                c.body = merged(c.body)
                out.append(.controlled(c))
            } else {
                out.append(node)
            }
        }
        return out
    }

    static func isControl(_ ns: xmlNsPtr?) -> Bool {
        guard let ns else { return false }
        return string(ns.pointee.href) == XMLTemplate.controlNamespace
    }

    static func qualifiedName(_ ns: xmlNsPtr?, _ name: UnsafePointer<xmlChar>?) -> String {
        let local = string(name)
        guard let prefix = ns?.pointee.prefix else { return local }
        return string(prefix) + ":" + local
    }

    static func string(_ text: UnsafePointer<xmlChar>?) -> String {
        text.map { String(cString: $0) } ?? ""
    }

    static func value(of attribute: xmlAttrPtr, in document: xmlDocPtr?) -> String {
        guard let value = xmlNodeListGetString(document, attribute.pointee.children, 1) else { return "" }
        defer { free(value) }
        return String(cString: value)
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
