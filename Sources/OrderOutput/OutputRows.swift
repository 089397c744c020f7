/// Which values a CSV or fixed-width document writes one row for, as a mapping's `rows:` says.
public enum OutputRows: String, Sendable, Hashable, CaseIterable {
    /// One row per row of the document (a line of a pick list or purchase order, an exception).
    case lines
    /// One row from the document's header values, for documents without lines.
    case header
}
