import Foundation
import Testing
import OrderEngine
import TestSupport

@Suite struct ProcessRuleCycleTests {
    func home(rules: String? = nil) throws -> TestHome {
        let home = try TestHome()
        if let rules { try Data(rules.utf8).write(to: home.home.rulesFile) }
        try home.drop("customers", "c.csv", Sample.customers([
            Sample.account("ACC"), "PRO,Prepay,PROFORMA,0,0,N,,1 Road,,Town,AB1,GB",
        ]))
        try home.drop("products", "p.csv", Sample.products([
            Sample.product("W", price: "10.00"), "TV,Plasma 65,Plasma TV,900.00,N,,,MAIN,T-1",
        ]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,W,100,,", "R1,TV,10,,"]))
        return home
    }

    @Test func theExampleVettingRuleRoutesExactlyTheRightOrders() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("BIG", customer: "PRO", sku: "W", qty: 101),          // 1010: over 1000
            Sample.line("MANY", customer: "PRO", sku: "W", qty: 11),          // 11 items
            Sample.line("TV", customer: "PRO", sku: "TV", qty: 1),            // a plasma TV
            Sample.line("SMALL", customer: "PRO", sku: "W", qty: 10),         // 100, 10 items: not vetted
            Sample.line("ACCOUNT", customer: "ACC", sku: "TV", qty: 2),       // not PROFORMA
        ]))
        let report = try home.cycle()
        #expect(report.step("proforma-vetting")?["matched"] == 3)
        for ref in ["BIG", "MANY", "TV"] {
            let order = try home.order(ref)
            #expect(order.lines[0].stage == "order-vetting", "\(ref)")
            #expect(order.lines[0].reasonCode == "rule:proforma-vetting")
            #expect(order.history.last?.actor == "rule:proforma-vetting")
        }
        #expect(try home.stages("SMALL") == [1: "despatched"])
        #expect(try home.stages("ACCOUNT") == [1: "despatched"])

        // A person releases one; the rule does not take it again.
        _ = try OrderActions(engine: home.engine()).release("TV")
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.stages("TV") == [1: "despatched"])
        #expect(try home.stages("BIG") == [1: "order-vetting"])
    }

    static let exportCheck = """
        stages:
          - name: export-check
            description: orders going abroad wait for export paperwork
        pipeline:
          - step: import
          - step: credit-check
          - rule: abroad
            search: order.ship_country != 'GB' and order.ship_country is not null
            action: move
            to: export-check
            reason: export paperwork needed
          - step: allocate
          - step: export
        """

    @Test func aUserDefinedStageBetweenTheCreditCheckAndAllocation() throws {
        let home = try home(rules: Self.exportCheck)
        try home.drop("orders", "o.csv", Sample.orders([
            "FR,2026-11-26,ACC,1,W,1,,,,,Client,1 Rue,,Paris,75001,FR",
            "UK,2026-11-26,ACC,1,W,1,,,,,Client,1 Road,,Leeds,LS1,GB",
        ]))
        try home.cycle()
        #expect(try home.stages("FR") == [1: "export-check"])
        #expect(try home.stages("UK") == [1: "despatched"])
        let overview = try RuleQueries(engine: home.engine()).overview()
        #expect(overview.stages.last?.name == "export-check")
        #expect(overview.pipeline.map(\.name) == ["import", "credit-check", "abroad", "allocate", "export"])
        #expect(overview.pipeline[2].lastCycle?["matched"] == 1)

        _ = try OrderActions(engine: home.engine()).release("FR")
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.stages("FR") == [1: "despatched"])
    }

    @Test func anOutputRuleWritesEachOrderOnce() throws {
        let home = try home(rules: """
            pipeline:
              - step: import
              - step: credit-check
              - rule: big-orders
                search: order.total >= 100
                stages: [new]
                action: output
                output:
                  folder: big-orders
                  columns: [order.ref, order.customer_ref, order.total, order.total * 2]
              - step: allocate
              - step: export
            """)
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("A", customer: "ACC", sku: "W", qty: 10),
                                                        Sample.line("B", customer: "ACC", sku: "W", qty: 1)]))
        try home.cycle()
        #expect(try home.outbox("big-orders") == ["big-orders-000001.csv"])
        #expect(try home.read("outbox/big-orders/big-orders-000001.csv") == "order.ref,order.customer_ref,order.total,order.total * 2\r\nA,ACC,100,200\r\n")
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.outbox("big-orders").count == 1)
    }

    @Test func mistakesInTheRulesFileStopTheCycleWithTheirPlace() throws {
        let home = try home(rules: """
            pipeline:
              - step: import
              - rule: typo
                search: order.totl > 5
                action: hold
            """)
        #expect {
            try home.cycle()
        } throws: { error in
            "\(error)".contains("rules.yaml:4:13: unknown field 'order.totl' (did you mean order.total?)")
        }
        try Data("pipeline:\n  - rule: r\n    search: order.total > 5\n    action: move\n    to: limbo\n".utf8).write(to: home.home.rulesFile)
        #expect { try home.cycle() } throws: { "\($0)".contains("rules.yaml:5:9: unknown stage 'limbo'") }
    }

    @Test func aSearchWithAColonNeedsQuotesAndTheErrorSaysSo() throws {
        let home = try home(rules: "pipeline:\n  - rule: r\n    search: any line: line.quantity > 1\n    action: hold\n")
        #expect { try home.cycle() } throws: {
            "\($0)".contains("rules.yaml:3:21: not valid YAML: mapping values are not allowed in this context (a search that holds ': ' must be in quotes")
        }
    }

    @Test func aHoldRuleHoldsUntilReleased() throws {
        let home = try home(rules: """
            pipeline:
              - step: import
              - rule: watch
                search: "any line: line.quantity >= 50"
                action: hold
                reason: unusually large quantity
              - step: allocate
              - step: export
            """)
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("HUGE", customer: "ACC", sku: "W", qty: 60)]))
        try home.cycle()
        let order = try home.order("HUGE")
        #expect(order.lines[0].stage == "on-hold")
        #expect(order.manualHold)
        #expect(order.lines[0].reason == "held by rule: unusually large quantity")
    }
}
