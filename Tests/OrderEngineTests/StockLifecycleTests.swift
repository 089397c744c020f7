import Foundation
import GRDB
import Testing
import OrderDaemon
import OrderEngine
import OrderJobs
import TestSupport

@Suite struct StockLifecycleTests {
    static let customerHeader = Sample.customerHeader + ",ship_policy"

    func home(config: String = "", customers: [String] = ["C1,One,ACCOUNT,1000000,0,N,,1 Road,,Town,AB1,GB,"]) throws -> TestHome {
        let home = try TestHome()
        if !config.isEmpty { try Data(config.utf8).write(to: home.home.configFile) }
        try home.drop("customers", "c.csv", ([Self.customerHeader] + customers).joined(separator: "\n") + "\n")
        try home.drop("products", "p.csv", Sample.products([Sample.product("A"), Sample.product("B")]))
        return home
    }

    func day(_ n: Int) -> String { String(format: "2026-12-%02dT09:00:00Z", n) }

    @Test func aCompleteOrderHoldsNoStockUntilAllItsLinesCanShip() throws {
        let home = try home(customers: ["C1,One,ACCOUNT,1000000,0,N,,1 Road,,Town,AB1,GB,complete"])
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,5,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", no: 1, sku: "A", qty: 2), Sample.line("O1", no: 2, sku: "B", qty: 3)]))
        try home.cycle(at: day(1))
        #expect(try home.stages("O1") == [1: "back-order", 2: "back-order"])
        #expect(try home.order("O1").lines[0].reason == "waits for the rest of its order (ship policy complete)")
        #expect(try OrderQueries(engine: home.engine()).status().stock.first { $0.sku == "A" }?.allocated == 0)
        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,B,3,,"]))
        try home.cycle(at: day(2))
        #expect(try home.stages("O1") == [1: "despatched", 2: "despatched"])
    }

    @Test func partAfterWaitsAsCompleteThenShipsWhatThereIs() throws {
        let home = try home(config: "ship_policy: part-after:2\n")
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,5,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", no: 1, sku: "A", qty: 2), Sample.line("O1", no: 2, sku: "B", qty: 3)]))
        try home.cycle(at: day(1))
        try home.cycle(at: day(2))
        #expect(try home.stages("O1") == [1: "back-order", 2: "back-order"])
        try home.cycle(at: day(3))
        #expect(try home.stages("O1") == [1: "despatched", 2: "back-order"])
    }

