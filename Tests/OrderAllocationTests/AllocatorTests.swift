import Testing
import OrderAllocation
import OrderModel

@Suite struct AllocatorTests {
    let key = Allocator.StockKey(sku: "A", warehouse: "MAIN")

    func demand(_ id: Int64, _ quantity: Quantity, sku: String = "A") -> Allocator.Demand {
        Allocator.Demand(lineID: id, stock: .init(sku: sku, warehouse: "MAIN"), quantity: quantity)
    }

    @Test func servesLinesWholeInTheOrderGivenAndLetsSmallerLaterLinesThrough() throws {
        let plan = try Allocator().allocate([demand(1, 4), demand(2, 4), demand(3, 1)], available: [key: 5])
        #expect(plan.outcomes == [.allocated, .short(available: 1), .allocated])
        #expect(plan.allocatedBy == [key: 5])
    }

    @Test func noStockMeansShortOfEverything() throws {
        let plan = try Allocator().allocate([demand(1, 1, sku: "B")], available: [key: 5])
        #expect(plan.outcomes == [.short(available: 0)])
        #expect(plan.allocatedBy.isEmpty)
    }

    @Test func neverAllocatesMoreThanAvailableAndTheOldestEligibleLineIsServedFirst() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let skus = ["A", "B", "C"]
            let lines = (0..<Int.random(in: 1...40, using: &generator)).map { i in
                // Whole and decimal quantities mixed: 0.001 to 9.999.
                demand(Int64(i), Quantity(thousandths: Int64.random(in: 1...9_999, using: &generator)), sku: skus.randomElement(using: &generator)!)
            }
            var available: [Allocator.StockKey: Quantity] = [:]
            for sku in skus { available[.init(sku: sku, warehouse: "MAIN")] = Quantity(thousandths: Int64.random(in: 0...60_000, using: &generator)) }
            let plan = try Allocator().allocate(lines, available: available)
            // Totals per key never exceed what was available.
            for (k, taken) in plan.allocatedBy { #expect(taken <= available[k]!) }
            // A short line found less than it needed, counting only earlier allocations.
            var used: [Allocator.StockKey: Quantity] = [:]
            for (line, outcome) in zip(lines, plan.outcomes) {
                let free = try available[line.stock]! - used[line.stock, default: .zero]
                switch outcome {
                case .allocated:
                    #expect(free >= line.quantity)
                    used[line.stock] = try used[line.stock, default: .zero] + line.quantity
                case .short(let seen):
                    #expect(seen == free && free < line.quantity)
                case .partial:
                    Issue.record("no splitting was asked for")
                }
            }
        }
    }
}

@Suite struct ShipPolicyAllocatorTests {
    let a = Allocator.StockKey(sku: "A", warehouse: "W"), b = Allocator.StockKey(sku: "B", warehouse: "W")

    func line(_ id: Int64, _ key: Allocator.StockKey, _ quantity: Quantity) -> Allocator.Demand {
        Allocator.Demand(lineID: id, stock: key, quantity: quantity)
    }

    @Test func aCompleteOrderTakesNothingUntilEveryLineCanBeServed() throws {
        let orders = [
            Allocator.OrderDemand(orderID: 1, policy: .complete, lines: [line(1, a, 2), line(2, b, 5)]),
            Allocator.OrderDemand(orderID: 2, policy: .part, lines: [line(3, a, 3)]),
        ]
        let plan = try Allocator().allocate(orders, available: [a: 3, b: 4], splitLines: false)
        #expect(plan.outcomes == [.short(available: 3), .short(available: 4), .allocated])
        #expect(plan.allocatedBy == [a: 3])
        let later = try Allocator().allocate(orders, available: [a: 5, b: 5], splitLines: false)
        #expect(later.outcomes == [.allocated, .allocated, .allocated])
    }

    @Test func aCompleteOrderCountsEveryLineOfTheSameSku() throws {
        let order = Allocator.OrderDemand(orderID: 1, policy: .complete, lines: [line(1, a, 2), line(2, a, 2)])
        #expect(try Allocator().allocate([order], available: [a: 3], splitLines: false).outcomes == [.short(available: 3), .short(available: 3)])
    }

