import Foundation
import Testing
import OrderEngine
import TestSupport

/// Gift wrap, shipping and discounts among an order's lines: their value counts in the order's total and
/// the credit check; they are never allocated, picked or bought.
@Suite struct NonStockLineTests {
    static let header = Sample.orderHeader + ",line_type"

    func home(limit: String = "100000.00") throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1", limit: limit)]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1", price: "10.00")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,100,,2026-11-20"]))
        return home
    }

    /// Rows of the standard layout with a `line_type` column.
    func orders(_ rows: [(line: String, type: String)]) -> String {
        ([Self.header] + rows.map { "\($0.line),\($0.type)" }).joined(separator: "\n") + "\n"
    }

    @Test func aNonStockLineIsImportedBesideTheStockLinesAndNeverPicked() throws {
        let home = try home()
        try home.drop("orders", "o.csv", orders([
            (Sample.line("A1", no: 1, sku: "SKU1", qty: 2), ""),
            (Sample.line("A1", no: 2, sku: "", qty: 1, price: "3.50"), "non-stock"),
            (Sample.line("A1", no: 3, sku: "SHIP", qty: 1, price: "4.95"), "Non_Stock"),
            (Sample.line("A1", no: 4, sku: "", qty: 1, price: "-2.00"), "non-stock"),
        ]))
        try home.cycle()
        let order = try home.order("A1")
        #expect(order.lines.map(\.lineNo) == [1])
        #expect(order.lines[0].stage == "despatched")
        #expect(order.nonStockLines.map(\.lineNo) == [2, 3, 4])
        #expect(order.nonStockLines.map(\.sku) == [nil, "SHIP", nil])
        #expect(order.nonStockLines.map(\.value) == ["3.50", "4.95", "-2.00"])
        #expect(order.total == "26.45", "20.00 of goods + 3.50 + 4.95 - 2.00")
        let pick = try home.outbox("picklists")
        #expect(pick.count == 1)
        let rows = try home.csvRows("outbox/picklists/\(pick[0])")
        #expect(rows.map { $0["line_no"] } == ["1"], "only the stock line is picked")
        let summary = try OrderQueries(engine: try home.engine()).orders().first { $0.orderRef == "A1" }
        #expect(summary?.value == "26.45")
    }

    @Test func theCreditCheckCountsNonStockLines() throws {
        // 9 × 10.00 of goods fits a limit of 100.00; with 15.00 of shipping it does not.
        let home = try home(limit: "100.00")
        try home.drop("orders", "o.csv", orders([
            (Sample.line("SHIPPED", no: 1, sku: "SKU1", qty: 9), ""),
            (Sample.line("SHIPPED", no: 2, sku: "", qty: 1, price: "15.00"), "non-stock"),
        ]))
        try home.cycle()
        let line = try home.order("SHIPPED").lines[0]
        #expect(line.reasonCode == "credit-limit")
        #expect(line.reason == "credit-limit: exposure 105.00 (balance 0.00 + open orders 0.00 + this order 105.00) exceeds the credit limit 100.00")
    }

    @Test func anOpenOrdersNonStockLinesCountInItsCustomersExposure() throws {
        // The first order (5 × 10.00 + 30.00 shipping) passes and waits for stock: 80.00 of exposure,
        // so a second order of 3 × 10.00 is over the limit of 100.00, though the goods alone would fit.
        let home = try home(limit: "100.00")
        try home.drop("products", "p2.csv", Sample.products([Sample.product("NOSTOCK", price: "10.00")]))
        try home.drop("orders", "o.csv", orders([
            (Sample.line("FIRST", date: "2026-11-25", no: 1, sku: "NOSTOCK", qty: 5), ""),
            (Sample.line("FIRST", date: "2026-11-25", no: 2, sku: "", qty: 1, price: "30.00"), "non-stock"),
            (Sample.line("SECOND", no: 1, sku: "SKU1", qty: 3), ""),
        ]))
        try home.cycle()
        #expect(try home.stages("FIRST") == [1: "back-order"])
        #expect(try home.order("SECOND").lines[0].reason
                == "credit-limit: exposure 110.00 (balance 0.00 + open orders 80.00 + this order 30.00) exceeds the credit limit 100.00")
    }

    @Test func aRuleSeesNonStockLinesInTheOrderTotal() throws {
        let home = try home()
        try Data("""
            stages:
              - name: big-orders
                description: orders over 100.00
            pipeline:
              - step: import
              - step: credit-check
              - rule: big
                search: "order.total > 100 and order.line_count = 1"
                action: move
                to: big-orders
                reason: a big order
              - step: allocate
              - step: export

            """.utf8).write(to: home.home.rulesFile)
        try home.drop("orders", "o.csv", orders([
            (Sample.line("BIG", no: 1, sku: "SKU1", qty: 9), ""),
            (Sample.line("BIG", no: 2, sku: "", qty: 2, price: "7.50"), "non-stock"),
            (Sample.line("SMALL", no: 1, sku: "SKU1", qty: 9), ""),
        ]))
        try home.cycle()
        #expect(try home.stages("BIG") == [1: "big-orders"], "90.00 + 2 × 7.50 is over 100; the non-stock line is not a line for rules")
        #expect(try home.stages("SMALL") == [1: "despatched"])
    }

    @Test func aNonStockLineNeedsAPriceAndAKnownLineType() throws {
        let home = try home()
        try home.drop("orders", "o.csv", orders([
            (Sample.line("NOPRICE", no: 1, sku: "SKU1", qty: 1), ""),
            (Sample.line("NOPRICE", no: 2, sku: "WRAP", qty: 1), "non-stock"),
            (Sample.line("BADTYPE", no: 1, sku: "SKU1", qty: 1), "service"),
            (Sample.line("NEGATIVE", no: 1, sku: "SKU1", qty: 1, price: "-1.00"), "stock"),
            (Sample.line("NOSKU", no: 1, sku: "", qty: 1, price: "1.00"), ""),
        ]))
        try home.cycle()
        let reasons = try home.csvRows("outbox/exceptions/EX-000001.csv").reduce(into: [String: String]()) {
            $0[$1["order_ref"] ?? ""] = $1["reason"]
        }
        #expect(reasons["NOPRICE"]?.contains("field unit_price: found '', expected a price on a non-stock line (it has no product price to take), negative for a discount") == true)
        #expect(reasons["BADTYPE"]?.contains("field line_type: found 'service', expected stock or non-stock (blank is stock)") == true)
        #expect(reasons["NEGATIVE"]?.contains("field unit_price: found '-1.00'") == true, "only a non-stock line may be negative")
        #expect(reasons["NOSKU"]?.contains("field sku: found '', expected a value (the field is required)") == true)
        for ref in ["NOPRICE", "BADTYPE", "NEGATIVE", "NOSKU"] {
            #expect(throws: EngineError.self) { try home.order(ref) }
        }
    }

    @Test func cancellingANonStockLineSaysWhatItIs() throws {
        let home = try home()
        try home.drop("orders", "o.csv", orders([
            (Sample.line("A1", no: 1, sku: "SKU1", qty: 200), ""),
            (Sample.line("A1", no: 2, sku: "", qty: 1, price: "5.00"), "non-stock"),
        ]))
        try home.cycle()
        try home.drop("cancellations", "x.csv", "order_ref,line_no\nA1,2\n")
        try home.cycle(at: "2026-11-28T09:00:00Z")
        let rows = try home.csvRows("outbox/exceptions/EX-000002.csv")
        #expect(rows.contains { $0["reason"]?.contains("order A1 line 2 is a non-stock line: there is nothing to cancel on it") == true })
        #expect(try home.order("A1").nonStockLines.count == 1)
    }

    @Test func aMappingMakesBlankSkuRowsNonStock() throws {
        let home = try home()
        try Data("""
            feed: orders
            inbox: shop
            fields:
              order_ref: Name
              order_date: Date
              customer_ref: { value: C1 }
              line_no: Line
              sku: Sku
              quantity: Qty
              unit_price: Price
              line_type: { column: Sku, map: { "": non-stock }, otherwise: stock }
              line.name: Title

            """.utf8).write(to: home.home.mappings.appendingPathComponent("shop.yaml"))
        try home.drop("shop", "export.csv", """
            Name,Date,Line,Sku,Qty,Price,Title
            W1,2026-11-26,1,SKU1,1,10.00,Widget
            W1,2026-11-26,2,,1,2.50,Gift wrap

            """)
        try home.cycle()
        let order = try home.order("W1")
        #expect(order.lines.map(\.sku) == ["SKU1"])
        #expect(order.nonStockLines.first?.custom == ["name": "Gift wrap"])
        #expect(order.total == "12.50")
    }
}