    @Test func aSplitLineShipsWhatThereIsAndTheRestKeepsItsPlace() throws {
        let home = try home(config: "split_lines: true\n")
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,6,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("OLD", date: "2026-11-01", sku: "A", qty: 10)]))
        try home.cycle(at: day(1))
        var order = try home.order("OLD")
        #expect(order.lines.map { "\($0.part):\($0.quantity):\($0.stage)" } == ["0:6:despatched", "1:4:back-order"])
        try home.drop("orders", "o2.csv", Sample.orders([Sample.line("NEW", date: "2026-11-30", sku: "A", qty: 4)]))
        try home.drop("receipts", "r2.csv", Sample.receipts(["R2,A,4,,"]))
        try home.cycle(at: day(2))
        order = try home.order("OLD")
        #expect(order.lines.map(\.stage) == ["despatched", "despatched"])
        #expect(try home.stages("NEW") == [1: "back-order"])
        #expect(order.lines[1].servedFrom == ["receipt R2 ×4"])
    }

    @Test func anExceptionAboutASplitLineIsReportedOnce() throws {
        let home = try home(config: "split_lines: true\n")
        try Data("""
            pipeline:
              - step: import
              - step: credit-check
              - step: allocate
              - rule: waiting-four
                search: line.quantity = 4
                stages: [back-order]
                scope: line
                action: move
                to: order-vetting
                reason: four waiting
              - step: export
            """.utf8).write(to: home.home.rulesFile)
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,6,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("OLD", date: "2026-11-01", sku: "A", qty: 10)]))
        try home.cycle(at: day(1))
        #expect(try home.order("OLD").lines.map { "\($0.part):\($0.quantity):\($0.stage)" } == ["0:6:despatched", "1:4:order-vetting"])
        // Both parts are line 1 of the order: the rule's exception is one row, pointing at the order file's line.
        let rows = try home.csvRows("outbox/exceptions/EX-000001.csv").filter { $0["kind"] == "order-vetting" }
        #expect(rows.count == 1)
        #expect(rows.first?["line_no"] == "1" && rows.first?["source_file"] == "orders/o.csv" && rows.first?["source_line"] == "2")
    }

    @Test func priorityComesBeforeTheOrderDate() throws {
        let home = try home()
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,5,,"]))
        try home.drop("orders", "o.csv", Sample.orderHeader + ",priority\n"
                      + Sample.line("OLDER", date: "2026-11-01", sku: "A", qty: 5) + ",0\n"
                      + Sample.line("EXPRESS", date: "2026-11-20", sku: "A", qty: 5) + ",1\n")
        try home.cycle(at: day(1))
        #expect(try home.stages("EXPRESS") == [1: "despatched"])
        #expect(try home.stages("OLDER") == [1: "back-order"])
    }

    @Test func confirmedDespatchKeepsLinesInPickingUntilTheWarehouseConfirms() throws {
        let home = try home(config: "despatch: confirmed\n")
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,10,,"]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("O1", date: "2026-11-01", no: 1, sku: "A", qty: 5), Sample.line("O2", date: "2026-11-02", sku: "A", qty: 3),
        ]))
        try home.cycle(at: day(1))
        #expect(try home.stages("O1") == [1: "picking"])
        #expect(try home.order("O1").lines[0].pickListRef == "PL-000001")
        var stock = try OrderQueries(engine: home.engine()).status().stock.first { $0.sku == "A" }!
        #expect((stock.onHand, stock.allocated) == (10, 8))
        try home.cycle(at: day(2))  // nothing is written twice
        #expect(try home.outbox("picklists").count == 1)

        // O1: 3 of 5 found; O2: all 3; then the same confirmation again, and one for a line that is not there.
        try home.drop("despatches", "d.csv", "pick_list_ref,order_ref,line_no,quantity_despatched\nPL-000001,O1,1,3\nPL-000001,O2,1,3\nPL-000001,O2,1,3\nPL-000009,O1,1,1\n")
        try home.drop("orders", "o3.csv", Sample.orders([Sample.line("O3", date: "2026-11-03", sku: "A", qty: 2)]))
        try home.cycle(at: day(3))
        let o1 = try home.order("O1")
        #expect(o1.lines.map { "\($0.part):\($0.quantity):\($0.stage)" } == ["0:3:despatched", "1:2:picking"])
        #expect(try home.stages("O2") == [1: "despatched"])
        stock = try OrderQueries(engine: home.engine()).status().stock.first { $0.sku == "A" }!
        // 10 - 6 despatched = 4 on hand; O1's shortfall (2, first in the queue) and O3 (2) hold all of it.
        #expect((stock.onHand, stock.allocated) == (4, 4))
        #expect(try home.stages("O3") == [1: "picking"])
        let reasons = try home.outbox("exceptions").flatMap { try home.csvRows("outbox/exceptions/\($0)") }.map { $0["reason"]! }
        #expect(reasons.contains { $0.contains("line 1 of order O2 on PL-000001 was already confirmed") })
        #expect(reasons.contains { $0.contains("no line 1 of order O1 is waiting on pick list PL-000009") })
    }

    @Test func aStockCountUndoesTheYoungestAllocationsFirst() throws {
        let home = try home(config: "despatch: confirmed\n")
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,10,,"]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("OLD", date: "2026-11-01", sku: "A", qty: 4), Sample.line("MID", date: "2026-11-02", sku: "A", qty: 3),
            Sample.line("YOUNG", date: "2026-11-03", sku: "A", qty: 3),
        ]))
        try home.cycle(at: day(1))
        try home.drop("stock", "count.csv", "sku,warehouse,on_hand,counted_at\nA,MAIN,5,2026-12-02\n")
        try home.cycle(at: day(2))
        #expect(try home.stages("OLD") == [1: "picking"])
        #expect(try home.stages("MID") == [1: "back-order"])
        #expect(try home.stages("YOUNG") == [1: "back-order"])
        #expect(try home.order("YOUNG").lines[0].reason?.hasPrefix("stock count set A in MAIN to 5") == true)
        let stock = try OrderQueries(engine: home.engine()).status().stock.first { $0.sku == "A" }!
        #expect((stock.onHand, stock.allocated, stock.backOrdered) == (5, 4, 6))
        #expect(try home.order("OLD").lines[0].servedFrom == ["receipt R1 ×4"])
    }

    @Test func aCancellationFeedFreesStockForTheOldestBackOrderInTheSameCycle() throws {
        let home = try home(config: "despatch: confirmed\n")
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,4,,"]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("FIRST", date: "2026-11-01", sku: "A", qty: 4), Sample.line("SECOND", date: "2026-11-02", sku: "A", qty: 4),
            Sample.line("THIRD", date: "2026-11-03", sku: "A", qty: 4),
        ]))
        try home.cycle(at: day(1))
        #expect(try home.stages("FIRST") == [1: "picking"])
        // Cancelled before its pick list is confirmed? It is on a pick list: only lines not yet on one can be cancelled.
        try home.drop("cancellations", "x.csv", "order_ref,line_no\nFIRST,1\n")
        try home.cycle(at: day(2))
        #expect(try home.stages("FIRST") == [1: "picking"])
        // Hand cancellation of a back order does not free stock; a cancelled allocation does, in the same cycle.
        _ = try OrderActions(engine: home.engine(at: day(2))).hold("FIRST", reason: "customer query")
        try home.drop("cancellations", "y.csv", "order_ref,line_no\nFIRST,\n")
        try home.cycle(at: day(3))
        #expect(try home.stages("FIRST") == [1: "cancelled"])
        #expect(try home.stages("SECOND") == [1: "picking"])
        #expect(try home.stages("THIRD") == [1: "back-order"])
        #expect(try home.order("FIRST").lines[0].pickListRef == nil)
        #expect(try home.order("SECOND").lines[0].pickListRef == "PL-000002")
    }

    @Test func aHeldLineComesBackOntoANewPickListWhenReleased() throws {
        let home = try home(config: "despatch: confirmed\n")
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,4,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "A", qty: 4)]))
        try home.cycle(at: day(1))
        _ = try OrderActions(engine: home.engine(at: day(1))).hold("O1", reason: "check address")
        _ = try OrderActions(engine: home.engine(at: day(2))).release("O1")
        try home.cycle(at: day(2))
        #expect(try home.order("O1").lines[0].pickListRef == "PL-000002")
        try home.drop("despatches", "d.csv", "pick_list_ref,order_ref,line_no,quantity_despatched\nPL-000001,O1,1,4\nPL-000002,O1,1,4\n")
        try home.cycle(at: day(3))
        #expect(try home.stages("O1") == [1: "despatched"])
        let reasons = try home.outbox("exceptions").flatMap { try home.csvRows("outbox/exceptions/\($0)") }.map { $0["reason"]! }
        #expect(reasons.contains { $0.contains("no line 1 of order O1 is waiting on pick list PL-000001") })
    }

    @Test func theDryRunShowsTheNextAllocationAndChangesNothing() throws {
        let home = try home()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "A", qty: 2)]))
        try home.cycle(at: day(1))
        let engine = try home.engine(at: day(2))
        try engine.database.writer.write { db in
            try db.execute(sql: "INSERT INTO stock (sku, warehouse, on_hand, gained) VALUES ('A', 'MAIN', 5000, 1)")
            try db.execute(sql: "INSERT INTO stock_lot (sku, warehouse, source, received_at, quantity, remaining) VALUES ('A', 'MAIN', 'opening stock', '1970-01-01T00:00:00Z', 5000, 5000)")
        }
        let (report, preview) = try engine.allocate(dryRun: true)
        #expect(report["picked"] == 1)
        #expect(preview.map { "\($0.orderRef) \($0.from) -> \($0.outcome)" } == ["O1 back-order -> picking"])
        #expect(try home.stages("O1") == [1: "back-order"])
        let after = try engine.allocate(dryRun: true)
        #expect(after.1.map(\.outcome) == ["picking"], "the dry run left the stock marked as gained")
    }

    @Test func theBackOrderReportSaysHowLongAndHowShort() throws {
        let home = try home()
        try home.drop("receipts", "r1.csv", Sample.receipts(["R1,A,3,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("BIG", sku: "A", qty: 5), Sample.line("NONE", sku: "B", qty: 1)]))
        try home.cycle(at: day(1))
        _ = try JobRunner(engine: home.engine(at: day(4))).run(JobDefinition(name: "report", schedule: .every(seconds: 60),
                                                                               steps: ["back-order-report"], catchUp: true))
        let rows = try home.csvRows("outbox/back-orders/BO-000001.csv")
        #expect(rows.map { [$0["order_ref"]!, $0["days_waiting"]!, $0["available"]!, $0["quantity_short"]!, $0["covered_by_stock"]!] }
                == [["BIG", "3", "3", "2", "N"], ["NONE", "3", "0", "1", "N"]])
    }
}
