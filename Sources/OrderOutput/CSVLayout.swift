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
        /// Digits after the separator for this column's numbers (`decimals: 2` writes `300` as `300.00`); nil: the layout's.
        public var decimals: Int?
        public init(header: String, value: OutputExpression, decimals: Int? = nil) {
            self.header = header; self.value = value; self.decimals = decimals
        }
    }

    /// The columns, in the order they are written.
    public var columns: [Column]
    /// One ASCII byte, so that it is the same byte in every encoding.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// One ASCII byte; doubled inside a quoted cell.
    public var quote: UInt8 = UInt8(ascii: "\"")
    public var quoting: Quoting = .minimal
    public var encoding: OutputEncoding = .utf8
    /// CRLF by default, as RFC 4180 and today's files.
    public var lineEnd: LineEnd = .crlf
    /// Whether the first row holds the columns' headers.
    public var header = true
    /// The decimal separator and date pattern of the values.
    public var format = ValueFormat()
    public var unencodable: UnencodablePolicy = .error
    public var rows: OutputRows = .lines

    /// A layout with today's dialect (RFC 4180, UTF-8, CRLF, a header row); set the options to change it.
    public init(columns: [Column]) { self.columns = columns }

    /// The document's bytes; `name` names it in errors.
    public func render(_ document: OutputDocumentValues, today: Int64, name: String) throws(OutputRenderError) -> [UInt8] {
        let rowCount = rows == .header ? 1 : document.rows.count
        var out = EncodedBuffer(encoding: encoding, unencodable: unencodable, capacity: (rowCount + 1) * columns.count * 12)
        let cells = CellWriter(delimiter: delimiter, quote: quote, quoting: quoting, name: name)
        let formats = columns.map { column in column.decimals.map { decimals in var f = format; f.decimals = decimals; return f } ?? format }
        let end = lineEnd.bytes
        if header {
            for i in columns.indices {
                if i > 0 { out.bytes.append(delimiter) }
                try cells.append(columns[i].header, isText: true, to: &out, field: columns[i].header, row: nil)
            }
            out.bytes.append(contentsOf: end)
        }
        if rows == .header {
            for i in columns.indices {
                if i > 0 { out.bytes.append(delimiter) }
                try cells.append(columns[i].value.value(header: document.header, today: today), format: formats[i],
                                 to: &out, field: columns[i].header, row: 1)
            }
            out.bytes.append(contentsOf: end)
            return out.bytes
        }
        // Each column's compiled expression, taken once: a column copied for each of 300,000 rows had cost
        // more than its value. Its header is looked up only for an error.
        let evaluators = columns.map(\.value.evaluator)
        for r in document.rows.indices {
            let context = OutputExpression.context(row: document.rows[r], today: today)
            for i in evaluators.indices {
                if i > 0 { out.bytes.append(delimiter) }
                try cells.append(evaluators[i](context), format: formats[i], to: &out, columns: columns, column: i, row: r + 1)
            }
            out.bytes.append(contentsOf: end)
        }
        return out.bytes
    }
}

/// Writes one cell: neutralised if it is text, masked, quoted as the dialect says, encoded.
private struct CellWriter {
    let delimiter: UInt8
    let quote: UInt8
    let quoting: CSVLayout.Quoting
    let name: String

    @inline(__always)
    func append(_ value: Value, format: ValueFormat, to out: inout EncodedBuffer, field: String, row: Int) throws(OutputRenderError) {
        if case .text(let s) = value {
            try append(s, isText: true, to: &out, field: field, row: row)
        } else {
            try append(format.text(value), isText: false, to: &out, field: field, row: row)
        }
    }

    /// A row's cell of column `column` of `columns` (whose header names it in an error).
    @inline(__always)
    func append(_ value: Value, format: ValueFormat, to out: inout EncodedBuffer, columns: [CSVLayout.Column], column: Int, row: Int) throws(OutputRenderError) {
        if case .text(let s) = value {
            try append(s, isText: true, to: &out, field: { columns[column].header }, row: row)
        } else {
            try append(format.text(value), isText: false, to: &out, field: { columns[column].header }, row: row)
        }
    }

    func append(_ raw: String, isText: Bool, to out: inout EncodedBuffer, field: String, row: Int?) throws(OutputRenderError) {
        try append(raw, isText: isText, to: &out, field: { field }, row: row)
    }

    func append(_ raw: String, isText: Bool, to out: inout EncodedBuffer, field: () -> String, row: Int?) throws(OutputRenderError) {
        let cell = CardNumberRedactor.redact(isText ? CSVWriter.neutralised(raw) : raw)
        let quoted: Bool
        switch quoting {
        case .all:
            quoted = true
        case .minimal, .none:
            let (delimiter, quote) = (self.delimiter, self.quote)
            let needs = cell.utf8.contains { $0 == delimiter || $0 == quote || $0 == 10 || $0 == 13 }
            if needs && quoting == .none {
                throw OutputRenderError(document: name, field: field(),
                    message: "\(row.map { "row \($0): " } ?? "header: ")the value holds the delimiter, the quote or a line break, and quoting is none (use quoting: minimal)")
            }
            quoted = needs
        }
        if quoted { out.bytes.append(quote) }
        if let bad = out.append(cell, doubling: quoted ? quote : nil) {
            throw OutputRenderError(document: name, field: field(),
                message: "\(row.map { "row \($0): " } ?? "header: ")\(EncodedBuffer.shown(bad)) cannot be written in \(out.encoding.rawValue) (use unencodable: replace to write '?')")
        }
        if quoted { out.bytes.append(quote) }
    }
}
