import OrderModel
import OrderRules

/// A fixed-width text document for the oldest systems: each field padded to its width, one row per line.
///
/// Widths count characters. A value wider than its column is an error naming the document, row and
/// field (or, with `overflow: truncate`, cut to the width): a shifted field would be read as another.
/// Card numbers are masked in every field, as in CSV.
public struct FixedWidthLayout: Sendable {
    /// Which side of a field the value sits on (the padding fills the other).
    public enum Alignment: String, Sendable, Hashable, CaseIterable { case left, right }
    /// What a value wider than its field does: stop the document, or lose its end.
    public enum Overflow: String, Sendable, Hashable, CaseIterable { case error, truncate }

    /// One field: its value, width, alignment and padding character.
    public struct Column: Sendable {
        /// What errors call the field (the mapping's `name:`, else the expression).
        public var name: String
        public var value: OutputExpression
        public var width: Int
        public var align: Alignment
        public var pad: Character
        public init(name: String, value: OutputExpression, width: Int, align: Alignment = .left, pad: Character = " ") {
            self.name = name; self.value = value; self.width = width; self.align = align; self.pad = pad
        }
    }

    /// The fields of a line, in order; a line is as wide as their widths' sum.
    public var columns: [Column]
    public var encoding: OutputEncoding = .utf8
    public var lineEnd: LineEnd = .crlf
    public var format = ValueFormat()
    public var unencodable: UnencodablePolicy = .error
    public var overflow: Overflow = .error
    public var rows: OutputRows = .lines

    /// A layout in UTF-8 with CRLF line ends, refusing overflow; set the options to change it.
    public init(columns: [Column]) { self.columns = columns }

    /// The document's bytes; `name` names it in errors.
    public func render(_ document: OutputDocumentValues, today: Int64, name: String) throws(OutputRenderError) -> [UInt8] {
        let rowCount = rows == .header ? 1 : document.rows.count
        let lineWidth = columns.reduce(0) { $0 + $1.width }
        var out = EncodedBuffer(encoding: encoding, unencodable: unencodable, capacity: rowCount * (lineWidth + 2))
        let end = lineEnd.bytes
        for r in 0..<rowCount {
            for i in columns.indices {
                let value = rows == .header ? columns[i].value.value(header: document.header, today: today)
                    : columns[i].value.value(row: document.rows[r], today: today)
                let text = CardNumberRedactor.redact(format.text(value))
                let field = try fitted(text, columns[i], row: r + 1, name: name)
                if let bad = out.append(field) {
                    throw OutputRenderError(document: name, field: columns[i].name,
                        message: "row \(r + 1): \(EncodedBuffer.shown(bad)) cannot be written in \(encoding.rawValue) (use unencodable: replace to write '?')")
                }
            }
            out.bytes.append(contentsOf: end)
        }
        return out.bytes
    }

    /// The value padded (or, if allowed, cut) to the column's width. A number right-aligned with `0`
    /// keeps its sign first (`-0000012`).
    func fitted(_ text: String, _ column: Column, row: Int, name: String) throws(OutputRenderError) -> String {
        let length = text.count
        if length == column.width { return text }
        if length > column.width {
            guard overflow == .truncate else {
                throw OutputRenderError(document: name, field: column.name,
                    message: "row \(row): '\(text)' is \(length) characters, wider than the column's \(column.width)")
            }
            return String(text.prefix(column.width))
        }
        let padding = String(repeating: column.pad, count: column.width - length)
        switch column.align {
        case .left:
            return text + padding
        case .right:
            if column.pad == "0", let sign = text.first, sign == "-" || sign == "+" {
                return String(sign) + padding + text.dropFirst()
            }
            return padding + text
        }
    }
}
