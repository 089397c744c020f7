/// What an order line is: goods to allocate and ship, or a value that only counts in the order's total.
///
/// E-commerce exports put gift wrapping (often with a blank SKU), shipping, tips and discounts among the
/// order's lines. Refusing them would lose the order (orders are all or nothing); importing them as
/// stock would back-order or pick something that has no stock. A non-stock line keeps its value for the
/// order total and the credit check, and is never allocated, picked or bought from a supplier.
public enum LineKind: String, Sendable, Hashable, Codable, CaseIterable {
    case stock
    case nonStock = "non-stock"

    /// Parses `stock` or `non-stock` in any case, with `-`, `_`, a space or nothing between the words;
    /// blank is `stock`.
    public init?(parsing text: String) {
        let letters = text.trimmed.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch letters {
        case "", "stock": self = .stock
        case "nonstock": self = .nonStock
        default: return nil
        }
    }
}
