import Foundation
import GRDB
import Testing
import OrderEngine
import OrderModel
import OrderOutput
import OrderRules
import OrderStore
import TestSupport

/// What output mappings read of a document, built from a real cycle: the rule fields (built-in and custom)
/// of each row's order, line and product, plus what the document adds.
@Suite struct DocumentValuesTests {
    /// A home whose mappings add a custom order field (`order.channel`), a custom product field
    /// (`product.weight`, a decimal) and a custom supplier field (`supplier.account`).
    func homeWithCustomFields(confirmed: Bool) throws -> TestHome {
        let home = try TestHome()
        let mappings = home.home.mappings
        func add(_ file: String, _ text: String) throws {
            let url = mappings.appendingPathComponent(file)
            try (try String(contentsOf: url, encoding: .utf8) + text).write(to: url, atomically: true, encoding: .utf8)
        }
        try add("orders.yaml", "  order.channel: channel\n")
        try add("products.yaml", "  product.weight: { column: weight, type: decimal }\n")
        try add("suppliers.yaml", "  supplier.account: account\n  supplier.lead_days: { column: lead, type: integer }\n")
        if confirmed { try Data("despatch: confirmed\n".utf8).write(to: home.home.configFile) }
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("suppliers", "s.csv", Sample.supplierHeader + ",account,lead\nSUPA,Alpha,a@example.com,ubl-order,ACC-9,3\n")
        try home.drop("products", "p.csv", ([Sample.productHeader + ",weight",
                                             Sample.product("A1", bin: "B-02") + ",2.5",
                                             Sample.product("B1", bin: "A-01") + ",0.75",
                                             Sample.product("D1", dropShip: "Y", supplier: "SUPA", cost: "5.25") + ",1",
                                             Sample.product("D2", dropShip: "Y", supplier: "SUPA", cost: "") + ",1"])
            .joined(separator: "\n") + "\n")
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,A1,10,,2026-11-20", "R2,B1,10,,2026-11-20"]))
        try home.drop("orders", "o.csv", ([Sample.orderHeader + ",channel",
                                           Sample.line("O1", no: 1, sku: "A1", qty: 2) + ",WEB",
                                           Sample.line("O1", no: 2, sku: "B1", qty: 3) + ",WEB",
                                           Sample.line("O2", no: 1, sku: "A1", qty: 1) + ",PHONE",
                                           Sample.line("O3", no: 1, sku: "D1", qty: 4) + ",EDI",
                                           Sample.line("O3", no: 2, sku: "D2", qty: 1) + ",EDI"])
            .joined(separator: "\n") + "\n")
        try home.cycle()
        return home
    }

    func values<T>(_ home: TestHome, _ kind: OutputDocumentKind, _ body: (DocumentValues, StoreTransaction) throws -> T) throws -> T {
        let engine = try home.engine()
        let catalog = DocumentValues.catalog(kind, mappings: try engine.loadMappings())
        return try engine.database.writer.write { db in
            let tx = StoreTransaction(db)
            return try body(DocumentValues(tx: tx, catalog: catalog, money: engine.config.money, today: 20_000), tx)
        }
    }

    @Test func aPickListHasEachLineWithItsOrderCustomerProductAndCustomFieldsInPickListOrder() throws {
        let home = try homeWithCustomFields(confirmed: true)
        let pickList = try values(home, .pickList) { values, tx in
            let ids = try Int64.fetchAll(tx.db, sql: "SELECT id FROM order_line WHERE pick_list_ref = 'PL-000001'")
            return try values.pickList(lineIDs: ids, ref: "PL-000001", number: 1, warehouse: "MAIN")
        }
        // Bin A-01 (B1) first, then B-02 (A1) of O1 and O2.
        #expect(pickList.rows.map { $0.order.order["ref"] } == [.text("O1"), .text("O1"), .text("O2")])
        #expect(pickList.rows.map { $0.line.line["sku"] } == [.text("B1"), .text("A1"), .text("A1")])
        #expect(pickList.rows.map { $0.line.line["bin_location"] } == [.text("A-01"), .text("B-02"), .text("B-02")])
        #expect(pickList.rows.map { $0.line.line["allocated"] } == [.number(3), .number(2), .number(1)])
        #expect(pickList.rows.map { $0.order.order["channel"] } == [.text("WEB"), .text("WEB"), .text("PHONE")])
        #expect(pickList.rows.map { $0.line.product?["weight"] } == [.number(Decimal(string: "0.75")!), .number(2.5), .number(2.5)])
        #expect(pickList.rows.first?.order.customer?["name"] == .text("Customer C1"))
        #expect(pickList.rows.first?.order.order["total"] == .number(50), "the order's value as the rules compute it")
        #expect(pickList.rows.first?.line.line["quantity"] == .number(3))
        let document = pickList.header.entities["document"]
        #expect(document?["ref"] == .text("PL-000001"))
        #expect(document?["number"] == .number(1))
        #expect(document?["warehouse"] == .text("MAIN"))
        #expect(document?["date"] == .date(20_000))
        #expect(pickList.rows.allSatisfy { $0.order.entities["document"]?["ref"] == .text("PL-000001") })
        #expect(pickList.header.lines.count == 3)
    }

