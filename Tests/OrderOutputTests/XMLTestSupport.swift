import CLibXML2
import Foundation
import OrderEngine
import OrderOutput
import OrderRules
import Testing

/// A purchase order of three lines for the XML tests, the shipped mappings, and a well-formedness check.
enum XMLSample {
    /// 2026-03-05.
    static let today: Int64 = 20517

    static let catalog = OutputDocumentKind.purchaseOrder.catalog()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func number(_ s: String) -> Value { .number(Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) ?? 0) }

    /// A drop-ship purchase order: three lines, one of 12.5 kg, a price of 3.75, a description with `&` and `<`.
    static func purchaseOrder(shipAddress2: Value = .text("Goods In, Door 3"), supplierEmail: Value = .text("orders@acme.example")) -> OutputDocumentValues {
        var header = OrderFacts(
            orderID: 7,
            order: ["ref": .text("SO-1001"), "date": .date(today - 2), "currency": .text("GBP"),
                    "ship_name": .text("Zoë Müller & Sons"), "ship_address1": .text("Unit 9, Ring Road"),
                    "ship_address2": shipAddress2, "ship_city": .text("Leeds"), "ship_postcode": .text("LS12 6AA"),
                    "ship_country": .text("GB")],
            customer: ["ref": .text("C001"), "name": .text("Zoë Müller & Sons")], lines: [],
            entities: ["document": ["ref": .text("PO-000042"), "number": number("42"), "date": .date(today)],
                       "supplier": ["ref": .text("ACME"), "name": .text("Acme Supplies <UK> Ltd"), "email": supplierEmail],
                       "ship_to": ["name": .text("Zoë Müller & Sons"), "address1": .text("Unit 9, Ring Road"), "address2": shipAddress2,
                                   "city": .text("Leeds"), "postcode": .text("LS12 6AA"), "country": .text("GB")]])
        let lines = [
            line(1, sku: "WID-100", quantity: "4", cost: "12.5", description: "Widget small", unit: "EA", category: "widgets"),
            line(2, sku: "NUT-8", quantity: "12.5", cost: "3.75", description: "Nuts & bolts <M8> \"zinc\"", unit: "KGM", category: "fixings"),
            line(3, sku: "WID-200", quantity: "1", cost: "30", description: "Widget large", unit: "EA", category: "widgets"),
        ]
        header.lines = lines
        return OutputDocumentValues(header: header, rows: lines.map { OutputRow(order: header, line: $0) })
    }

    static func line(_ no: Int, sku: String, quantity: String, cost: String, description: String, unit: String, category: String) -> LineFacts {
        LineFacts(lineID: Int64(no), line: ["line_no": number(String(no)), "sku": .text(sku), "quantity": number(quantity), "unit_cost": number(cost)],
                  product: ["sku": .text(sku), "description": .text(description), "stock_unit": .text(unit), "category": .text(category)])
    }

    /// The shipped output mapping `mappings/outputs/NAME.yaml` of a new home (`ShippedMappings`).
    static func shipped(_ name: String) throws -> OutputMapping {
        let text = try #require(ShippedMappings.text(name))
        return try OutputMappingLoader().load(yaml: text, file: "outputs/\(name).yaml", name: name)
    }

    /// A template with the control namespace declared on a root `<doc>`, rendered for the sample.
    static func render(_ body: String, document: OutputDocumentValues = purchaseOrder()) throws -> String {
        let template = try XMLTemplate.parse("<doc xmlns:of=\"urn:orderflow:output\">\(body)</doc>", catalog: catalog)
        let bytes = try template.render(document, today: today, format: ValueFormat())
        #expect(isWellFormed(bytes), "not well-formed: \(String(decoding: bytes, as: UTF8.self))")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What `render` writes between the declaration and the final line end.
    static func body(_ rendered: String) -> String {
        let prefix = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        guard rendered.hasPrefix(prefix), rendered.hasSuffix("\n") else { return rendered }
        return String(rendered.dropFirst(prefix.count).dropLast())
    }

    /// The template's parse error, as the loader would get it.
    static func parseError(_ text: String) -> OutputMappingError? {
        do {
            _ = try XMLTemplate.parse(text, catalog: catalog)
            return nil
        } catch {
            return error
        }
    }

    /// Whether libxml2 reads `bytes` as well-formed, namespace-well-formed XML (no network, no DTD).
    static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        guard let context = xmlNewParserCtxt() else { return false }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, nil, options)
                }
            }
        }
        defer { if let document { xmlFreeDoc(document) } }
        return document != nil && context.pointee.wellFormed != 0 && context.pointee.nsWellFormed != 0
    }

    /// The text of the first element named `name` (any namespace) in `bytes`, as a parser reads it back.
    static func text(of name: String, in bytes: [UInt8]) -> String? {
        guard let document = bytes.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(buffer.count), nil, nil, Int32(XML_PARSE_NONET.rawValue))
                }
            }
        }) else { return nil }
        defer { xmlFreeDoc(document) }
        func find(_ node: xmlNodePtr?) -> String? {
            var node = node
            while let n = node {
                if n.pointee.type == XML_ELEMENT_NODE, String(cString: n.pointee.name) == name,
                   let content = xmlNodeGetContent(n) {
                    defer { free(content) }
                    return String(cString: content)
                }
                if let found = find(n.pointee.children) { return found }
                node = n.pointee.next
            }
            return nil
        }
        return find(xmlDocGetRootElement(document))
    }

    /// An attribute of the first element named `element`, as a parser reads it back.
    static func attribute(_ name: String, of element: String, in bytes: [UInt8]) -> String? {
        guard let document = bytes.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(buffer.count), nil, nil, Int32(XML_PARSE_NONET.rawValue))
                }
            }
        }) else { return nil }
        defer { xmlFreeDoc(document) }
        func find(_ node: xmlNodePtr?) -> String? {
            var node = node
            while let n = node {
                if n.pointee.type == XML_ELEMENT_NODE, String(cString: n.pointee.name) == element,
                   let value = xmlGetProp(n, name) {
                    defer { free(value) }
                    return String(cString: value)
                }
                if let found = find(n.pointee.children) { return found }
                node = n.pointee.next
            }
            return nil
        }
        return find(xmlDocGetRootElement(document))
    }
}
