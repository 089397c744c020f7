import Foundation
import Testing
import OrderEngine
import OrderModel
import TestSupport

/// The worked examples in examples/, each through a real cycle in a temporary home.
@Suite struct WorkedExampleTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C001"), "C002,Card Co,CARD,0,0,N,,1 Road,,York,YO1,GB",
                                                              Sample.account("C004"), Sample.account("WEBGUEST")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("WID-100"), Sample.product("WID-200"),
                                                            Sample.product("GAD-300", warehouse: "NORTH"), Sample.product("CBL-050")]))
        return home
    }

    /// The ERP's weighed cable (kilograms, 2 decimals) and its paper by the sheet (a carton is 500 sheets).
    func erpProducts(_ home: TestHome) throws {
        try home.drop("products", "units.csv", Sample.productHeader + ",stock_unit,quantity_decimals,units\n"
            + Sample.product("KAB-010", price: "3.40") + ",KGM,2,\n" + Sample.product("BLT-A4", price: "0.07") + ",EA,0,CS=500\n")
    }

    func install(_ home: TestHome, _ mapping: String, _ sample: String, inbox: String) throws {
        try FileManager.default.copyItem(at: Self.examples.appendingPathComponent(mapping),
                                         to: home.home.mappings.appendingPathComponent(URL(fileURLWithPath: mapping).lastPathComponent))
        try home.copy(Self.examples.appendingPathComponent(sample), into: inbox)
    }

    @Test func aRuleSeesCustomFieldsOfOrdersAndLines() throws {
        let home = try home()
        try Data("""
            stages:
              - name: euro-check
                description: ERP orders with a price note in euros
            pipeline:
              - step: import
              - step: credit-check
              - rule: euro-notes
                search: "order.channel = 'erp' and order.cost_centre = 120 and any line: line.note contains '€'"
                action: move
                to: euro-check
                reason: price note in euros
              - step: allocate
              - step: export
            """.utf8).write(to: home.home.rulesFile)
        try erpProducts(home)
        try install(home, "erp-eu/erp-orders.yaml", "erp-eu/AUFTRAG_20261127.csv", inbox: "erp")
        try home.cycle()
        #expect(try home.stages("ERP-4711") == [1: "euro-check", 2: "euro-check", 3: "euro-check", 4: "euro-check"])
    }

    @Test func aLegacyERPExportInAEuropeanDialect() throws {
        let home = try home()
        try erpProducts(home)
        try install(home, "erp-eu/erp-orders.yaml", "erp-eu/AUFTRAG_20261127.csv", inbox: "erp")
        let report = try home.cycle()
        #expect(report.step("import")?["rejected"] == 0)
        let order = try home.order("ERP-4711")
        #expect(order.orderDate == "2026-11-26T00:00:00Z")
        #expect(order.customerRef == "C001")
        #expect(order.paymentMethod == "ACCOUNT")
        #expect(order.sourceFile == "erp/AUFTRAG_20261127.csv")
        #expect(order.sourceLine == 3)
        #expect(order.lines.map(\.sku) == ["WID-100", "WID-200", "KAB-010", "BLT-A4"])
        // "1.200 Stk", "3 Stk", "12,75 kg", "2.500 Blatt": quantity and unit split, the unit mapped, the number read exactly.
        #expect(order.lines.map(\.quantity) == [1200, 3, Quantity(thousandths: 12_750), 2500])
        #expect(order.lines.map(\.quantityAsWritten) == ["1200", "3", "12.75", "2500"])
        #expect(order.lines.map(\.unitAsWritten) == ["EA", "EA", "KGM", "EA"])
        // "12,50", "1.030,00", "3,20", "0,065": a sheet costs a fraction of a cent.
        #expect(order.lines.map(\.unitPrice) == ["12.50", "1030.00", "3.20", "0.065"])
        #expect(order.shipTo == ["name": "Müller GmbH", "address1": "Hauptstraße 5", "address2": "", "city": "Köln",
                                 "postcode": "50667", "country": "DE"])
        #expect(order.custom == ["channel": "erp", "cost_centre": "120"])
        #expect(order.lines.map(\.custom) == [["note": "Lieferung über Tor 3"], ["note": "Preis in €"], ["note": "Kabel vom Fass"], [:]])
        let other = try home.order("ERP-4712")
        #expect(other.orderDate == "2026-11-27T00:00:00Z")
        #expect(other.paymentMethod == "PROFORMA")
        #expect(other.shipTo["name"] == "Bäckerei Groß")
        #expect(other.shipTo["city"] == "Würzburg")
        // "2 Karton" of paper is 1000 sheets at 0,06.
        #expect(other.lines.map(\.quantity) == [2, 1000])
        #expect(other.lines.map(\.unitAsWritten) == ["EA", "CS"])
        #expect(other.lines.map(\.unitPrice) == ["99.00", "0.06"])
        // Each line's value rounded to the cent once: 15000.00 + 3090.00 + 40.80 + 162.50, and 198.00 + 60.00.
        let values = try OrderQueries(engine: home.engine()).orders().map { "\($0.orderRef) \($0.value)" }
        #expect(values == ["ERP-4711 18293.30", "ERP-4712 258.00"])
    }

    @Test func anECommerceExportWithFillDownAndMultiLineNotes() throws {
        let home = try home()
        try install(home, "shop/shop-orders.yaml", "shop/orders_export_1.csv", inbox: "shop")
        try home.cycle()
        let order = try home.order("WEB-1001")
        #expect(order.lines.count == 2)
        #expect(order.customerRef == "C002")
        #expect(order.cardLast4 == "1111")
        #expect(order.custom["notes"] == "Leave with neighbour\nat number 9, \"blue door\"")
        #expect(order.custom["gift"] == "true")
        #expect(order.lines.map { $0.custom["gift_wrap"] } == ["true", "false"])
        #expect(order.shipTo["name"] == "Jane Buyer")
        #expect(try home.order("WEB-1002").customerRef == "WEBGUEST")
        let archived = try home.read("archive/shop/orders_export_1.csv")
        #expect(!archived.contains("4111 1111 1111 1111"))
    }

    @Test func aUBLOrderWithNamespacesAndAttributes() throws {
        let home = try home()
        try install(home, "ubl/ubl-orders.yaml", "ubl/order-34.xml", inbox: "ubl")
        try home.cycle()
        let order = try home.order("UBL-34")
        #expect(order.orderDate == "2026-11-26T09:15:00Z")
        #expect(order.customerRef == "C001")
        #expect(order.paymentMethod == "ACCOUNT")
        #expect(order.shipTo["name"] == "Acme Warehouse & Returns")
        #expect(order.lines.map(\.quantity) == [4, 1])
        #expect(order.custom.isEmpty)
        #expect(order.currency == "GBP", "DocumentCurrencyCode is the order's currency")
        #expect(order.lines.map { $0.custom["unit_code"] } == ["EA", "EA"])
    }

    @Test func anXMLGoodsReceiptRaisesStock() throws {
        let home = try home()
        try install(home, "goods-receipt/goods-receipts.yaml", "goods-receipt/GR_20261127.xml", inbox: "goods-in")
        let report = try home.cycle()
        #expect(report.step("import")?["records"] == 3 + 4 + 4)
        let stock = try OrderQueries(engine: home.engine()).status(stockLimit: nil).stock
        #expect(stock.first { $0.sku == "WID-100" }?.onHand == 60)
        #expect(stock.first { $0.sku == "GAD-300" && $0.warehouse == "NORTH" }?.onHand == 24)
    }

    @Test func theSampleDropInTheReadmeStillDoesWhatTheReadmeSays() throws {
        let home = try TestHome()
        for feed in ["customers", "products", "suppliers", "orders", "receipts"] {
            let folder = Self.examples.appendingPathComponent("drop/\(feed)")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                try home.copy(folder.appendingPathComponent(name), into: feed)
            }
        }
        let report = try home.cycle(at: "2026-11-27T08:00:00Z")
        #expect(report.step("credit-check")?.counts.map(\.value) == [10, 6, 4, 0])
        #expect(report.step("proforma-vetting")?["matched"] == 1)
        #expect(try home.stages("SO-1005") == [1: "order-vetting", 2: "order-vetting", 3: "order-vetting"])
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv"])
        #expect(try home.outbox("purchase-orders") == ["PO-000001.xml", "PO-000002.csv"])
        #expect(try home.csvRows("outbox/exceptions/EX-000001.csv").count == 8)
    }
}

@Suite struct SplitOrderTests {
    @Test func anOrderWhoseRowsAreNotTogetherIsRefusedWhole() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("A", no: 1, sku: "SKU1"), Sample.line("B", no: 1, sku: "SKU1"), Sample.line("A", no: 2, sku: "SKU1"),
            Sample.line("C", no: 1, sku: "SKU1"),
        ]))
        try home.cycle()
        #expect(try OrderQueries(engine: home.engine()).orders().map(\.orderRef) == ["B", "C"])
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["order_ref"] == "A" }
        #expect(rows.first?["reason"]?.hasPrefix("the rows of order A are not together: it started at line 2 and appears again here") == true)
        #expect(rows.first?["source_line"] == "4")
    }
}
