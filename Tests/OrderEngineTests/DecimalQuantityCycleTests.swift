import Foundation
import GRDB
import Testing
import OrderEngine
import OrderModel
import TestSupport

/// Quantities are exact decimals in each product's stock unit: a line may be written in another unit
/// (converted by the product's or the home's conversions), allocation and splits work to the thousandth,
/// and whole-unit products behave and print as they always did.
@Suite struct DecimalQuantityCycleTests {
    static let productHeader = Sample.productHeader + ",stock_unit,quantity_decimals,units"
    static let orderHeader = Sample.orderHeader + ",unit"

    /// KG-1 by the kilo to 2 decimals, LBL-1 labels by the piece (a case is 12), GR-1 by the gram.
    func home(splitLines: Bool = false) throws -> TestHome {
        let home = try TestHome()
        try Data("split_lines: \(splitLines)\nunits:\n  KGM: 1000 GRM\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Self.productHeader + "\n"
            + Sample.product("KG-1", price: "4.00") + ",KGM,2,\n"
            + Sample.product("LBL-1", price: "0.0425") + ",EA,0,CS=12;BX=6\n"
            + Sample.product("GR-1", price: "0.01") + ",GRM,0,\n"
            + Sample.product("W-1", price: "2.50") + ",,,\n")
        return home
    }

    func line(_ ref: String, no: Int = 1, sku: String, qty: String, unit: String = "") -> String {
        "\(ref),2026-11-26,C1,\(no),\(sku),\(qty),,,,,,,,,,,\(unit)"
    }

    func orders(_ rows: [String]) -> String { ([Self.orderHeader] + rows).joined(separator: "\n") + "\n" }

    @Test func twelvePointSevenFiveKilosWithTenAvailableWaitsWhole() throws {
        let home = try home()
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,KG-1,10,,2026-11-20"]))
        try home.drop("orders", "o.csv", orders([line("SO1", sku: "KG-1", qty: "12.75", unit: "KGM")]))
        try home.cycle()
        let order = try home.order("SO1")
        #expect(order.lines.map(\.quantity) == [Quantity(thousandths: 12_750)])
        #expect(order.lines[0].stage == "back-order")
        #expect(order.lines[0].reason == "needs 12.75, 10 available in MAIN")
    }

    @Test func withSplitLinesTenGoNowAndTwoPointSevenFiveWait() throws {
        let home = try home(splitLines: true)
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,KG-1,10,,2026-11-20"]))
        try home.drop("orders", "o.csv", orders([line("SO1", sku: "KG-1", qty: "12.75")]))
        try home.cycle()
        let lines = try home.order("SO1").lines
        #expect(lines.map(\.quantity) == [10, Quantity(thousandths: 2_750)])
        #expect(lines.map(\.stage) == ["despatched", "back-order"])
        #expect(lines[1].reason == "split: 2.75 of 12.75 wait for stock in MAIN")
        let picked = try home.csvRows("outbox/picklists/PL-000001-MAIN.csv")
        #expect(picked.map { $0["quantity"] } == ["10"])
        // The rest is served from the next receipt, to the gram.
        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,KG-1,2.75,,2026-11-27"]))
        try home.cycle(at: "2026-11-28T09:00:00Z")
        #expect(try home.order("SO1").lines.map(\.stage) == ["despatched", "despatched"])
        #expect(try home.csvRows("outbox/picklists/PL-000002-MAIN.csv").map { $0["quantity"] } == ["2.75"])
    }

    @Test func pickListsPrintWholeQuantitiesAsBeforeAndDecimalsWithoutTrailingZeros() throws {
        let home = try home()
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,KG-1,20,,2026-11-20", "R1,W-1,5,,2026-11-20"]))
        try home.drop("orders", "o.csv", orders([line("SO1", no: 1, sku: "W-1", qty: "3"), line("SO1", no: 2, sku: "KG-1", qty: "12.50")]))
        try home.cycle()
        let rows = try home.csvRows("outbox/picklists/PL-000001-MAIN.csv")
        #expect(rows.map { "\($0["sku"] ?? "") \($0["quantity"] ?? "")" } == ["KG-1 12.5", "W-1 3"])
        let detail = try home.order("SO1")
        #expect(detail.lines.map(\.servedFrom) == [["receipt R1 ×3"], ["receipt R1 ×12.5"]])
        // JSON writes quantities as exact numbers, whole ones as before.
        let json = String(decoding: try JSONEncoder().encode(detail.lines.map(\.quantity)), as: UTF8.self)
        #expect(json == "[3,12.5]")
    }

