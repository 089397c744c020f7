import Foundation
import Testing
import OrderEngine
import OrderOutput
import OrderStore
import TestSupport

/// `orderflow mapping test` on an output mapping: the document a mapping would write, from the database,
/// with nothing written and nothing changed.
@Suite struct OutputPreviewTests {
    /// A purchase-order mapping in CSV: semicolons, LF, a prefixed order ref and the supplier's cost.
    static let purchaseOrderCSV = """
        document: purchase-order
        format: csv
        file_name: "{{ document.ref }}-{{ supplier.ref }}.csv"
        folder: "purchase-orders/{{ supplier.ref }}"
        csv:
          delimiter: ";"
          line_end: lf
          columns:
            - {header: PO, value: document.ref}
            - {header: Supplier, value: supplier.name}
            - {header: Order, value: "'ACME-' + order.ref"}
            - {header: SKU, value: line.sku}
            - {header: Qty, value: line.quantity}
            - {header: Cost, value: line.unit_cost}

        """

    /// A pick-list mapping in CSV, with the engine's default file name and folder.
    static let pickListCSV = """
        document: pick-list
        format: csv
        csv:
          line_end: lf
          columns:
            - {header: list, value: document.ref}
            - {header: wh, value: document.warehouse}
            - {header: bin, value: line.bin_location}
            - {header: sku, value: line.sku}
            - {header: qty, value: line.allocated}
            - {header: order, value: order.ref}

        """

    static func write(_ text: String, as name: String, in home: TestHome) throws {
        try FileManager.default.createDirectory(at: home.home.outputMappings, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: home.home.outputMappings.appendingPathComponent("\(name).yaml"))
    }

