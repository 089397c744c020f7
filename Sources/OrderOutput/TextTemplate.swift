import OrderRules

/// Text with `{{ expression }}` placeholders (a file name `PO-{{ document.ref }}.csv`, a folder, an XML
/// template's text), compiled once when the mapping is loaded.
///
/// Each placeholder is an expression in the rule language; a mistake in one is reported at the very
/// character of the text (line and column relative to the text, which the loader places in its file).
/// Single-quoted strings inside a placeholder may hold `}}`.
public struct TextTemplate: Sendable {
    /// One piece of the text: as written, or a value.
    public enum Part: Sendable {
        case literal(String)
        case expression(OutputExpression)
    }

    public let source: String
    public let parts: [Part]
    public let perRow: Bool

    /// - Throws: `OutputMappingError` positioned in `text` (file nil; use `located(file:line:column:)`).
    public init(_ text: String, perRow: Bool, catalog: FieldCatalog) throws(OutputMappingError) {
        source = text
        self.perRow = perRow
        let chars = Array(text)
        var parts: [Part] = []
        var literal = ""
        var i = 0
        func fail(_ offset: Int, _ message: String) -> OutputMappingError {
            let (line, column) = OutputMappingError.position(of: offset, in: text)
            return OutputMappingError(line: line, column: column, message: message)
        }
        while i < chars.count {
            guard chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{" else {
                literal.append(chars[i]); i += 1; continue
            }
            let start = i + 2
            var j = start
            var quoted = false
            var end: Int?
            while j < chars.count {
                if chars[j] == "'" { quoted.toggle() }
                else if !quoted, chars[j] == "}", j + 1 < chars.count, chars[j + 1] == "}" { end = j; break }
                j += 1
            }
            guard let end else { throw fail(i, "'{{' is not closed by '}}'") }
            let inner = String(chars[start..<end])
            guard !inner.allSatisfy(\.isWhitespace) else { throw fail(i, "'{{ }}' holds no expression; write a field such as {{ order.ref }}") }
            let expression: OutputExpression
            do {
                expression = try OutputExpression(inner, perRow: perRow, catalog: catalog)
            } catch {
                throw fail(start + min(max(error.offset, 0), inner.count), error.message)
            }
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
            parts.append(.expression(expression))
            i = end + 2
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// Whether the text has no placeholder.
    public var isConstant: Bool { !parts.contains { if case .expression = $0 { true } else { false } } }

    /// The fields the placeholders read, as `entity.name`.
    public var fields: Set<String> {
        parts.reduce(into: []) { all, part in if case .expression(let e) = part { all.formUnion(e.fields) } }
    }

    /// Whether a placeholder reads an order's lines together (`sum`, `count lines`, `any line:`).
    public var readsLines: Bool {
        parts.contains { if case .expression(let e) = $0 { e.readsLines } else { false } }
    }

    /// The text for the document as a whole.
    public func render(header: OrderFacts, today: Int64, format: ValueFormat = ValueFormat()) -> String {
        render(format) { $0.value(header: header, today: today) }
    }

    /// The text for one row.
    public func render(row: OutputRow, today: Int64, format: ValueFormat = ValueFormat()) -> String {
        render(format) { $0.value(row: row, today: today) }
    }

    private func render(_ format: ValueFormat, _ value: (OutputExpression) -> Value) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .expression(let e): out += format.text(value(e))
            }
        }
        return out
    }
}