    @Test func onlyTheFieldsAMappingReadsAreBuiltBesideWhatTheDocumentAdds() throws {
        let home = try homeWithCustomFields(confirmed: true)
        let engine = try home.engine()
        let catalog = DocumentValues.catalog(.pickList, mappings: try engine.loadMappings())
        let pickList = try engine.database.writer.read { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM order_line WHERE pick_list_ref = 'PL-000001'")
            return try DocumentValues(tx: StoreTransaction(db), catalog: catalog, money: engine.config.money, today: 20_000,
                                      fields: ["line.sku", "order.channel"]).pickList(lineIDs: ids, ref: "PL-000001", number: 1, warehouse: "MAIN")
        }
        let row = try #require(pickList.rows.first)
        #expect(Set(row.line.line.keys) == ["line_no", "stage", "sku", "allocated", "bin_location"])
        #expect(Set(row.order.order.keys).isSuperset(of: ["ref", "channel"]))
        #expect(row.order.order["total"] == nil)
        #expect(pickList.rows.map { $0.line.line["sku"] } == [.text("B1"), .text("A1"), .text("A1")])
    }

    /// A mapping that reads no order's lines together gets the same row values, its rows' orders holding only
    /// the lines printed; one that reads an order-level fact of all lines (`order.total`) still gets them all.
    @Test func aPickListWhoseMappingReadsNoOrderLinesBuildsOnlyThePrintedLines() throws {
        let home = try homeWithCustomFields(confirmed: true)
        let engine = try home.engine()
        let catalog = DocumentValues.catalog(.pickList, mappings: try engine.loadMappings())
        let fields: Set<String> = ["line.sku", "line.quantity", "line.bin_location", "line.allocated", "order.channel", "product.weight"]
        func pickList(_ fields: Set<String>, readsOrderLines: Bool) throws -> OutputDocumentValues {
            try engine.database.writer.read { db in
                // O1's line 2 (B1) and O2's line: O1's line 1 is left off the list.
                let ids = try Int64.fetchAll(db, sql: """
                    SELECT l.id FROM order_line l JOIN sales_order o ON o.id = l.order_id
                    WHERE l.pick_list_ref = 'PL-000001' AND NOT (o.order_ref = 'O1' AND l.line_no = 1)
                    """)
                return try DocumentValues(tx: StoreTransaction(db), catalog: catalog, money: engine.config.money, today: 20_000,
                                          fields: fields, readsOrderLines: readsOrderLines)
                    .pickList(lineIDs: ids, ref: "PL-000001", number: 1, warehouse: "MAIN")
            }
        }
        let all = try pickList(fields, readsOrderLines: true)
        let printed = try pickList(fields, readsOrderLines: false)
        #expect(printed.rows.count == 2)
        #expect(printed.rows.map(\.line.line) == all.rows.map(\.line.line))
        #expect(printed.rows.map(\.line.product) == all.rows.map(\.line.product))
        #expect(printed.rows.map(\.order.order) == all.rows.map(\.order.order))
        #expect(printed.rows.map { $0.line.line["allocated"] } == [.number(3), .number(1)])
        #expect(all.rows.map(\.order.lines.count) == [2, 1])
        #expect(printed.rows.map(\.order.lines.count) == [1, 1])
        let totals = try pickList(fields.union(["order.total"]), readsOrderLines: false)
        #expect(totals.rows.map(\.order.lines.count) == [2, 1], "order.total is computed from every line")
        #expect(totals.rows.first?.order.order["total"] == .number(50))
    }

