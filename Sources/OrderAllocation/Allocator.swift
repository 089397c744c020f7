import OrderModel

/// Allocation as a pure function: demand + available stock + policy → which lines are picked.
///
/// Orders are served strictly in the order given (the caller sorts: priority, then order date,
/// import sequence, line number). Under the `part` policy each line takes its whole quantity or
/// nothing — a line that cannot be served leaves the stock for later lines, so a smaller later
/// line may still be picked — unless line splitting is on, when it takes what there is and leaves
/// the rest waiting. Under `complete` an order's lines are allocated only when all of them can be.
/// The function never sees the database, which keeps it testable against random workloads and
/// cheap to re-run as a preview.
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

    /// One order's lines waiting for stock, with the policy in force for it now (`part` or `complete`).
    public struct OrderDemand: Sendable, Hashable {
        public var orderID: Int64
        public var policy: ShipPolicy
        public var lines: [Demand]
        public init(orderID: Int64, policy: ShipPolicy, lines: [Demand]) {
            self.orderID = orderID; self.policy = policy; self.lines = lines
        }
    }

    public enum Outcome: Sendable, Hashable {
        case allocated
        /// Line splitting: `quantity` allocated now, the rest waits.
        case partial(quantity: Int64)
        /// Not allocated; `available` is what the line found when its turn came.
        case short(available: Int64)
    }

    public struct Plan: Sendable, Hashable {
        /// One outcome per demand line, in the order given.
        public var outcomes: [Outcome]
        /// Units allocated per stock key.
        public var allocatedBy: [StockKey: Int64]
    }

    /// Lines alone, each its own `part` order (the core behaviour).
    public func allocate(_ demand: [Demand], available: [StockKey: Int64]) -> Plan {
        allocate(demand.map { OrderDemand(orderID: $0.lineID, policy: .part, lines: [$0]) }, available: available, splitLines: false)
    }

    /// - Parameter available: on hand minus already allocated, per stock key (absent = 0).
    public func allocate(_ orders: [OrderDemand], available: [StockKey: Int64], splitLines: Bool) -> Plan {
        var remaining = available
        var taken: [StockKey: Int64] = [:]
        var outcomes: [Outcome] = []
        func take(_ key: StockKey, _ quantity: Int64) {
            remaining[key] = (remaining[key] ?? 0) - quantity
            taken[key, default: 0] += quantity
        }
        for order in orders {
            if case .complete = order.policy {
                var need: [StockKey: Int64] = [:]
                for line in order.lines { need[line.stock, default: 0] += line.quantity }
                if need.allSatisfy({ (remaining[$0.key] ?? 0) >= $0.value }) {
                    for line in order.lines { take(line.stock, line.quantity); outcomes.append(.allocated) }
                } else {
                    for line in order.lines { outcomes.append(.short(available: remaining[line.stock] ?? 0)) }
                }
                continue
            }
            for line in order.lines {
                let free = remaining[line.stock] ?? 0
                if free >= line.quantity {
                    take(line.stock, line.quantity)
                    outcomes.append(.allocated)
                } else if splitLines && free > 0 {
                    take(line.stock, free)
                    outcomes.append(.partial(quantity: free))
                } else {
                    outcomes.append(.short(available: free))
                }
            }
        }
        return Plan(outcomes: outcomes, allocatedBy: taken)
    }
}
