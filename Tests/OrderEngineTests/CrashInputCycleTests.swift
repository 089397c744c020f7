import Foundation
import GRDB
import Testing
import OrderEngine
import TestSupport

/// Input files that once trapped the engine (issue 13), each through real cycles on a temporary home.
///
/// Every case is a folder of `Tests/Fixtures/crash-inputs/` laid out like an inbox (`customers/`,
/// `products/`, `orders/`), with `expect.txt`: text that the rejection must contain, a line each.
/// Before the fix each of them killed `cycle` (SIGILL in `Money.+`, in `abs()` on the reader thread, or
/// in decoding an order's value) and every cycle after it; now each is a rejection naming the field,
/// the value and the limit, and the rest of the file is imported.
@Suite struct CrashInputCycleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/crash-inputs")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
    }

    @Test func theRegressionFolderHoldsTheCrashCases() {
        #expect(Self.cases.count >= 8)
        #expect(Self.cases.contains("unit-price-5e16"))
        #expect(Self.cases.contains("priority-int64-min"))
    }

    @Test(arguments: cases)
    func aCrashInputIsRejectedWithItsLimitAndTheRestImports(name: String) throws {
        let home = try TestHome()
        let folder = Self.fixtures.appendingPathComponent(name)
        for feed in ["customers", "products", "orders"] {
            let dir = folder.appendingPathComponent(feed)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.sorted() ?? [] {
                try home.copy(dir.appendingPathComponent(file), into: feed)
            }
        }
        // Two cycles: the first once trapped, and so did every one after it.
        try home.cycle()
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: home.home.processing.path)
            .filter { !$0.hasSuffix("/") && !["customers", "products", "orders"].contains($0) }.isEmpty)
        #expect(home.exists("archive/orders/orders.csv"))

        let reasons = try home.engine().database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT COALESCE(source_file, '') || ':' || COALESCE(source_line, 0) || ': ' || reason FROM exception")
        }
        let expected = try String(contentsOf: folder.appendingPathComponent("expect.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let rejection = reasons.first { reason in expected.allSatisfy { reason.contains($0) } }
        #expect(rejection != nil, "no exception holds \(expected) in \(reasons)")
        // It names the file and the line.
        #expect(rejection.map { $0.hasPrefix("orders/orders.csv:2:") || $0.contains("s.csv:3:") } == true, "\(rejection ?? "")")

        // The good order of the file is imported and every command that reads orders still works.
        #expect(try home.order("O2").lines.count == 1)
        let summaries = try OrderQueries(engine: home.engine()).orders()
        #expect(summaries.contains { $0.orderRef == "O2" })
    }

    /// A database written before the limits existed may hold a value beyond them: the cycle, the rules and
    /// `orders` must report it, not trap.
    @Test func storedValuesBeyondTheLimitsAreHeldAndShownNotTrapped() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1", balance: "10.00"), Sample.account("C2")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1"), Sample.product("SKU2")]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("BIG", customer: "C1", sku: "SKU1", qty: 2),
            Sample.line("MAX", customer: "C2", sku: "SKU1"),
            Sample.line("SMALL", customer: "C2", sku: "SKU1"),
        ]))
        // A rule whose arithmetic overflows (Decimal beyond about 10^165) on every order it looks at.
        let huge = "1" + String(repeating: "0", count: 100)
        try Data("""
            stages:
              - name: big-check
                description: large orders
            pipeline:
              - step: import
              - step: credit-check
              - rule: large
                search: >-
                  order.total > 1000 or any line: line.value * \(huge) * \(huge) > 0
                stages: [held-for-credit]
                action: move
                to: big-check
                reason: large order
              - step: allocate
              - step: export
            """.utf8).write(to: home.home.rulesFile)
        try home.cycle()
        // As an old import let them in: a line value beyond Int64, and Int64.max itself (quantities in
        // thousandths, prices in ten-thousandths of a minor unit: 10,000 × Int64.max / 10^7 is Int64.max).
        try home.engine().database.writer.write { db in
            try db.execute(sql: """
                UPDATE order_line SET unit_price = 9223372036854775807, quantity = 9000000000000000000, stage = 'new'
                WHERE order_id = (SELECT id FROM sales_order WHERE order_ref = 'BIG')
                """)
            try db.execute(sql: """
                UPDATE order_line SET unit_price = 9223372036854775807, quantity = 10000000, stage = 'new'
                WHERE order_id = (SELECT id FROM sales_order WHERE order_ref = 'MAX')
                """)
            try db.execute(sql: "UPDATE sales_order SET credit_state = 'unchecked' WHERE order_ref IN ('BIG', 'MAX')")
        }
        try home.cycle(at: "2026-11-27T10:00:00Z")
        let summaries = try OrderQueries(engine: home.engine()).orders()
        #expect(summaries.first { $0.orderRef == "BIG" }?.value == "too large to compute")
        #expect(summaries.first { $0.orderRef == "MAX" }?.value == "92233720368547758.07")
        // The rule's arithmetic overflowed to null instead of trapping; order.total is exact in Decimal.
        let held = try home.engine().database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT order_ref || ': ' || reason FROM exception WHERE kind = 'held-for-credit' ORDER BY id")
        }
        #expect(held.contains { $0.hasPrefix("BIG: value-too-large: the order's value is too large to compute") }, "\(held)")
        // Its value fits, but not with the customer's other open order added.
        #expect(held.contains { $0.hasPrefix("MAX: value-too-large: the exposure of customer C2 (balance + open orders + this order)") }, "\(held)")
        // The rule's arithmetic overflowed to null instead of trapping; order.total is exact, so both moved on.
        #expect(try home.order("BIG").lines.allSatisfy { $0.stage == "big-check" })
        #expect(try home.order("MAX").lines.allSatisfy { $0.stage == "big-check" })
        #expect(try home.order("SMALL").lines.allSatisfy { $0.stage != "big-check" })
    }
}