    /// A home whose supplier SUPA names the output mapping `acme`, which it does not have yet: after a cycle,
    /// PO-000001 (O3: D1 × 4 at 5.25, D2 × 1 without a cost) waits, pending.
    static func homeWithAPendingPurchaseOrder() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("suppliers", "s.csv", Sample.suppliers(["SUPA,Alpha Supplies,a@example.com,acme"]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("D1", dropShip: "Y", supplier: "SUPA", cost: "5.25"),
                                                           Sample.product("D2", dropShip: "Y", supplier: "SUPA", cost: "")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O3", no: 1, sku: "D1", qty: 4), Sample.line("O3", no: 2, sku: "D2", qty: 1)]))
        try home.cycle()
        return home
    }

    @Test func aPurchaseOrderOfARealCycleRendersThroughACSVMappingAndNothingIsWritten() throws {
        let home = try Self.homeWithAPendingPurchaseOrder()
        try Self.write(Self.purchaseOrderCSV, as: "acme", in: home)
        let engine = try home.engine(at: "2026-11-28T10:00:00Z")
        let before = home.allFiles().map(\.path).sorted()
        let result = try OutputPreview(engine: engine, mappings: try engine.loadMappings())
            .render(mapping: "acme", argument: "PO-000001", pickList: nil)
        #expect(String(decoding: result.bytes, as: UTF8.self) == """
            PO;Supplier;Order;SKU;Qty;Cost
            PO-000001;Alpha Supplies;ACME-O3;D1;4;5.25
            PO-000001;Alpha Supplies;ACME-O3;D2;1;

            """)
        #expect(result.folder == "purchase-orders/SUPA")
        #expect(result.fileName == "PO-000001-SUPA.csv")
        #expect(result.rows == 2)
        #expect(result.mapping == "mappings/outputs/acme.yaml")
        #expect(result.document == "purchase order PO-000001")
        // Nothing was written: no file in the outbox, and the purchase order still waits for the next export.
        #expect(home.allFiles().map(\.path).sorted() == before)
        #expect(try home.outbox("purchase-orders").isEmpty)
        #expect(try engine.database.read { try $0.purchaseOrdersToWrite() }.map(\.poRef) == ["PO-000001"])
    }

    @Test func theNextPickListOfAWarehouseRendersItsLinesInPickingWithTheNextNumber() throws {
        let home = try TestHome()
        // MAIN's pick-list mapping is missing at the cycle: its lines stay in Picking, on no pick list.
        try Data("outputs:\n  warehouse_pick_lists:\n    MAIN: wms\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("A1", bin: "B-02"), Sample.product("B1", bin: "A-01")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,A1,10,,2026-11-20", "R2,B1,10,,2026-11-20"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", no: 1, sku: "A1", qty: 2), Sample.line("O1", no: 2, sku: "B1", qty: 3),
                                                       Sample.line("O2", no: 1, sku: "A1", qty: 1)]))
        try home.cycle()
        #expect(try home.stages("O1") == [1: "picking", 2: "picking"])
        try Self.write(Self.pickListCSV, as: "wms", in: home)
        let engine = try home.engine()
        let preview = OutputPreview(engine: engine, mappings: try engine.loadMappings())
        let result = try preview.render(mapping: "wms", argument: "MAIN", pickList: nil)
        #expect(String(decoding: result.bytes, as: UTF8.self) == """
            list,wh,bin,sku,qty,order
            PL-000001,MAIN,A-01,B1,3,O1
            PL-000001,MAIN,B-02,A1,2,O1
            PL-000001,MAIN,B-02,A1,1,O2

            """)
        #expect(result.folder == "picklists" && result.fileName == "PL-000001-MAIN.csv")
        // Another warehouse has nothing waiting: its pick list has no rows.
        #expect(try preview.render(mapping: "wms", argument: "WH2", pickList: nil).rows == 0)
        // Nothing changed: the lines still wait in Picking, and the outbox is empty.
        #expect(try home.stages("O1") == [1: "picking", 2: "picking"])
        #expect(try home.outbox("picklists").isEmpty)
        #expect(try engine.database.read { try $0.lineIDsToPick(warehouse: "MAIN") }.count == 3)
    }

    @Test func aWrittenPickListRendersTheLinesOnIt() throws {
        let home = try TestHome()
        // Confirmed despatch: the lines on the written pick list still hold their stock (`line.allocated`).
        try Data("despatch: confirmed\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("A1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,A1,10,,2026-11-20"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "A1", qty: 2)]))
        try home.cycle()
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv"])
        try Self.write(Self.pickListCSV, as: "wms", in: home)
        let engine = try home.engine()
        let preview = OutputPreview(engine: engine, mappings: try engine.loadMappings())
        let result = try preview.render(mapping: "wms", argument: nil, pickList: "PL-000001")
        #expect(String(decoding: result.bytes, as: UTF8.self) == "list,wh,bin,sku,qty,order\nPL-000001,MAIN,A-01,A1,2,O1\n")
        #expect(throws: EngineError.self) { try preview.render(mapping: "wms", argument: nil, pickList: "PL-000009") }
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv"])
    }

    @Test func theExceptionReportIsTheNextOneOrWithLatestTheLastOneWritten() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("A1")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "A1", qty: 2)]))
        try home.cycle()
        #expect(try home.outbox("exceptions") == ["EX-000001.csv"])
        try Self.write("""
            document: exception-report
            format: csv
            csv:
              line_end: lf
              columns:
                - {header: report, value: document.ref}
                - {header: kind, value: exception.kind}
                - {header: order, value: exception.order_ref}
                - {header: customer, value: customer.name}

            """, as: "ops", in: home)
        let engine = try home.engine()
        let preview = OutputPreview(engine: engine, mappings: try engine.loadMappings())
        let next = try preview.render(mapping: "ops", argument: nil, pickList: nil)
        #expect(next.rows == 0, "every exception is reported already")
        #expect(next.fileName == "EX-000002.csv")
        let latest = try preview.render(mapping: "ops", argument: "latest", pickList: nil)
        #expect(String(decoding: latest.bytes, as: UTF8.self) == "report,kind,order,customer\nEX-000001,back-order,O1,Customer C1\n")
        #expect(latest.document == "exception report EX-000001")
        #expect(try home.outbox("exceptions") == ["EX-000001.csv"])
    }

    @Test func whatToRenderMustFitTheDocument() throws {
        #expect(throws: EngineError.self) { try OutputPreview.Subject.make(for: .purchaseOrder, argument: nil, pickList: nil) }
        #expect(throws: EngineError.self) { try OutputPreview.Subject.make(for: .pickList, argument: "MAIN", pickList: "PL-000001") }
        #expect(throws: EngineError.self) { try OutputPreview.Subject.make(for: .exceptionReport, argument: "EX-000001", pickList: nil) }
        #expect(try OutputPreview.Subject.make(for: .exceptionReport, argument: "latest", pickList: nil) == .lastExceptionReport)
        #expect(try OutputPreview.Subject.make(for: .backOrderReport, argument: nil, pickList: nil) == .backOrderReport)
        #expect(try OutputPreview.Subject.make(for: .pickList, argument: nil, pickList: "PL-000003") == .writtenPickList("PL-000003"))
    }

    @Test func anOutputMappingIsToldFromAnInboundOneByItsFolderOrItsDocumentKey() throws {
        let home = try TestHome()
        try Self.write(Self.purchaseOrderCSV, as: "acme", in: home)
        #expect(OutputPreview.isOutputMapping("acme", home: home.home))
        #expect(!OutputPreview.isOutputMapping("orders", home: home.home), "an inbound mapping of the name wins")
        #expect(!OutputPreview.isOutputMapping("ghost", home: home.home))
        #expect(OutputPreview.isOutputMapping(home.home.outputMappings.appendingPathComponent("acme.yaml").path, home: home.home))
        #expect(!OutputPreview.isOutputMapping(home.home.mappings.appendingPathComponent("orders.yaml").path, home: home.home))
    }

    @Test func aDocumentTheMappingCannotRenderIsAnErrorNamingTheDocumentAndField() throws {
        let home = try Self.homeWithAPendingPurchaseOrder()
        try Self.write("""
            document: purchase-order
            format: fixed-width
            fixed_width:
              columns:
                - {name: supplier, value: supplier.name, width: 5}

            """, as: "narrow", in: home)
        let engine = try home.engine()
        #expect {
            try OutputPreview(engine: engine, mappings: try engine.loadMappings()).render(mapping: "narrow", argument: "PO-000001", pickList: nil)
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("purchase order PO-000001 cannot be written through mappings/outputs/narrow.yaml: ") && message.contains("supplier")
        }
    }
}
