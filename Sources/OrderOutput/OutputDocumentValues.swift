import OrderRules

/// What one outbox document shows, as values an output mapping's expressions read.
///
/// The header is what the document is about as a whole: a purchase order's order, customer, supplier
/// and its own `document.*` fields; a pick list's warehouse and `document.*` (its order and customer
/// fields are empty: a pick list serves many orders). Each row is one line of the document with the
/// order it belongs to (for a pick list, each row's own order and customer; for a purchase order, the
/// header's). A row's `order.entities` carry the header's document-level entities too, so a row's
/// column can print `document.ref` beside `line.sku`.
public struct OutputDocumentValues: Sendable {
    public var header: OrderFacts
    public var rows: [OutputRow]
    public init(header: OrderFacts, rows: [OutputRow]) {
        self.header = header
        self.rows = rows
    }
}

/// One row of a document: a line (with its product and per-row entities) and the order it belongs to.
public struct OutputRow: Sendable {
    public var order: OrderFacts
    public var line: LineFacts
    public init(order: OrderFacts, line: LineFacts) {
        self.order = order
        self.line = line
    }
}
