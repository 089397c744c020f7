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

    /// What the cycle printed for each file it took (the observer behind `orderflow cycle`'s file lines).
    final class FileLines: ImportObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func started(file: String, bytes: Int) {}
        func progress(file: String, bytesDone: Int, bytesTotal: Int, records: Int) {}
        func finished(file: String, records: Int, rejected: Int, outcome: String) {
            lock.withLock { lines.append("\(file): \(records) record(s), \(rejected) rejected, \(outcome)") }
        }
        var all: [String] { lock.withLock { lines } }
    }

    /// Each line of an order as (line_no, sku, quantity, unit_price, custom).
    func lines(_ order: OrderQueries.OrderDetail) -> [String] {
        order.lines.map { "\($0.lineNo) \($0.sku) \($0.quantity) \($0.unitPrice ?? "-") \($0.custom.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))" }
    }

    /// Non-stock lines as `line-or-kind sku qty price value custom`.
    func nonStock(_ order: OrderQueries.OrderDetail) -> [String] {
        order.nonStockLines.map {
            let custom = $0.custom.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
            return "\($0.lineNo.map(String.init) ?? $0.kind.rawValue) \($0.sku ?? "-") \($0.quantity) \($0.unitPrice) \($0.value)" + (custom.isEmpty ? "" : " " + custom)
        }
    }

    /// Shopify's admin "Export orders" CSV with its real columns: Name repeated on every row of an order (fill-down
    /// with a WEB- prefix compares made keys), no line numbers (sequence: per_order), tips and gift wrap without a
    /// SKU as non-stock lines, Shipping and Discount Amount as the order's, `Created at` as written with its
    /// offset, a quoted multi-line note.
    @Test func aShopifyOrdersExport() throws {
        let home = try home()
        try install(home, "shop/shop-orders.yaml", "shop/orders_export_1.csv", inbox: "shop")
        let files = FileLines()
        let report = try home.engine().runCycle(observer: files)
        #expect(files.all.contains("shop/orders_export_1.csv: 5 record(s), 0 rejected, imported"))
        #expect(report.step("import")?["skipped"] ?? 0 == 0)
        let first = try home.order("WEB-1001")
        #expect(first.orderDate == "2026-11-27T00:15:00Z", "the day the shop wrote, though 26 November in UTC")
        #expect(first.customerRef == "WEBGUEST")
        #expect(first.paymentMethod == nil)
        #expect(first.currency == "GBP")
        #expect(first.shipTo == ["name": "Jane Buyer", "address1": "7 Elm Close", "address2": "", "city": "York", "postcode": "YO2 1AB", "country": "GB"])
        #expect(first.custom == ["channel": "web", "email": "jane@example.com", "financial_status": "paid", "payment": "Shopify Payments",
                                 "shopify_id": "5550001001", "notes": "Leave with neighbour\nat number 9, \"blue door\""])
        #expect(lines(first) == ["1 WID-100 2 12.50 name=Widget small", "2 WID-200 1 30.00 name=Widget large"])
        // The tip (no SKU) is a non-stock line; shipping is the order's; the total is Shopify's Total.
        #expect(nonStock(first) == ["3 - 1 6.00 6.00 name=Tip", "shipping - 1 4.99 4.99"])
        #expect(first.total == "65.99")
        let second = try home.order("WEB-1002")
        #expect(second.orderDate == "2026-11-27T08:02:10Z")
        #expect(second.shipTo == ["name": "Anne Lefèvre", "address1": "12 rue de Berri", "address2": "", "city": "Paris", "postcode": "75008", "country": "FR"])
        #expect(second.custom == ["channel": "web", "email": "anne@example.fr", "financial_status": "paid", "payment": "PayPal Express Checkout",
                                  "shopify_id": "5550001002"])
        #expect(lines(second) == ["1 CBL-050 3 8.99 name=Cable 0.5 m"])
        #expect(nonStock(second) == ["2 - 1 2.50 2.50 name=Gift wrap", "shipping - 1 9.99 9.99", "discount - 1 -2.00 -2.00"])
        #expect(second.total == "37.46")
        #expect(try OrderQueries(engine: home.engine()).orders().map(\.orderRef) == ["WEB-1001", "WEB-1002"])
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

    /// UBL 2.1 allows the root with a prefix: `<ubl:Order xmlns:ubl=...>` imports through the same mapping.
    @Test func aUBLOrderWithAPrefixedRootThroughTheSameMapping() throws {
        let home = try home()
        try install(home, "ubl/ubl-orders.yaml", "ubl/order-34.xml", inbox: "ubl")
        try home.copy(Self.examples.appendingPathComponent("ubl/order-35-prefixed.xml"), into: "ubl")
        try home.cycle()
        let order = try home.order("UBL-35")
        #expect(order.orderDate == "2026-11-26T23:45:00Z")
        #expect(order.customerRef == "C004")
        #expect(order.paymentMethod == "PROFORMA")
        #expect(order.currency == "GBP")
        #expect(order.shipTo == ["name": "Northern Fixings Goods In", "address1": "4 Quay Street", "address2": "", "city": "Newcastle",
                                 "postcode": "NE1 3AF", "country": "GB"])
        #expect(order.custom.isEmpty)
        #expect(lines(order) == ["1 GAD-300 6 8.00 unit_code=H87", "2 CBL-050 10 2.50 unit_code=EA"])
        #expect(try home.order("UBL-34").lines.count == 2)
    }

    /// A cXML 1.2 OrderRequest: DOCTYPE SYSTEM (never fetched), the record below the Request, the buyer in the Header.
    @Test func aCXMLOrderRequestWithItsBuyerInTheHeader() throws {
        let home = try home()
        try install(home, "cxml/cxml-orders.yaml", "cxml/PO-77001.xml", inbox: "cxml")
        let files = FileLines()
        _ = try home.engine().runCycle(observer: files)
        #expect(files.all.contains("cxml/PO-77001.xml: 2 record(s), 0 rejected, imported"))
        let order = try home.order("PO-77001")
        #expect(order.orderDate == "2026-11-27T00:30:00Z", "as the buyer wrote it")
        #expect(order.customerRef == "C001", "from /cXML/Header/From/Credential[@domain='NetworkID']/Identity")
        #expect(order.paymentMethod == nil)
        #expect(order.currency == "GBP")
        #expect(order.shipTo == ["name": "Acme Trading Ltd", "address1": "Unit 9, Ring Road", "address2": "Goods In, Door 3", "city": "Leeds",
                                 "postcode": "LS12 6AA", "country": "GB"])
        #expect(order.custom == ["payload_id": "20261127.003012.4711@buyer.example.com", "sent_by": "Acme Procurement 9.1",
                                 "comments": "Deliver before noon"])
        #expect(lines(order) == ["1 WID-100 4 12.50 buyer_part=ACME-W1;unit=EA;wanted_by=2026-12-01T00:00:00Z",
                                 "2 WID-200 1 30.00 buyer_part=ACME-W2;unit=EA;wanted_by=2026-12-01T00:00:00Z"])
    }

    /// A UBL 2.1 ReceiptAdvice: header values by absolute paths, a line's date or else the delivery's (first:).
    @Test func aUBLReceiptAdvice() throws {
        let home = try home()
        try install(home, "ubl-receipt/ubl-receipts.yaml", "ubl-receipt/receipt-advice-RA-0042.xml", inbox: "ubl-receipts")
        try home.cycle()
        let receipt = try ReceiptQueries(engine: home.engine()).receipt("RA-0042")
        let shown = receipt.lines.map { "\($0.sku) \($0.quantity) \($0.warehouse) \($0.receivedAt) \($0.custom.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))" }
        let header = "despatch=DN-5501;"
        #expect(shown == [
            "WID-100 60 MAIN 2026-11-27T00:00:00Z \(header)line=1;order=PO-000123;short=0;supplier=Widget Works Ltd",
            "WID-200 10 MAIN 2026-11-26T16:40:00Z \(header)line=2;order=PO-000123;short=2;supplier=Widget Works Ltd",
            "GAD-300 24 MAIN 2026-11-26T00:00:00Z \(header)line=3;order=PO-000123;short=0;supplier=Widget Works Ltd",
        ])
    }

    /// An Excel "CSV UTF-8" goods-in report: BOM, CRLF, a title line, quoted cells, thousands, a trailing row of
    /// empty cells (skipped), and a blank received date falling back to the delivery date.
    @Test func anExcelGoodsInReport() throws {
        let home = try home()
        try install(home, "goods-in-excel/goods-in-excel.yaml", "goods-in-excel/GoodsIn_wk48.csv", inbox: "goods-in-excel")
        let files = FileLines()
        _ = try home.engine().runCycle(observer: files)
        #expect(files.all.contains("goods-in-excel/GoodsIn_wk48.csv: 3 record(s), 0 rejected, imported (1 row skipped by the mapping's skip_when)"))
        let queries = ReceiptQueries(engine: try home.engine())
        func shown(_ ref: String) throws -> [String] {
            try queries.receipt(ref).lines.map { "\($0.sku) \($0.quantity) \($0.warehouse) \($0.receivedAt) \($0.custom.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))" }
        }
        #expect(try shown("GRN-1001") == [
            "WID-100 1200 MAIN 2026-11-26T00:00:00Z description=Widget small;supplier=Widget Works, Ltd",
            "WID-200 12 MAIN 2026-11-25T00:00:00Z description=Widget \"large\";notes=Pallet 2 of 2\r\ndamaged corner;supplier=Widget Works, Ltd",
        ])
        #expect(try shown("GRN-1002") == ["GAD-300 24 NORTH 2026-11-27T00:00:00Z description=Gadget;supplier=Gadget Co"])
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
