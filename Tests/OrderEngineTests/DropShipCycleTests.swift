import Foundation
import Testing
import OrderEngine
import TestSupport

@Suite struct DropShipCycleTests {
    @Test func onePurchaseOrderPerOrderAndSupplier() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("suppliers", "s.csv", Sample.suppliers(["SUPA,Alpha,a@example.com,csv", "SUPX,Xeno,x@example.com,xml"]))
        try home.drop("products", "p.csv", Sample.products([
            Sample.product("A1", dropShip: "Y", supplier: "SUPA", cost: "5.25"),
            Sample.product("A2", dropShip: "Y", supplier: "SUPA", cost: "1.00"),
            Sample.product("X1", dropShip: "Y", supplier: "SUPX", cost: "7.00"),
            Sample.product("U1", dropShip: "Y", supplier: "UNKNOWN-SUP", cost: ""),
        ]))
        try home.drop("orders", "o.csv", Sample.orders([
            "O1,2026-11-25,C1,1,A1,2,,,,,Ship Name,9 Lane,,City,PC1,GB",
            "O1,2026-11-25,C1,2,A2,1,,,,,,,,,,",
            "O1,2026-11-25,C1,3,X1,4,,,,,,,,,,",
            Sample.line("O2", date: "2026-11-26", sku: "A1", qty: 1),
            Sample.line("O3", date: "2026-11-26T10:00:00Z", sku: "U1", qty: 1),
        ]))
        let report = try home.cycle()
        #expect(report.step("drop-ship")?["purchase orders"] == 4)
        #expect(try home.outbox("purchase-orders") == ["PO-000001.csv", "PO-000002.xml", "PO-000003.csv", "PO-000004.csv"])

        let first = try home.csvRows("outbox/purchase-orders/PO-000001.csv")
        #expect(first.map { $0["line_no"]! } == ["1", "2"])
        #expect(first.map { $0["unit_cost"]! } == ["5.25", "1.00"])
        #expect(first.allSatisfy { $0["supplier_ref"] == "SUPA" && $0["order_ref"] == "O1" && $0["ship_name"] == "Ship Name" && $0["ship_city"] == "City" })

        let xml = try home.read("outbox/purchase-orders/PO-000002.xml")
        #expect(xml.contains("<purchase_order po_ref=\"PO-000002\">"))
        #expect(xml.contains("<sku>X1</sku>"))
        #expect(xml.contains("<quantity>4</quantity>"))

        // An unknown supplier gets CSV; the ship-to falls back to the customer's address.
        let unknown = try home.csvRows("outbox/purchase-orders/PO-000004.csv")
        #expect(unknown.first?["supplier_ref"] == "UNKNOWN-SUP")
        #expect(unknown.first?["ship_name"] == "Customer C1")
        #expect(unknown.first?["ship_address1"] == "1 Road")

        #expect(try home.stages("O1") == [1: "drop-ship", 2: "drop-ship", 3: "drop-ship"])
        #expect(try home.order("O1").lines.map(\.poRef) == ["PO-000001", "PO-000001", "PO-000002"])

        // Nothing is derived or written twice.
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.outbox("purchase-orders").count == 4)
    }
}
