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

/// Where a non-stock amount of an order comes from: one of its rows, or an order-level column of the
/// export (Shopify's `Shipping` and `Discount Amount` are columns of the order's first row, not rows).
public enum ChargeKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A row with `line_type: non-stock`.
    case line
    /// The order's `shipping_charge`.
    case shipping
    /// The order's `discount` (stored negative).
    case discount
}
