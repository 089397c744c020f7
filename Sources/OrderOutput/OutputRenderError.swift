/// A document an output mapping could not write: which document, which field, and why
/// (a character the encoding cannot hold, a value wider than its fixed-width column, a cell that needs
/// quotes when quoting is `none`).
///
/// Rendering stops at the first such value: a recipient gets a whole, true file or none.
public struct OutputRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The document's name (`PO-000123.csv`, the mapping's file), when known.
    public var document: String?
    /// The field (column header, expression, or element path) whose value could not be written.
    public var field: String
    public var message: String

    public init(document: String? = nil, field: String, message: String) {
        self.document = document; self.field = field; self.message = message
    }

    /// `document PO-1.csv, field 'name': message`.
    public var description: String {
        (document.map { "document \($0), " } ?? "") + "field '\(field)': \(message)"
    }
}
