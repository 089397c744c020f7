import Foundation
import Testing
import OrderEngine
import TestSupport

/// A back order's reason says what is available now, not what was available when it was first short.
@Suite struct BackOrderReasonTests {
    @Test func aReceiptThatIsNotEnoughUpdatesTheBackOrdersReason() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,SKU1,1,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("SO-1", sku: "SKU1", qty: 10)]))
        try home.cycle(at: "2026-11-27T09:00:00Z")
        #expect(try home.order("SO-1").lines.first?.reason == "needs 10, 1 available in MAIN")
        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,SKU1,3,,"]))
        try home.cycle(at: "2026-11-27T10:00:00Z")
        let line = try #require(try home.order("SO-1").lines.first)
        #expect(line.stage == "back-order")
        #expect(line.reason == "needs 10, 4 available in MAIN")
    }
}
