import Foundation
import Testing
import OrderEngine
import TestSupport

@Suite struct AllocationCycleTests {
    @Test func aReceiptServesTheOldestBackOrdersFirst() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,SKU1,5,,2026-11-20"]))
        // Imported newest first in the file: the date decides, not the file order.
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("NEWEST", date: "2026-11-26T12:00:00Z", sku: "SKU1", qty: 4),
            Sample.line("OLDEST", date: "2026-11-24", sku: "SKU1", qty: 4),
            Sample.line("MIDDLE", date: "2026-11-25", sku: "SKU1", qty: 4),
            Sample.line("SMALL", date: "2026-11-26T13:00:00Z", sku: "SKU1", qty: 1),
        ]))
        let first = try home.cycle()
        // OLDEST takes 4 of 5; MIDDLE and NEWEST cannot; SMALL (later) can take the last one.
        #expect(try home.stages("OLDEST") == [1: "despatched"])
        #expect(try home.stages("MIDDLE") == [1: "back-order"])
        #expect(try home.stages("NEWEST") == [1: "back-order"])
        #expect(try home.stages("SMALL") == [1: "despatched"])
        #expect(first.step("allocate")?["back-ordered"] == 2)

        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,SKU1,6,,2026-11-27"]))
        let second = try home.cycle(at: "2026-11-28T09:00:00Z")
        #expect(second.step("allocate")?["picked"] == 1)
        #expect(try home.stages("MIDDLE") == [1: "despatched"])
        #expect(try home.stages("NEWEST") == [1: "back-order"])

        let pickLists = try home.outbox("picklists")
        #expect(pickLists == ["PL-000001-MAIN.csv", "PL-000002-MAIN.csv"])
        let rows = try home.csvRows("outbox/picklists/PL-000002-MAIN.csv")
        #expect(rows.map { $0["order_ref"] } == ["MIDDLE"])
        #expect(try home.order("MIDDLE").lines[0].pickListRef == "PL-000002")

        let status = try OrderQueries(engine: home.engine()).status()
        let stock = status.stock.first { $0.sku == "SKU1" }
        #expect(stock?.onHand == 2)
        #expect(stock?.allocated == 0)
        #expect(stock?.backOrdered == 4)
    }

    @Test func backOrderAndCreditHoldExceptionsNameTheOrdersFileAndLine() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1"), Sample.account("STOP", onStop: "Y")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1"), Sample.product("SKU2")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,5,,2026-11-20"]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("HELD", customer: "STOP", sku: "SKU1"),
            Sample.line("WAITS", no: 1, sku: "SKU1"), Sample.line("WAITS", no: 2, sku: "SKU2", qty: 3),
        ]))
        try home.cycle()
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv")
        let backOrder = try #require(rows.first { $0["kind"] == "back-order" })
        #expect(backOrder["order_ref"] == "WAITS" && backOrder["line_no"] == "2" && backOrder["sku"] == "SKU2")
        #expect(backOrder["source_file"] == "orders/o.csv" && backOrder["source_line"] == "4")
        let held = try #require(rows.first { $0["kind"] == "held-for-credit" })
        #expect(held["order_ref"] == "HELD" && held["source_file"] == "orders/o.csv" && held["source_line"] == "2")
    }

    @Test func pickListsAreOnePerWarehouseSortedByBinThenSku() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([
            Sample.product("ZED", bin: "A-01"), Sample.product("ABC", bin: "B-01"), Sample.product("MID", bin: "A-01"),
            Sample.product("FAR", warehouse: "NORTH", bin: "N-1"),
        ]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,ZED,10,,", "R1,ABC,10,,", "R1,MID,10,,", "R1,FAR,10,,"]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("O1", no: 1, sku: "ABC"), Sample.line("O1", no: 2, sku: "ZED"),
            Sample.line("O1", no: 3, sku: "MID"), Sample.line("O1", no: 4, sku: "FAR"),
        ]))
        try home.cycle()
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv", "PL-000002-NORTH.csv"])
        let main = try home.csvRows("outbox/picklists/PL-000001-MAIN.csv")
        #expect(main.map { $0["sku"]! } == ["MID", "ZED", "ABC"])
        #expect(main.allSatisfy { $0["pick_list_ref"] == "PL-000001" && $0["ship_name"] == "Customer C1" })
        let north = try home.csvRows("outbox/picklists/PL-000002-NORTH.csv")
        #expect(north.map { $0["sku"]! } == ["FAR"])
    }

    @Test func aCycleWithNothingToDoWritesNoFiles() throws {
        let home = try TestHome()
        try home.cycle()
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.outbox("picklists").isEmpty)
        #expect(try home.outbox("purchase-orders").isEmpty)
        #expect(try home.outbox("exceptions").isEmpty)
    }
}