    @Test func aPurchaseOrderHasItsOrderSupplierAndLinesWithTheSupplierCost() throws {
        let home = try homeWithCustomFields(confirmed: false)
        let found = try values(home, .purchaseOrder) { values, _ in try values.purchaseOrder("PO-000001") }
        let po = try #require(found)
        #expect(po.format == "ubl-order")
        #expect(po.values.header.order["ref"] == .text("O3"))
        #expect(po.values.header.order["channel"] == .text("EDI"))
        #expect(po.values.header.customer?["ref"] == .text("C1"))
        let document = po.values.header.entities["document"]
        #expect(document?["ref"] == .text("PO-000001"))
        #expect(document?["number"] == .number(1))
        #expect(document?["date"] == .date(Timestamp(iso8601: "2026-11-27T09:00:00Z")!.day))
        let supplier = po.values.header.entities["supplier"]
        #expect(supplier?["ref"] == .text("SUPA"))
        #expect(supplier?["name"] == .text("Alpha"))
        #expect(supplier?["email"] == .text("a@example.com"))
        #expect(supplier?["account"] == .text("ACC-9"))
        #expect(supplier?["lead_days"] == .number(3), "a supplier's custom field has its declared type")
        #expect(po.values.rows.map { $0.line.line["line_no"] } == [.number(1), .number(2)])
        #expect(po.values.rows.map { $0.line.line["unit_cost"] } == [.number(Decimal(string: "5.25")!), .null])
        #expect(po.values.rows.map { $0.line.product?["weight"] } == [.number(1), .number(1)])
        #expect(po.values.rows.allSatisfy { $0.order.entities["supplier"]?["name"] == .text("Alpha") })
        // The supplier names the shipped UBL mapping: its PO was written through it, named after the PO.
        #expect(try home.outbox("purchase-orders") == ["PO-000001.xml"])
        let ubl = try home.read("outbox/purchase-orders/PO-000001.xml")
        #expect(ubl.contains("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"") && ubl.contains("<cbc:ID>PO-000001</cbc:ID>"))
        #expect(try values(home, .purchaseOrder) { values, _ in try values.purchaseOrder("PO-999999") } == nil)
    }

    @Test func theExceptionAndBackOrderReportsCarryTheirOwnEntities() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("A1")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "A1", qty: 2), Sample.line("O2", sku: "NOPE", qty: 1)]))
        try home.cycle()
        let (exceptions, backOrders) = try values(home, .exceptionReport) { values, tx in
            var all: [ExceptionToReport] = []
            let reported = try Int64.fetchAll(tx.db, sql: "SELECT id FROM exception ORDER BY id")
            #expect(!reported.isEmpty)
            try tx.db.execute(sql: "DELETE FROM exception_report")
            try tx.forEachExceptionToReport { all.append($0) }
            return (try values.exceptionReport(all, ref: "EX-000009", number: 9), try values.backOrderReport(ref: "BO-000001", number: 1))
        }
        let backOrder = try #require(exceptions.rows.first { $0.line.entities["exception"]?["order_ref"] == .text("O1") })
        #expect(backOrder.line.entities["exception"]?["kind"] == .text("back-order"))
        #expect(backOrder.order.order["ref"] == .text("O1"))
        #expect(backOrder.line.line["sku"] == .text("A1"))
        #expect(exceptions.header.entities["document"]?["number"] == .number(9))

        #expect(backOrders.rows.map { $0.order.order["ref"] } == [.text("O1")])
        let entry = try #require(backOrders.rows.first?.line.entities["back_order"])
        #expect(entry["available"] == .number(0))
        #expect(entry["since"] == .date(Timestamp(iso8601: "2026-11-27T09:00:00Z")!.day))
        #expect(entry["reason"] != nil)
    }

    @Test func eachDocumentsCatalogKnowsWhatItsValuesHold() throws {
        let home = try homeWithCustomFields(confirmed: false)
        let mappings = try home.engine().loadMappings()
        let po = DocumentValues.catalog(.purchaseOrder, mappings: mappings)
        #expect(po.type(entity: "supplier", name: "lead_days") == .number)
        #expect(po.type(entity: "supplier", name: "name") == .text)
        #expect(po.type(entity: "line", name: "unit_cost") == .number)
        #expect(po.type(entity: "order", name: "channel") == .text)
        #expect(po.type(entity: "line", name: "allocated") == nil)
        let pickList = DocumentValues.catalog(.pickList, mappings: mappings)
        #expect(pickList.type(entity: "document", name: "warehouse") == .text)
        #expect(pickList.type(entity: "line", name: "bin_location") == .text)
        #expect(pickList.type(entity: "product", name: "weight") == .number)
        #expect(pickList.type(entity: "supplier", name: "name") == nil)
        #expect(DocumentValues.catalog(.backOrderReport, mappings: mappings).lineEntities.contains("back_order"))
    }

    @Test func aSupplierMayNameAnOutputMappingButNoPath() throws {
        let home = try TestHome()
        try home.drop("suppliers", "s.csv", Sample.suppliers(["S1,One,one@example.com,UBL-Order", "S2,Two,two@example.com,../x",
                                                              "S3,Three,three@example.com,"]))
        try home.cycle()
        let engine = try home.engine()
        let (formats, reasons) = try engine.database.writer.read { db in
            (try [String: String](uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT supplier_ref, po_format FROM supplier").map { ($0[0], $0[1]) }),
             try String.fetchAll(db, sql: "SELECT reason FROM exception"))
        }
        #expect(formats == ["S1": "ubl-order", "S3": "csv"])
        #expect(reasons.contains { $0.contains("found '../x', expected csv, xml or the name of an output mapping (letters, digits, - and _)") },
                "\(reasons)")
    }
}