    @Test func aCaseOfTwelveIsTwelveEachAndAKiloIsAThousandGrams() throws {
        let home = try home()
        try home.drop("orders", "o.csv", orders([
            line("SO1", no: 1, sku: "LBL-1", qty: "1", unit: "CS"),
            line("SO1", no: 2, sku: "LBL-1", qty: "3", unit: "bx"),
            line("SO1", no: 3, sku: "GR-1", qty: "1.5", unit: "KGM"),
            line("SO1", no: 4, sku: "KG-1", qty: "250", unit: "GRM"),
        ]))
        try home.cycle()
        let lines = try home.order("SO1").lines
        #expect(lines.map(\.quantity) == [12, 18, 1500, Quantity(thousandths: 250)])
        #expect(lines.map(\.unitAsWritten) == ["CS", "BX", "KGM", "GRM"])
        #expect(lines.map(\.quantityAsWritten) == ["1", "3", "1.5", "250"])
        #expect(lines[0].unitPrice == "0.0425")
        // Each line rounded once: 12 labels at 0.0425 (0.51), 18 (0.765 -> 0.77), 1500 g at 0.01 (15.00), 0.25 kg at 4.00 (1.00).
        let summary = try OrderQueries(engine: home.engine()).orders().first { $0.orderRef == "SO1" }
        #expect(summary?.value == "17.28")
    }