    @Test func splittingShipsWhatThereIs() throws {
        let orders = [Allocator.OrderDemand(orderID: 1, policy: .part, lines: [line(1, a, 10)]),
                      Allocator.OrderDemand(orderID: 2, policy: .part, lines: [line(2, a, 1)])]
        let plan = try Allocator().allocate(orders, available: [a: 6], splitLines: true)
        #expect(plan.outcomes == [.partial(quantity: 6), .short(available: 0)])
    }

    @Test func decimalQuantitiesWaitOrSplitExactly() throws {
        let kilos = Quantity(thousandths: 12_750)
        let order = [Allocator.OrderDemand(orderID: 1, policy: .part, lines: [line(1, a, kilos)])]
        // 12.75 kg with 10 kg available: the line waits whole...
        #expect(try Allocator().allocate(order, available: [a: 10], splitLines: false).outcomes == [.short(available: 10)])
        // ...or, splitting, takes the 10 kg now and leaves 2.75 kg waiting.
        let split = try Allocator().allocate(order, available: [a: 10], splitLines: true)
        #expect(split.outcomes == [.partial(quantity: 10)])
        #expect(split.allocatedBy == [a: 10])
        // 12.75 kg fits in 12.751 kg and leaves a gram.
        let fits = try Allocator().allocate(order + [Allocator.OrderDemand(orderID: 2, policy: .part, lines: [line(2, a, Quantity(thousandths: 2))])],
                                            available: [a: Quantity(thousandths: 12_751)], splitLines: false)
        #expect(fits.outcomes == [.allocated, .short(available: Quantity(thousandths: 1))])
    }

    @Test func partAfterTurnsIntoPartWhenTheWaitIsLongEnough() {
        #expect(ShipPolicy.partAfter(days: 3).effective(backOrderSince: 10, today: 12) == .complete)
        #expect(ShipPolicy.partAfter(days: 3).effective(backOrderSince: 10, today: 13) == .part)
        #expect(ShipPolicy.partAfter(days: 3).effective(backOrderSince: nil, today: 13) == .complete)
        #expect(ShipPolicy(parsing: "part-after:7") == .partAfter(days: 7))
        #expect(ShipPolicy(parsing: "sometimes") == nil)
    }

    @Test func anOrdersPolicyIsItsOwnElseItsCustomersElseTheDefaultAndPartAfterTurnsWithTime() {
        #expect(ShipPolicy.inForce(order: .complete, customer: .part, default: .part, backOrderSince: nil, today: 10) == .complete)
        #expect(ShipPolicy.inForce(order: nil, customer: .complete, default: .part, backOrderSince: nil, today: 10) == .complete)
        #expect(ShipPolicy.inForce(order: nil, customer: nil, default: .part, backOrderSince: nil, today: 10) == .part)
        let waiting = ShipPolicy.partAfter(days: 7)
        #expect(ShipPolicy.inForce(order: waiting, customer: nil, default: .part, backOrderSince: 5, today: 11) == .complete)
        #expect(ShipPolicy.inForce(order: waiting, customer: nil, default: .part, backOrderSince: 5, today: 12) == .part)
        #expect(ShipPolicy.inForce(order: nil, customer: nil, default: waiting, backOrderSince: nil, today: 12) == .complete)
    }

    /// The allocate step streams a sku's queue through the same pool `allocate` uses: one rule for a line.
    @Test func aStockPoolServesAQueueLineByLine() throws {
        var pool = Allocator.StockPool(free: Quantity.parse("12.5")!, splitLines: false)
        #expect(try pool.serve(10) == .allocated)
        #expect(try pool.serve(3) == .short(available: Quantity.parse("2.5")!), "a line takes all or nothing")
        #expect(try pool.serve(Quantity.parse("2.25")!) == .allocated, "a smaller line behind it still fits")
        #expect(pool.free == Quantity.parse("0.25")!)
        var splitting = Allocator.StockPool(free: 10, splitLines: true)
        #expect(try splitting.serve(Quantity.parse("12.75")!) == .partial(quantity: 10))
        #expect(try splitting.serve(1) == .short(available: 0))
    }
}
