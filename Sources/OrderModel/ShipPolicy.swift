/// How an order with lines short of stock ships.
public enum ShipPolicy: Sendable, Hashable, CustomStringConvertible {
    /// What is in stock ships now; the rest waits in Back Order.
    case part
    /// The order's stock lines are allocated only when all of them can be, at once.
    case complete
    /// As `complete` until the order has waited this many days in Back Order; then as `part`.
    case partAfter(days: Int)

    /// Parses `part`, `complete` or `part-after:N`.
    public init?(parsing text: String) {
        let t = text.trimmed.lowercased()
        switch t {
        case "part": self = .part
        case "complete": self = .complete
        default:
            guard t.hasPrefix("part-after:"), let days = Int(t.dropFirst("part-after:".count)), days >= 0 else { return nil }
            self = .partAfter(days: days)
        }
    }

    public var description: String {
        switch self {
        case .part: "part"
        case .complete: "complete"
        case .partAfter(let days): "part-after:\(days)"
        }
    }

    /// The policy of an order: its own, else its customer's, else the configured default — in force for
    /// an order that has been in Back Order since `since` (days), at `today`. The one place that decides it.
    public static func inForce(order: ShipPolicy?, customer: ShipPolicy?, default fallback: ShipPolicy,
                               backOrderSince since: Int64?, today: Int64) -> ShipPolicy {
        (order ?? customer ?? fallback).effective(backOrderSince: since, today: today)
    }

    /// The policy in force for an order that has been in Back Order since `since` (days), at `today`.
    public func effective(backOrderSince since: Int64?, today: Int64) -> ShipPolicy {
        guard case .partAfter(let days) = self else { return self }
        guard let since, today - since >= Int64(days) else { return .complete }
        return .part
    }
}
