import Foundation
import Testing
import OrderEngine
import TestSupport

@Suite struct CreditCheckCycleTests {
    func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([
            Sample.account("C1"),
            Sample.account("STOP", onStop: "Y"),
            "CARD1,Card Buyer,CARD,0,0,N,,1 Road,,Town,AB1,GB",
            Sample.account("TIGHT", limit: "100.00", balance: "60.00"),
        ]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1", price: "10.00")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,100,,2026-11-20"]))
        return home
    }

    @Test func eachReasonHoldsTheOrderForCredit() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("UNKNOWN", customer: "NOBODY", sku: "SKU1"),
            Sample.line("ONSTOP", customer: "STOP", sku: "SKU1"),
            Sample.line("NOCARD", customer: "CARD1", sku: "SKU1"),
            Sample.line("BADCARD", customer: "CARD1", sku: "SKU1", card: "4111111111111112", expiry: "12/27"),
            Sample.line("EXPIRED", date: "2026-11-26", customer: "CARD1", sku: "SKU1", card: "4111111111111111", expiry: "10/26"),
            Sample.line("OVERLIMIT", customer: "TIGHT", sku: "SKU1", qty: 5),
            Sample.line("GOODCARD", customer: "CARD1", sku: "SKU1", card: "4111 1111 1111 1111", expiry: "11/26"),
            Sample.line("GOODACCT", customer: "C1", sku: "SKU1"),
        ]))
        let report = try home.cycle()
        #expect(report.step("credit-check")?["held"] == 6)
        let expected = [
            "UNKNOWN": "unknown-customer", "ONSTOP": "on-stop", "NOCARD": "card-missing", "BADCARD": "card-invalid",
            "EXPIRED": "card-expired", "OVERLIMIT": "credit-limit",
        ]
        for (ref, code) in expected {
            let order = try home.order(ref)
            #expect(order.lines[0].stage == "held-for-credit", "\(ref)")
            #expect(order.lines[0].reasonCode == code, "\(ref)")
            #expect(order.history.last?.actor == "rule:credit-check")
        }
        #expect(try home.stages("GOODCARD") == [1: "despatched"])
        #expect(try home.stages("GOODACCT") == [1: "despatched"])
        let exceptions = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["kind"] == "held-for-credit" }
        #expect(Set(exceptions.map { $0["order_ref"]! }) == Set(expected.keys))
        #expect(exceptions.first { $0["order_ref"] == "OVERLIMIT" }?["reason"]?.contains("exceeds the credit limit 100.00") == true)
    }

    @Test func exposureCountsEarlierPassedOrdersOldestFirst() throws {
        let home = try home()
        // TIGHT: limit 100, balance 60. Order A (20) passes: 80. Order B (30) would make 110: held.
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("B", date: "2026-11-26", customer: "TIGHT", sku: "SKU1", qty: 3),
            Sample.line("A", date: "2026-11-25", customer: "TIGHT", sku: "SKU1", qty: 2),
        ]))
        try home.cycle()
        #expect(try home.stages("A") == [1: "despatched"])
        #expect(try home.order("B").lines[0].reasonCode == "credit-limit")
    }

    @Test func openLinesOfPassedOrdersCountUntilDespatched() throws {
        let home = try home()
        // No stock for SKU2: A passes and waits in back-order, still open, so B is over the limit.
        try home.drop("products", "p2.csv", Sample.products([Sample.product("SKU2", price: "30.00")]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("A", date: "2026-11-25", customer: "TIGHT", sku: "SKU2", qty: 1),
        ]))
        try home.cycle()
        #expect(try home.stages("A") == [1: "back-order"])
        try home.drop("orders", "o2.csv", Sample.orders([
            Sample.line("B", date: "2026-11-26", customer: "TIGHT", sku: "SKU1", qty: 2),
        ]))
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.order("B").lines[0].reasonCode == "credit-limit")
    }

    @Test func aHeldOrderIsReleasedOnceAnOlderOrderOfTheCustomerIsDespatched() throws {
        let home = try home()
        // TIGHT: limit 100, balance 60. A (30, no stock) passes and waits; B (20) would make 110: held.
        try home.drop("products", "p2.csv", Sample.products([Sample.product("SKU2", price: "30.00")]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("A", date: "2026-11-25", customer: "TIGHT", sku: "SKU2", qty: 1),
            Sample.line("B", date: "2026-11-26", customer: "TIGHT", sku: "SKU1", qty: 2),
        ]))
        try home.cycle()
        #expect(try home.order("B").lines[0].reasonCode == "credit-limit")
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.stages("B") == [1: "held-for-credit"])
        // Stock for A arrives: A is despatched this cycle, and B passes on the next.
        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,SKU2,1,,"]))
        try home.cycle(at: "2026-11-27T11:00:00Z")
        #expect(try home.stages("A") == [1: "despatched"])
        try home.cycle(at: "2026-11-27T12:00:00Z")
        #expect(try home.stages("B") == [1: "despatched"])
    }

    @Test func anOrderThatPassesLaterIsReleasedAutomatically() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("BIG", customer: "TIGHT", sku: "SKU1", qty: 5)]))
        try home.cycle()
        #expect(try home.stages("BIG") == [1: "held-for-credit"])
        // Still held on the next cycle, without a second exception row.
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.stages("BIG") == [1: "held-for-credit"])
        #expect(try home.outbox("exceptions") == ["EX-000001.csv"])

        try home.drop("customers", "raise.csv", Sample.customers([Sample.account("TIGHT", limit: "1000.00", balance: "60.00")]))
        let report = try home.cycle(at: "2026-11-27T11:00:00Z")
        #expect(report.step("credit-check")?["released"] == 1)
        let order = try home.order("BIG")
        #expect(order.lines[0].stage == "despatched")
        #expect(order.history.contains { $0.from == "held-for-credit" && $0.to == "new" && $0.reason == "credit check passed" })
    }

    @Test func releaseOverridesAFailingCheck() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("STOPPED", customer: "STOP", sku: "SKU1")]))
        try home.cycle()
        let outcome = try OrderActions(engine: home.engine()).release("STOPPED")
        #expect(outcome.linesMoved == 1)
        try home.cycle(at: "2026-11-27T10:00:00Z")
        let order = try home.order("STOPPED")
        #expect(order.lines[0].stage == "despatched")
        #expect(order.history.contains { $0.actor == "user:tester" && $0.to == "new" })
    }
}
