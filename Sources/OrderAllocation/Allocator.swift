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
        /// In the product's stock unit, exact to the thousandth (12.75 kg).
        public var quantity: Quantity
        public init(lineID: Int64, stock: StockKey, quantity: Quantity) {
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
        case partial(quantity: Quantity)
        /// Not allocated; `available` is what the line found when its turn came.
        case short(available: Quantity)
    }

    public struct Plan: Sendable, Hashable {
        /// One outcome per demand line, in the order given.
        public var outcomes: [Outcome]
        /// Units allocated per stock key.
        public var allocatedBy: [StockKey: Quantity]
    }

    /// Lines alone, each its own `part` order (the core behaviour).
    public func allocate(_ demand: [Demand], available: [StockKey: Quantity]) throws(QuantityOverflow) -> Plan {
        try allocate(demand.map { OrderDemand(orderID: $0.lineID, policy: .part, lines: [$0]) }, available: available, splitLines: false)
    }

    /// - Parameter available: on hand minus already allocated, per stock key (absent = 0).
    /// - Throws: `QuantityOverflow` only for sums beyond Int64 thousandths, which the import's limits rule out.
    public func allocate(_ orders: [OrderDemand], available: [StockKey: Quantity], splitLines: Bool) throws(QuantityOverflow) -> Plan {
        var remaining = available
        var taken: [StockKey: Quantity] = [:]
        var outcomes: [Outcome] = []
        func take(_ key: StockKey, _ quantity: Quantity) throws(QuantityOverflow) {
            remaining[key] = try (remaining[key] ?? .zero) - quantity
            taken[key] = try (taken[key] ?? .zero) + quantity
        }
        for order in orders {
            if case .complete = order.policy {
                var need: [StockKey: Quantity] = [:]
                for line in order.lines { need[line.stock] = try (need[line.stock] ?? .zero) + line.quantity }
                if need.allSatisfy({ (remaining[$0.key] ?? .zero) >= $0.value }) {
                    for line in order.lines { try take(line.stock, line.quantity); outcomes.append(.allocated) }
                } else {
                    for line in order.lines { outcomes.append(.short(available: remaining[line.stock] ?? .zero)) }
                }
                continue
            }
            for line in order.lines {
                var pool = StockPool(free: remaining[line.stock] ?? .zero, splitLines: splitLines)
                let outcome = try pool.serve(line.quantity)
                switch outcome {
                case .allocated: try take(line.stock, line.quantity)
                case .partial(let quantity): try take(line.stock, quantity)
                case .short: break
                }
                outcomes.append(outcome)
            }
        }
        return Plan(outcomes: outcomes, allocatedBy: taken)
    }

    /// The free stock of one (sku, warehouse) serving `part` lines one at a time, in queue order.
    ///
    /// The one rule for a line under `part`: it takes its whole quantity, or with line splitting what
    /// is left, or nothing (leaving the stock for a smaller line behind it). `allocate` applies it per
    /// line; the allocate step applies it while it streams a sku's queue from the database, so that it
    /// can stop reading back orders when the stock is gone.
    public struct StockPool: Sendable, Hashable {
        public private(set) var free: Quantity
        public let splitLines: Bool
        public init(free: Quantity, splitLines: Bool) { self.free = free; self.splitLines = splitLines }

        /// Serves the next line of the queue; the stock it takes is gone for the lines after it.
        public mutating func serve(_ quantity: Quantity) throws(QuantityOverflow) -> Outcome {
            if free >= quantity {
                free = try free - quantity
                return .allocated
            }
            if splitLines && free > .zero {
                defer { free = .zero }
                return .partial(quantity: free)
            }
            return .short(available: free)
        }
    }
}
