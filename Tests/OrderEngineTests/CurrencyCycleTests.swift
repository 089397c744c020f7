import Foundation
import Testing
import OrderEngine
import TestSupport

/// Each order keeps its currency; one in another currency than its customer's credit is held until
/// orderflow.yaml gives a rate, and is then checked in the customer's currency.
@Suite struct CurrencyCycleTests {
    func home(config: String) throws -> TestHome {
        let home = try TestHome()
        try Data(config.utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customerHeader + ",currency\n"
            + Sample.account("UK", limit: "100.00") + ",\n" + Sample.account("DE", limit: "100.00") + ",eur\n")
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1", price: "10.00")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,100,,2026-11-20"]))
        return home
    }

    func orders(_ rows: [(String, String, Int, String)]) -> String {
        Sample.orderHeader + ",currency\n" + rows.map { Sample.line($0.0, customer: $0.1, sku: "SKU1", qty: $0.2) + ",\($0.3)" }.joined(separator: "\n") + "\n"
    }

    @Test func anOrderInAnotherCurrencyIsHeldUntilARateIsGivenThenCheckedConverted() throws {
        let home = try home(config: "currency: GBP\n")
        try home.drop("orders", "o.csv", orders([("EURO", "UK", 9, "EUR"), ("POUND", "UK", 1, "GBP"), ("EURDE", "DE", 9, "EUR"), ("PLAIN", "DE", 1, "")]))
        try home.cycle(at: "2026-11-27T09:00:00Z")
        let held = try home.order("EURO")
        #expect(held.currency == "EUR")
        #expect(held.lines[0].stage == "held-for-credit")
        #expect(held.lines[0].reasonCode == "currency-mismatch")
        #expect(held.lines[0].reason == "currency-mismatch: the order is in EUR but customer UK's credit is in GBP, and orderflow.yaml gives no rate for EUR (currency_rates)")
        #expect(try home.stages("POUND") == [1: "despatched"])
        #expect(try home.stages("EURDE") == [1: "despatched"], "a customer in EUR needs no rate for an order in EUR")
        #expect(try home.stages("PLAIN") == [1: "despatched"])
        #expect(try home.order("PLAIN").currency == nil)
        let report = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["order_ref"] == "EURO" }
        #expect(report.first?["kind"] == "held-for-credit")

        // 90.00 EUR at 0.9 is 81.00 GBP, within UK's 100.00 (POUND is despatched, no longer open): it passes.
        try Data("currency: GBP\ncurrency_rates:\n  EUR: 0.9\n".utf8).write(to: home.home.configFile)
        try home.cycle(at: "2026-11-28T09:00:00Z")
        #expect(try home.stages("EURO") == [1: "despatched"])
    }

    @Test func aConvertedOrderOverTheLimitIsHeldWithTheConversionInItsReason() throws {
        let home = try home(config: "currency: GBP\ncurrency_rates: { EUR: 1.25 }\n")
        try home.drop("orders", "o.csv", orders([("BIG", "UK", 9, "eur")]))
        try home.cycle()
        let line = try home.order("BIG").lines[0]
        #expect(line.reasonCode == "credit-limit")
        #expect(line.reason == "credit-limit: exposure 112.50 (balance 0.00 + open orders 0.00 + this order 112.50 (90.00 EUR at 1.25)) exceeds the credit limit 100.00")
    }

    @Test func aBadCurrencyRejectsTheOrderNamingTheField() throws {
        let home = try home(config: "")
        try home.drop("orders", "o.csv", orders([("BAD", "UK", 1, "EURO")]))
        try home.cycle()
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["order_ref"] == "BAD" }
        #expect(rows.first?["reason"]?.contains("field currency: found 'EURO', expected a three-letter ISO 4217 currency code such as GBP, EUR or USD") == true)
    }
}
