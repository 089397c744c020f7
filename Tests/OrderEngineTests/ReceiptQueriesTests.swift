import Foundation
import Testing
import OrderEngine
import TestSupport

/// `orderflow receipt REF`: a receipt as imported, and what it funded.
@Suite struct ReceiptQueriesTests {
    func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("A"), Sample.product("B", warehouse: "NORTH")]))
        return home
    }

    @Test func aReceiptShowsItsLinesAndTheOrderLinesItFundedOldestFirst() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("O1", date: "2026-11-20", sku: "A", qty: 3), Sample.line("O2", date: "2026-11-21", sku: "A", qty: 1),
            Sample.line("O3", date: "2026-11-22", sku: "A", qty: 9),
        ]))
        try home.cycle(at: "2026-11-27T09:00:00Z")
        let mapping = home.home.mappings.appendingPathComponent("receipts.yaml")
        try Data((try String(contentsOf: mapping, encoding: .utf8) + "  receipt.note: note\n").utf8).write(to: mapping)
        try home.drop("receipts", "r.csv", Sample.receiptHeader + ",note\nR1,A,6,,2026-11-27,dock 3\nR1,B,2,,2026-11-27,\n")
        try home.cycle(at: "2026-11-28T09:00:00Z")
        let receipt = try ReceiptQueries(engine: home.engine()).receipt("R1")
        #expect(receipt.sourceFile == "receipts/r.csv")
        #expect(receipt.lines.map(\.sku) == ["A", "B"])
        #expect(receipt.lines.map(\.quantity) == [6, 2])
        #expect(receipt.lines.map(\.warehouse) == ["MAIN", "NORTH"], "a blank warehouse is the product's")
        #expect(receipt.lines.map(\.sourceLine) == [2, 3])
        #expect(receipt.lines[0].custom == ["note": "dock 3"])
        let funded = receipt.lines[0].funded
        #expect(funded.map(\.orderRef) == ["O1", "O2"], "the oldest orders first; O3 wants 9 of the 2 left")
        #expect(funded.map(\.quantity) == [3, 1])
        #expect(receipt.lines[0].remaining == 2)
        #expect(receipt.lines[1].funded.isEmpty && receipt.lines[1].remaining == 2)
        #expect(try home.order("O3").lines[0].stage == "back-order")
    }

    @Test func anUnknownReceiptSaysWhereReceiptsComeFrom() throws {
        let home = try home()
        try home.cycle()
        #expect(throws: EngineError.unknownReceipt("NOPE")) { try ReceiptQueries(engine: home.engine()).receipt("NOPE") }
        #expect(EngineError.unknownReceipt("NOPE").description.contains("inbox/receipts"))
    }
}
