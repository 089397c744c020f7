import Foundation
import GRDB
import Testing
import OrderEngine
import OrderModel
import TestSupport

/// Random workloads of orders, receipts, stock counts, cancellations and despatch confirmations,
/// run through two engines — incremental and full allocation — cycle by cycle, checking the
/// stock invariants after every cycle and that both engines agree on every line and every stock row.
@Suite struct AllocationPropertyTests {
    static let skus = ["A", "B", "C", "D"]

    func home(mode: String, split: Bool, onlyPart: Bool) throws -> TestHome {
        let home = try TestHome()
        try Data("despatch: confirmed\nallocation_mode: \(mode)\nsplit_lines: \(split)\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", StockLifecycleTests.customerHeader + "\n"
                      + "P,Part,ACCOUNT,100000000,0,N,,1 Road,,Town,AB1,GB,part\n"
                      + (onlyPart ? "" : "C,Complete,ACCOUNT,100000000,0,N,,1 Road,,Town,AB1,GB,complete\n"
                                      + "L,Later,ACCOUNT,100000000,0,N,,1 Road,,Town,AB1,GB,part-after:2\n"))
        try home.drop("products", "p.csv", Sample.products(Self.skus.map { Sample.product($0) }))
        return home
    }

    func snapshot(_ home: TestHome) throws -> [String] {
        try home.engine().database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT o.order_ref || '/' || l.line_no || '/' || l.part || ' ' || l.stage || ' q' || l.quantity || ' a' || l.allocated
                    || ' ' || COALESCE(l.pick_list_ref, '-')
                FROM order_line l JOIN sales_order o ON o.id = l.order_id ORDER BY o.order_ref, l.line_no, l.part
                """) + String.fetchAll(db, sql: "SELECT sku || ' ' || on_hand || ' ' || allocated FROM stock ORDER BY sku")
        }
    }

    func checkInvariants(_ home: TestHome, ordered: [String: Int64], split: Bool) throws {
        try home.engine().database.writer.read { db in
            for row in try Row.fetchAll(db, sql: """
                SELECT s.sku, s.on_hand, s.allocated,
                       (SELECT COALESCE(SUM(allocated), 0) FROM order_line l WHERE l.sku = s.sku AND l.warehouse = s.warehouse) AS line_allocated,
                       (SELECT COALESCE(SUM(remaining), 0) FROM stock_lot t WHERE t.sku = s.sku AND t.warehouse = s.warehouse) AS lots
                FROM stock s
                """) {
                let onHand: Int64 = row["on_hand"], allocated: Int64 = row["allocated"]
                #expect(onHand >= 0, "on hand of \(row["sku"] as String) is negative")
                #expect(allocated <= onHand, "\(row["sku"] as String) has more allocated than on hand")
                #expect(allocated == row["line_allocated"] as Int64, "\(row["sku"] as String): stock and lines disagree on allocation")
                #expect(onHand - allocated == row["lots"] as Int64, "\(row["sku"] as String): open lots do not add up to what is available")
                // The oldest eligible back order is served first: no part-policy back order fits in what is left.
                if !split {
                    let fits = try Int.fetchOne(db, sql: """
                        SELECT COUNT(*) FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN customer c ON c.customer_ref = o.customer_ref
                        WHERE l.stage = 'back-order' AND l.sku = ? AND c.ship_policy = 'part' AND l.quantity <= ?
                        """, arguments: [row["sku"] as String, onHand - allocated]) ?? 0
                    #expect(fits == 0, "a part back order of \(row["sku"] as String) fits in the stock left but was not served")
                }
            }
            // Every ordered unit is in exactly one line part, in one stage.
            for row in try Row.fetchAll(db, sql: """
                SELECT o.order_ref || '/' || l.line_no AS key, SUM(l.quantity) AS total FROM order_line l JOIN sales_order o ON o.id = l.order_id
                GROUP BY o.order_ref, l.line_no
                """) {
                // Stored in thousandths (`Quantity`).
                #expect(ordered[row["key"]].map { $0 * 1000 } == row["total"] as Int64, "units of \(row["key"] as String) are lost or doubled")
            }
        }
    }

    /// Seeds 1–4 mix the policies (one queue for all); 5–8 ship every order `part`, which takes the
    /// sku-by-sku path with its early stop.
    @Test(arguments: [(UInt64(1), false), (UInt64(2), true), (UInt64(3), false), (UInt64(4), true),
                      (UInt64(5), false), (UInt64(6), true), (UInt64(7), false), (UInt64(8), true)])
    func incrementalEqualsFullAndTheInvariantsHold(seed: UInt64, split: Bool) throws {
        let customers = seed > 4 ? ["P"] : ["P", "C", "L"]
        var random = SeededGenerator(seed: seed)
        let incremental = try home(mode: "incremental", split: split, onlyPart: seed > 4)
        let full = try home(mode: "full", split: split, onlyPart: seed > 4)
        var ordered: [String: Int64] = [:]
        var orderNumber = 0
        for cycle in 1...12 {
            var drops: [(String, String, String)] = []
            // New orders.
            var rows: [String] = []
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                orderNumber += 1
                let ref = String(format: "O%03d", orderNumber)
                let customer = customers.randomElement(using: &random)!
                for line in 1...Int.random(in: 1...3, using: &random) {
                    let quantity = Int.random(in: 1...6, using: &random)
                    ordered["\(ref)/\(line)"] = Int64(quantity)
                    rows.append(Sample.line(ref, date: String(format: "2026-11-%02d", 1 + orderNumber % 28), customer: customer, no: line,
                                            sku: Self.skus.randomElement(using: &random)!, qty: quantity))
                }
            }
            if !rows.isEmpty { drops.append(("orders", "o\(cycle).csv", Sample.orders(rows))) }
            // Receipts, now and then a stock count.
            let receipts = (0..<Int.random(in: 0...2, using: &random)).map { n in
                "R\(cycle)-\(n),\(Self.skus.randomElement(using: &random)!),\(Int.random(in: 1...8, using: &random)),,"
            }
            if !receipts.isEmpty { drops.append(("receipts", "r\(cycle).csv", Sample.receipts(receipts))) }
            if cycle % 4 == 0 {
                drops.append(("stock", "s\(cycle).csv", "sku,warehouse,on_hand,counted_at\n\(Self.skus.randomElement(using: &random)!),MAIN,\(Int.random(in: 0...6, using: &random)),\n"))
            }
            // Cancellations and despatch confirmations, chosen from the first engine's state.
            let engine = try incremental.engine()
            let (picking, open) = try engine.database.writer.read { db in
                (try Row.fetchAll(db, sql: """
                    SELECT l.pick_list_ref, o.order_ref, l.line_no, l.quantity FROM order_line l JOIN sales_order o ON o.id = l.order_id
                    WHERE l.stage = 'picking' AND l.pick_list_ref IS NOT NULL ORDER BY l.id
                    """), try String.fetchAll(db, sql: "SELECT DISTINCT o.order_ref FROM sales_order o JOIN order_line l ON l.order_id = o.id WHERE l.stage = 'back-order' ORDER BY o.order_ref"))
            }
            var confirmations: [String] = []
            var confirmed: Set<String> = []
            for row in picking where Bool.random(using: &random) {
                let key = "\(row["pick_list_ref"] as String),\(row["order_ref"] as String),\(row["line_no"] as Int)"
                guard confirmed.insert(key).inserted else { continue }
                confirmations.append("\(key),\(Int64.random(in: 0...(row["quantity"] as Int64) / 1000, using: &random))")
            }
            if !confirmations.isEmpty {
                drops.append(("despatches", "d\(cycle).csv", "pick_list_ref,order_ref,line_no,quantity_despatched\n" + confirmations.joined(separator: "\n") + "\n"))
            }
            if let victim = open.randomElement(using: &random), cycle % 3 == 0 {
                drops.append(("cancellations", "x\(cycle).csv", "order_ref,line_no\n\(victim),\n"))
            }
            for home in [incremental, full] {
                for (feed, name, text) in drops { try home.drop(feed, name, text) }
                try home.cycle(at: String(format: "2026-12-%02dT09:00:00Z", cycle))
                try checkInvariants(home, ordered: ordered, split: split)
            }
            #expect(try snapshot(incremental) == snapshot(full), "cycle \(cycle): incremental and full allocation differ")
        }
    }
}
