import Foundation
import Testing
import TestSupport

/// `orderflow check` and `orderflow mapping test` on output mappings, through the real executable.
extension CommandLineTests {
    @Test func mappingTestPrintsAPurchaseOrderThroughAnOutputMappingAndCheckCountsIt() throws {
        let home = try TestHome()
        let path = home.root.path
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("suppliers", "s.csv", Sample.suppliers(["SUPA,Alpha,a@example.com,acme"]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("D1", dropShip: "Y", supplier: "SUPA", cost: "5.25")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O3", sku: "D1", qty: 4)]))
        #expect(try run(["cycle", "--home", path, "--now", "2026-11-27T08:00:00Z"]).status == 0)

        let missing = try run(["check", "--home", path])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("the po_format of supplier SUPA names the output mapping 'acme', but there is no mappings/outputs/acme.yaml"))

        let outputs = home.root.appendingPathComponent("mappings/outputs")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        try Data("document: purchase-order\nformat: csv\ncsv:\n  line_end: lf\n  columns:\n    - {header: PO, value: document.ref}\n    - {header: Qty, value: line.quantity}\n".utf8)
            .write(to: outputs.appendingPathComponent("acme.yaml"))
        #expect(try run(["check", "--home", path]).stdout == "ok: 8 mapping(s), 7 output mapping(s), 0 file(s) waiting\n")

        let shown = try run(["mapping", "test", "acme", "PO-000001", "--home", path])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout == "PO,Qty\nPO-000001,4\n")
        #expect(shown.stderr.contains("would be written as outbox/purchase-orders/PO-000001.csv"))
        #expect(try home.outbox("purchase-orders").isEmpty)

        let out = home.root.appendingPathComponent("preview.csv").path
        #expect(try run(["mapping", "test", "acme", "PO-000001", "--out", out, "--home", path]).stdout == "")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "PO,Qty\nPO-000001,4\n")

        let unknown = try run(["mapping", "test", "acme", "PO-000077", "--home", path])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no purchase order 'PO-000077'"))
    }
}
