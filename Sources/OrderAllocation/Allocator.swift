import OrderModel

/// Allocation as a pure function: demand lines + available stock → which lines are picked.
///
/// Lines are served strictly in the order given (the caller sorts oldest order first:
/// order date, import sequence, line number). Each line takes its whole quantity or
/// nothing; a line that cannot be served leaves the stock for later lines, so a smaller
/// later line may still be picked. The function never sees the database, which keeps it
/// testable against random workloads and cheap to re-run as a preview.
public struct Allocator: Sendable {
    public init() {}

    public struct StockKey: Hashable, Sendable {
        public var sku: String
        public var warehouse: String
        public init(sku: String, warehouse: String) { self.sku = sku; self.warehouse = warehouse }
    }

    public struct Demand: Sendable, Hashable {
        public var lineID: Int64
        public var stock: StockKey
        public var quantity: Int64
        public init(lineID: Int64, stock: StockKey, quantity: Int64) {
            self.lineID = lineID; self.stock = stock; self.quantity = quantity
        }
    }

    public enum Outcome: Sendable, Hashable {
        case allocated
        /// Not enough stock; `available` is what the line found when its turn came.
        case short(available: Int64)
    }

    public struct Plan: Sendable, Hashable {
        /// One outcome per demand line, in the order given.
        public var outcomes: [Outcome]
        /// Units allocated per stock key.
        public var allocatedBy: [StockKey: Int64]
    }

    /// - Parameter available: on hand minus already allocated, per stock key (absent = 0).
    public func allocate(_ demand: [Demand], available: [StockKey: Int64]) -> Plan {
        var remaining = available
        var taken: [StockKey: Int64] = [:]
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(demand.count)
        for line in demand {
            let free = remaining[line.stock] ?? 0
            if free >= line.quantity {
                remaining[line.stock] = free - line.quantity
                taken[line.stock, default: 0] += line.quantity
                outcomes.append(.allocated)
            } else {
                outcomes.append(.short(available: free))
            }
        }
        return Plan(outcomes: outcomes, allocatedBy: taken)
    }
}