extension CrashInputCycleTests {
    /// Totals that SQLite's SUM cannot add (it stops the statement with "integer overflow") are summed
    /// exactly instead: only the customer beyond Int64 is held, the others are decided as usual.
    @Test func aSumBeyondInt64HoldsOnlyItsCustomerAndTheCycleGoesOn() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1"), Sample.account("C2"), Sample.account("C3")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("orders", "o1.csv", Sample.orders([
            Sample.line("A1", customer: "C1", sku: "SKU1"), Sample.line("A2", customer: "C1", sku: "SKU1"),
            Sample.line("W", customer: "C2", sku: "SKU1"),
            "WIDE,2026-11-26,C2,1,SKU1,1,,,,,,,,,,", "WIDE,2026-11-26,C2,2,SKU1,1,,,,,,,,,,",
        ]))
        try home.cycle()
        // Both of C1's open orders, and both lines of WIDE, at a price an old import let in: each fits, their sum does not.
        try home.engine().database.writer.write { db in
            // 10,000 units at 5 × 10^14 minor units each: a line value of 5 × 10^18 minor units.
            try db.execute(sql: """
                UPDATE order_line SET unit_price = 5000000000000000000, quantity = 10000000
                WHERE order_id IN (SELECT id FROM sales_order WHERE order_ref IN ('A1', 'A2', 'WIDE'))
                """)
        }
        try home.drop("orders", "o2.csv", Sample.orders([
            Sample.line("A3", customer: "C1", sku: "SKU1"), Sample.line("B1", customer: "C2", sku: "SKU1"),
            Sample.line("C1-ORDER", customer: "C3", sku: "SKU1"),
        ]))
        let report = try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(report.step("credit-check")?["checked"] == 3)
        #expect(report.step("credit-check")?["passed"] == 1)
        #expect(try home.order("C1-ORDER").lines.allSatisfy { $0.stage != "held-for-credit" })
        #expect(try home.order("A3").lines.first?.reasonCode == "value-too-large")
        // C2's open exposure is WIDE's lines and W: beyond Int64 as well.
        #expect(try home.order("B1").lines.first?.reasonCode == "value-too-large")
        let summaries = try OrderQueries(engine: home.engine()).orders()
        #expect(summaries.first { $0.orderRef == "WIDE" }?.value == "too large to compute")
        #expect(summaries.first { $0.orderRef == "A1" }?.value == "50000000000000000.00")
        #expect(summaries.first { $0.orderRef == "W" }?.value == "10.00")
    }
}