extension NonStockLineTests {
    @Test func anOrdersShippingAndDiscountColumnsCountLikeNonStockLines() throws {
        let home = try home(limit: "100.00")
        let header = Sample.orderHeader + ",shipping_charge,discount"
        try home.drop("orders", "o.csv", [header,
            Sample.line("S1", no: 1, sku: "SKU1", qty: 9) + ",15.00,2.50",
            Sample.line("S1", no: 2, sku: "SKU1", qty: 1) + ",,",
            Sample.line("S2", no: 1, sku: "SKU1", qty: 1) + ",4.95,1.00",
            Sample.line("S2", no: 2, sku: "SKU1", qty: 1) + ",5.95,",
        ].joined(separator: "\n") + "\n")
        try home.cycle()
        let order = try home.order("S1")
        #expect(order.nonStockLines.map(\.kind) == [.shipping, .discount])
        #expect(order.nonStockLines.map(\.lineNo) == [nil, nil])
        #expect(order.nonStockLines.map(\.value) == ["15.00", "-2.50"])
        #expect(order.total == "112.50")
        #expect(order.lines[0].reason == "credit-limit: exposure 112.50 (balance 0.00 + open orders 0.00 + this order 112.50) exceeds the credit limit 100.00")
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["order_ref"] == "S2" }
        #expect(rows.first?["reason"]?.contains("field shipping_charge: found '5.95', expected '4.95' as on the order's first line") == true)
    }
}
