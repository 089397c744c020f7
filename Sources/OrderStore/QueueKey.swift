import OrderModel

/// A line's place in the allocation queue as one sortable text: priority (higher first), order date,
/// import sequence, line number, part — the same order as the schema's `queueKeySQL`.
public enum QueueKey {
    public static func prefix(priority: Int, orderDate: Timestamp, orderID: Int64) -> String {
        pad(1_000_000 - priority, 7) + orderDate.description + pad(Int(orderID), 12)
    }

    public static func make(prefix: String, lineNo: Int, part: Int) -> String {
        prefix + pad(lineNo, 6) + pad(part, 3)
    }

    /// SQL giving a split part of a line its key: the line's key with another part number.
    package static let splitSQL = "substr(queue_key, 1, 45) || printf('%03d', ?)"

    public static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
