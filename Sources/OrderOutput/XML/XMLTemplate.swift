import OrderRules

// PLACEHOLDER (helper H1): a stand-in so that OrderOutput compiles before the real XML template lands.
// H2's XMLTemplate replaces this whole file; only the two signatures below are relied on.

/// An XML document template (placeholder: accepts any text, renders it as written).
public struct XMLTemplate: Sendable {
    let text: String

    public static func parse(_ text: String, catalog: FieldCatalog) throws(OutputMappingError) -> XMLTemplate {
        XMLTemplate(text: text)
    }

    public func render(_ document: OutputDocumentValues, today: Int64, format: ValueFormat) throws(OutputRenderError) -> [UInt8] {
        Array(text.utf8)
    }
}
