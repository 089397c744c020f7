import OrderExport
import OrderModel
import OrderRules

/// A CSV document laid out as a recipient's system imports it: its columns, dialect and encoding.
///
/// Whatever the dialect, every cell is made safe the way `CSVWriter` makes today's files safe: a text
/// cell a spreadsheet would run as a formula is prefixed with `'`, and a card number anywhere in a cell
/// is masked but for its last four digits.
public struct CSVLayout: Sendable {
    /// When a cell is written between quotes.
    public enum Quoting: String, Sendable, Hashable, CaseIterable {
        /// Only cells holding the delimiter, the quote or a line break (RFC 4180).
        case minimal
        /// Every cell, the header row included.
        case all
        /// Never: a cell that would need quotes is an error naming its field.
        case none
    }

    /// One column: its header and the expression of its value.
    public struct Column: Sendable {
        public var header: String
        public var value: OutputExpression
        public init(header: String, value: OutputExpression) { self.header = header; self.value = value }
    }

    public var columns: [Column]
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var quote: UInt8 = UInt8(ascii: "\"")
    public var quoting: Quoting = .minimal
    public var encoding: OutputEncoding = .utf8
    public var lineEnd: LineEnd = .crlf
    public var header = true
    public var format = ValueFormat()
    public var unencodable: UnencodablePolicy = .error
    public var rows: OutputRows = .lines

    public init(columns: [Column]) { self.columns = columns }

    /// The document's bytes; `name` names it in errors.
    public func render(_ document: OutputDocumentValues, today: Int64, name: String) throws(OutputRenderError) -> [UInt8] {
        let rowCount = rows == .header ? 1 : document.rows.count
        var out = EncodedBuffer(encoding: encoding, unencodable: unencodable, capacity: (rowCount + 1) * columns.count * 12)
        let end = lineEnd.bytes
        if header {
            for (i, column) in columns.enumerated() {
                if i > 0 { out.bytes.append(delimiter) }
                try append(column.header, isText: true, to: &out, field: column.header, row: nil, name: name)
            }
            out.bytes.append(contentsOf: end)
        }
        for r in 0..<rowCount {
            let index: Int? = rows == .header ? nil : r
            for (i, column) in columns.enumerated() {
                if i > 0 { out.bytes.append(delimiter) }
                let value = column.value.value(in: document, row: index, today: today)
                let isText: Bool = if case .text = value { true } else { false }
                try append(format.text(value), isText: isText, to: &out, field: column.header, row: r + 1, name: name)
            }
            out.bytes.append(contentsOf: end)
        }
        return out.bytes
    }

    /// One cell: neutralised if it is text, masked, quoted as the dialect says, encoded.
    @inline(__always)
    func append(_ raw: String, isText: Bool, to out: inout EncodedBuffer, field: String, row: Int?, name: String)
        throws(OutputRenderError) {
        var cell = isText ? CSVWriter.neutralised(raw) : raw
        cell = CardNumberRedactor.redact(cell)
        let quoted: Bool
        switch quoting {
        case .all:
            quoted = true
        case .minimal, .none:
            let needs = cell.utf8.contains { $0 == delimiter || $0 == quote || $0 == 10 || $0 == 13 }
            if needs && quoting == .none {
                throw OutputRenderError(document: name, field: field,
                    message: "\(row.map { "row \($0): " } ?? "header: ")the value holds the delimiter, the quote or a line break, and quoting is none (use quoting: minimal)")
            }
            quoted = needs
        }
        if quoted { out.bytes.append(quote) }
        if let bad = out.append(cell, doubling: quoted ? quote : nil) {
            throw OutputRenderError(document: name, field: field,
                message: "\(row.map { "row \($0): " } ?? "header: ")\(EncodedBuffer.shown(bad)) cannot be written in \(encoding.rawValue) (use unencodable: replace to write '?')")
        }
        if quoted { out.bytes.append(quote) }
    }
}