    /// Non-stock lines take decimals and fine prices too; each value is rounded once, half away from zero.
    @Test func nonStockLinesValueDecimalQuantitiesAtFinePrices() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Self.orderHeader + ",line_type\n"
            + "NS,2026-11-26,C1,1,W-1,2,,,,,,,,,,,,\n"
            + "NS,2026-11-26,C1,2,,1.5,0.0425,,,,,,,,,,,non-stock\n"
            + "NS,2026-11-26,C1,3,,5,-0.025,,,,,,,,,,,non-stock\n")
        try home.cycle()
        let order = try home.order("NS")
        #expect(order.nonStockLines.map(\.quantity) == [Quantity(thousandths: 1_500), 5])
        #expect(order.nonStockLines.map(\.unitPrice) == ["0.0425", "-0.025"])
        // 0.06375 -> 0.06 and -0.125 -> -0.13 (half away from zero); 2 × 2.50 of goods.
        #expect(order.nonStockLines.map(\.value) == ["0.06", "-0.13"])
        #expect(order.total == "4.93")
        #expect(try OrderQueries(engine: home.engine()).orders().first { $0.orderRef == "NS" }?.value == "4.93")
    }

    @Test func anUnknownUnitOrAQuantityFinerThanTheProductRejectsTheOrderInWords() throws {
        let home = try home()
        try home.drop("orders", "o.csv", orders([
            line("BADUNIT", sku: "LBL-1", qty: "2", unit: "MTR"),
            line("TOOFINE", sku: "KG-1", qty: "12.755"),
            line("HALFEACH", sku: "W-1", qty: "2.5"),
            line("GOOD", sku: "KG-1", qty: "12.75", unit: "kgm"),
        ]))
        try home.cycle()
        let reasons = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["kind"] == "rejected-order" }
        let byOrder = Dictionary(uniqueKeysWithValues: reasons.map { ($0["order_ref"] ?? "", $0) })
        #expect(byOrder["BADUNIT"]?["reason"] == "field unit: found 'MTR', expected a unit product LBL-1 is kept in or converts from: EA, CS, BX (define conversions in the product file's units field or units: in orderflow.yaml); the whole order BADUNIT (1 lines) is rejected")
        #expect(byOrder["BADUNIT"]?["source_line"] == "2")
        #expect(byOrder["TOOFINE"]?["reason"] == "field quantity: quantity 12.755 is finer than product KG-1 allows (2 decimals in KGM); expected a quantity of KGM with at most 2 decimals; the whole order TOOFINE (1 lines) is rejected")
        #expect(byOrder["HALFEACH"]?["reason"] == "field quantity: quantity 2.5 is finer than product W-1 allows (0 decimals in EA); expected a whole number of EA; the whole order HALFEACH (1 lines) is rejected")
        #expect(byOrder["HALFEACH"]?["source_line"] == "4")
        #expect(byOrder["TOOFINE"]?["source_file"] == "orders/o.csv")
        #expect(try home.order("GOOD").lines.map(\.quantity) == [Quantity(thousandths: 12_750)])
        #expect(throws: (any Error).self) { try home.order("TOOFINE") }
    }

    @Test func aLineWhoseProductArrivesLaterIsCheckedWhenItDoes() throws {
        let home = try home()
        try home.drop("orders", "o.csv", orders([line("LATE", sku: "NEW-1", qty: "2", unit: "CS"),
                                                  line("FINE", sku: "NEW-2", qty: "0.5")]))
        try home.cycle()
        #expect(try home.order("LATE").lines[0].reasonCode == "unknown-sku")
        try home.drop("products", "p2.csv", Self.productHeader + "\n"
            + Sample.product("NEW-1", price: "1.00") + ",EA,0,CS=6\n" + Sample.product("NEW-2", price: "1.00") + ",EA,0,\n")
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,NEW-1,20,,2026-11-27"]))
        try home.cycle(at: "2026-11-28T09:00:00Z")
        let late = try home.order("LATE").lines[0]
        #expect(late.quantity == 12)
        #expect(late.stage == "despatched")
        let fine = try home.order("FINE").lines[0]
        #expect(fine.stage == "order-vetting")
        #expect(fine.reasonCode == "quantity-precision")
        #expect(fine.reason?.contains("quantity 0.5 is finer than product NEW-2 allows (0 decimals in EA)") == true)
    }

    /// An order held for credit never waits for its product in Order Vetting: its lines are checked when
    /// the credit check lets them through.
    @Test func aLineHeldForCreditMeanwhileIsCheckedWhenItIsReleased() throws {
        let home = try home()
        try home.drop("customers", "c2.csv", Sample.customers([Sample.account("STOP", onStop: "Y")]))
        try home.drop("orders", "o.csv", Self.orderHeader + "\n"
            + "HALF,2026-11-26,STOP,1,NEW-3,0.5,,,,,,,,,,,\n" + "CASES,2026-11-26,STOP,1,NEW-4,2,,,,,,,,,,,CS\n")
        try home.cycle()
        #expect(try home.order("HALF").lines[0].stage == "held-for-credit")
        try home.drop("customers", "c3.csv", Sample.customers([Sample.account("STOP")]))
        try home.drop("products", "p2.csv", Self.productHeader + "\n"
            + Sample.product("NEW-3", price: "1.00") + ",EA,0,\n" + Sample.product("NEW-4", price: "1.00") + ",EA,0,CS=6\n")
        try home.cycle(at: "2026-11-28T09:00:00Z")
        let half = try home.order("HALF").lines[0]
        #expect(half.stage == "order-vetting")
        #expect(half.reason?.hasPrefix("quantity-precision: line 1 (orders/o.csv line 2): field quantity: quantity 0.5 is finer than product NEW-3 allows") == true, "\(half.reason ?? "")")
        let cases = try home.order("CASES").lines[0]
        #expect(cases.quantity == 12)
        #expect(cases.stage == "back-order")
    }

    @Test func receiptsCountsAndDespatchesAreInTheStockUnitToo() throws {
        let home = try home()
        try home.drop("receipts", "r.csv", Sample.receiptHeader + ",unit\nR1,LBL-1,2,,2026-11-20,CS\nR2,KG-1,500,,2026-11-20,GRM\nR3,W-1,1.5,,2026-11-20,\n")
        try home.cycle()
        let status = try OrderQueries(engine: home.engine()).status(stockLimit: nil)
        let onHand = Dictionary(uniqueKeysWithValues: status.stock.map { ($0.sku, $0.onHand) })
        #expect(onHand["LBL-1"] == 24)
        #expect(onHand["KG-1"] == Quantity(thousandths: 500))
        #expect(onHand["W-1"] == nil, "1.5 of a whole-unit product is refused")
        let receipt = try ReceiptQueries(engine: home.engine()).receipt("R1")
        #expect(receipt.lines.map(\.quantity) == [24])
        #expect(receipt.lines.map(\.unitAsWritten) == ["CS"])
        let rejected = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["kind"] == "rejected-record" }
        #expect(rejected.first?["reason"]?.hasPrefix("field quantity: quantity 1.5 is finer than product W-1 allows") == true)
        try home.drop("stock", "s.csv", "sku,warehouse,on_hand,counted_at,unit\nKG-1,MAIN,1.25,,KGM\n")
        try home.cycle(at: "2026-11-28T09:00:00Z")
        let after = try OrderQueries(engine: home.engine()).status(stockLimit: nil).stock.first { $0.sku == "KG-1" }
        #expect(after?.onHand == Quantity(thousandths: 1_250))
    }

    @Test func rulesCompareDecimalQuantities() throws {
        let home = try home()
        try Data("""
            stages:
              - name: heavy
                description: heavy lines
            pipeline:
              - step: import
              - step: credit-check
              - rule: heavy
                search: "any line: (line.quantity > 12.5 and product.stock_unit = 'KGM' and product.quantity_decimals = 2)"
                stages: [new]
                action: move
                to: heavy
                reason: heavy order
              - step: allocate
              - step: export
            """.utf8).write(to: home.home.rulesFile)
        try home.drop("orders", "o.csv", orders([line("HEAVY", sku: "KG-1", qty: "12.75"), line("LIGHT", sku: "KG-1", qty: "12.25"),
                                                  line("MANY", sku: "W-1", qty: "13")]))
        try home.cycle()
        #expect(try home.stages("HEAVY") == [1: "heavy"])
        #expect(try home.stages("LIGHT") == [1: "back-order"])
        #expect(try home.stages("MANY") == [1: "back-order"], "13 EA is not a heavy line")
    }
}
