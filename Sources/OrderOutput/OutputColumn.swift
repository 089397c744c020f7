import OrderRules

/// Which values a CSV or fixed-width document writes one row for, as a mapping's `rows:` says.
public enum OutputRows: String, Sendable, Hashable, CaseIterable {
    /// One row per row of the document (a line of a pick list or purchase order, an exception).
    case lines
    /// One row from the document's header values, for documents without lines.
    case header
}

/// How lines end in a written text document.
public enum LineEnd: String, Sendable, Hashable, CaseIterable {
    case crlf, lf
    var bytes: [UInt8] { self == .crlf ? [13, 10] : [10] }
}

extension OutputExpression {
    /// The value of this column for row `index` of `document` (or for its header).
    @inline(__always)
    func value(in document: OutputDocumentValues, row index: Int?, today: Int64) -> Value {
        if let index { value(row: document.rows[index], today: today) } else { value(header: document.header, today: today) }
    }
}
