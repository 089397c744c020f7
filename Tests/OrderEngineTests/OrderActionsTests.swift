import Foundation
import Testing
import OrderEngine
import TestSupport

@Suite struct OrderActionsTests {
    func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1"), Sample.product("SKU2")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,5,,"]))
        return home
    }

    @Test func aHeldOrderWaitsUntilReleased() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "SKU2", qty: 2)]))
        try home.cycle()
        #expect(try home.stages("O1") == [1: "back-order"])
        let actions = try OrderActions(engine: home.engine())
        #expect(try actions.hold("O1", reason: "customer phoned").linesMoved == 1)
        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,SKU2,5,,"]))
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.stages("O1") == [1: "on-hold"])
        #expect(try home.order("O1").lines[0].reason == "held by hand: customer phoned")

        #expect(try actions.release("O1").linesMoved == 1)
        #expect(throws: EngineError.self) { try actions.release("O1") }
        try home.cycle(at: "2026-11-27T11:00:00Z")
        #expect(try home.stages("O1") == [1: "despatched"])
    }

    /// The running engine keeps its last good rules.yaml; a person working held orders is not stopped by a broken edit.
    @Test func releaseWorksWhileRulesYamlIsBroken() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "SKU2", qty: 2)]))
        try home.cycle()
        let actions = try OrderActions(engine: home.engine())
        #expect(try actions.hold("O1", reason: "customer phoned").linesMoved == 1)
        try Data("pipeline: [import, credit-check\n".utf8).write(to: home.root.appendingPathComponent("rules.yaml"))
        #expect(try actions.release("O1").linesMoved == 1)
        #expect(try home.stages("O1") == [1: "new"])
    }

    @Test func cancelFreesTheLinesAndRefusesTwice() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", no: 1, sku: "SKU1"), Sample.line("O1", no: 2, sku: "SKU2")]))
        try home.cycle()
        let actions = try OrderActions(engine: home.engine())
        let outcome = try actions.cancel("O1")
        #expect(outcome.linesMoved == 1)
        #expect(outcome.message.contains("1 line(s) already despatched, on a pick list"))
        #expect(try home.stages("O1") == [1: "despatched", 2: "cancelled"])
        #expect(throws: EngineError.self) { try actions.cancel("O1") }
        #expect(throws: EngineError.unknownOrder("NOPE")) { try actions.cancel("NOPE") }
    }

    @Test func anOrderWithAnUnknownSkuWaitsInVettingUntilTheProductArrives() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", no: 1, sku: "SKU1"), Sample.line("O1", no: 2, sku: "NEW9")]))
        try home.cycle()
        #expect(try home.stages("O1") == [1: "order-vetting", 2: "order-vetting"])
        #expect(try home.order("O1").lines[1].reason == "unknown-sku: NEW9 not in the product file")
        #expect(throws: EngineError.self) { try OrderActions(engine: home.engine()).release("O1") }

        try home.drop("products", "p2.csv", Sample.products([Sample.product("NEW9")]))
        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,NEW9,1,,"]))
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.stages("O1") == [1: "despatched", 2: "despatched"])
    }
}
