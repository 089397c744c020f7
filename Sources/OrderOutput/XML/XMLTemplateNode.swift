import OrderRules

/// One piece of a compiled XML template: ready bytes, a value, or an element that `of:each` or `of:if`
/// controls.
///
/// An element without control attributes is not a node of its own: its tags are folded into the bytes
/// around it, so a template is mostly a few long byte runs and writing it is appending them.
enum XMLTemplateNode: Sendable {
    /// Markup and literal text, already escaped.
    case bytes([UInt8])
    /// A placeholder in text content.
    case text(OutputExpression)
    /// A placeholder in an attribute value.
    case attribute(OutputExpression)
    /// An element written once per row, or only when its condition holds.
    case controlled(Controlled)

    struct Controlled: Sendable {
        /// The whitespace written before the element in the template: written before each copy, so that
        /// repeated lines keep the template's indentation and an element left out leaves no blank line.
        var lead: [UInt8]
        /// Whether the element is written once per row (`of:each="line"`).
        var each: Bool
        /// `of:if`: per row when `each`, else read where the element stands.
        var condition: OutputExpression?
        var body: [XMLTemplateNode]
    }

    /// What a document's rendering reads.
    struct Context {
        let document: OutputDocumentValues
        let today: Int64
        let format: ValueFormat
    }

    static let declaration = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)

    static func write(_ nodes: [XMLTemplateNode], row: OutputRow?, context: Context, into out: inout [UInt8]) {
        for node in nodes {
            switch node {
            case .bytes(let bytes):
                out.append(contentsOf: bytes)
            case .text(let expression):
                XMLEscaping.appendText(context.format.text(value(expression, row: row, context: context)), to: &out)
            case .attribute(let expression):
                XMLEscaping.appendAttribute(context.format.text(value(expression, row: row, context: context)), to: &out)
            case .controlled(let element):
                if element.each {
                    for row in context.document.rows {
                        if let condition = element.condition, !holds(condition.value(row: row, today: context.today)) { continue }
                        out.append(contentsOf: element.lead)
                        write(element.body, row: row, context: context, into: &out)
                    }
                } else {
                    if let condition = element.condition, !holds(value(condition, row: row, context: context)) { continue }
                    out.append(contentsOf: element.lead)
                    write(element.body, row: row, context: context, into: &out)
                }
            }
        }
    }

    static func value(_ expression: OutputExpression, row: OutputRow?, context: Context) -> Value {
        if let row { expression.value(row: row, today: context.today) } else { expression.value(header: context.document.header, today: context.today) }
    }

    /// Whether an `of:if` keeps its element: true, or a value that is there (not null, not empty text).
    static func holds(_ value: Value) -> Bool {
        switch value {
        case .bool(let b): b
        case .null: false
        case .text(let s): !s.isEmpty
        case .number, .date: true
        }
    }

    static func fields(_ nodes: [XMLTemplateNode]) -> Set<String> {
        nodes.reduce(into: []) { all, node in
            switch node {
            case .bytes: break
            case .text(let e), .attribute(let e): all.formUnion(e.fields)
            case .controlled(let c):
                if let condition = c.condition { all.formUnion(condition.fields) }
                all.formUnion(fields(c.body))
            }
        }
    }
}
