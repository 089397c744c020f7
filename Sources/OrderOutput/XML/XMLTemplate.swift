import OrderRules

/// A purchase order (or any outbox document) as the XML a recipient expects, written as that XML with
/// `{{ expression }}` placeholders: a supplier's UBL Order or cXML OrderRequest is a template a user can
/// read and change, not code.
///
/// The template is real XML in the control namespace `urn:orderflow:output` (declared on the root, e.g.
/// `xmlns:of="urn:orderflow:output"`):
/// - `{{ expression }}` in text and attribute values writes a value in the rule language, escaped;
/// - `of:each="line"` repeats an element once per row of the document; expressions inside it read the
///   row (`line.sku`), those outside read the document (`order.ref`, `document.date`);
/// - `of:if="expression"` leaves an element out unless the expression is true, or a value that is not
///   null or empty text (`of:if="order.ship_address2"`); on an `of:each` element it chooses rows.
///
/// The control namespace's declaration and attributes are not written, and neither are comments and
/// processing instructions (notes to the template's author); everything else — namespace declarations,
/// prefixes, whitespace — is written as the template has it, after an XML declaration for UTF-8.
///
/// The template is compiled once, when its mapping is loaded, into runs of ready bytes and values, so
/// that writing a document is appending bytes; every value is escaped, so a document is always
/// well-formed whatever the data holds. A template is parsed with the network off and no DTD: a DOCTYPE
/// (where entities would be declared) is refused.
public struct XMLTemplate: Sendable {
    let nodes: [XMLTemplateNode]

    /// The namespace of `of:each` and `of:if`.
    public static let controlNamespace = "urn:orderflow:output"

    /// Compiles `text`; `catalog` is the fields the document's expressions may read.
    /// - Throws: `OutputMappingError` positioned in `text` (line 1 is its first line; the mapping loader
    ///   places it in its file): libxml2's line and column for XML that is not well-formed, the very
    ///   character of a mistake in a placeholder or an `of:` attribute.
    public static func parse(_ text: String, catalog: FieldCatalog) throws(OutputMappingError) -> XMLTemplate {
        var compiler = XMLTemplateCompiler(text: text, catalog: catalog)
        return XMLTemplate(nodes: try compiler.compile())
    }

    /// The fields the template's expressions read, as `entity.name`.
    public var fields: Set<String> { XMLTemplateNode.fields(nodes) }

    /// The document's bytes: UTF-8 XML, with an XML declaration and a final line end.
    ///
    /// Writing XML cannot fail on a value (each is escaped; characters XML 1.0 cannot carry, such as
    /// control characters, are left out), so this throws only for the sake of the mapping's common
    /// signature.
    public func render(_ document: OutputDocumentValues, today: Int64, format: ValueFormat) throws(OutputRenderError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024 + document.rows.count * 512)
        out.append(contentsOf: XMLTemplateNode.declaration)
        let context = XMLTemplateNode.Context(document: document, today: today, format: format)
        XMLTemplateNode.write(nodes, row: nil, context: context, into: &out)
        out.append(10)
        return out
    }
}
