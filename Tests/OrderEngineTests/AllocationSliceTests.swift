import Foundation
import GRDB
import Testing
import OrderEngine
import OrderModel
import TestSupport

/// Sku by sku, new lines are decided and written a slice at a time; the slices' size changes memory, never
/// an outcome.
@Suite struct AllocationSliceTests {
    /// A home with back orders waiting on three skus, then new orders and receipts that split lines across
    /// every slice boundary (runs of one sku longer than a slice, places with back orders and no new lines).
    func home(split: Bool) throws -> TestHome {
        let home = try TestHome()
        try Data("split_lines: \(split)\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products(["A", "B", "C", "D"].map { Sample.product($0) }))
        try home.drop("orders", "old.csv", Sample.orders((1...6).map { Sample.line("OLD\($0)", date: "2026-11-01", sku: ["A", "B", "D"][$0 % 3], qty: 2) }))
        try home.cycle(at: "2026-11-27T08:00:00Z")
        var lines: [String] = []
        for n in 1...17 {
            for (no, sku) in ["A", "B", "C", "A"].enumerated() where (n + no) % 3 != 0 {
                lines.append(Sample.line("N\(n)", date: String(format: "2026-11-%02d", 2 + n), no: no + 1, sku: sku, qty: 1 + (n + no) % 4))
            }
        }
        try home.drop("orders", "new.csv", Sample.orders(lines))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,A,23,,", "R2,B,9,,", "R3,C,4,,", "R4,D,3,,"]))
        return home
    }

    func cycle(_ home: TestHome, sliceLines: Int) throws -> CycleReport {
        let engine = try home.engine(at: "2026-11-28T08:00:00Z")
        let mappings = try engine.loadMappings()
        let steps = engine.pipeline(mappings: mappings, rules: try engine.loadRules(mappings: mappings)).map { step -> any CycleStep in
            step.name == "allocate" ? AllocateStep(sliceLines: sliceLines) : step
        }
        return try engine.runSteps(steps)
    }

    func snapshot(_ home: TestHome) throws -> [String] {
        try home.engine().database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT o.order_ref || '/' || l.line_no || '/' || l.part || ' ' || l.stage || ' q' || l.quantity || ' a' || l.allocated
                    || ' ' || COALESCE(l.stage_reason, '-')
                FROM order_line l JOIN sales_order o ON o.id = l.order_id ORDER BY o.order_ref, l.line_no, l.part
                """) + String.fetchAll(db, sql: "SELECT sku || ' ' || on_hand || ' ' || allocated FROM stock ORDER BY sku")
                + String.fetchAll(db, sql: "SELECT order_ref || ' ' || line_no || ' ' || kind FROM exception ORDER BY order_ref, line_no, kind")
        }
    }

    @Test(arguments: [false, true])
    func slicesOfAnySizeDecideAsOneSliceDoes(split: Bool) throws {
        let whole = try home(split: split)
        let wholeReport = try cycle(whole, sliceLines: 50_000)
        for size in [1, 2, 5, 7] {
            let sliced = try home(split: split)
            let report = try cycle(sliced, sliceLines: size)
            #expect(report.step("allocate")?.counts == wholeReport.step("allocate")?.counts, "slices of \(size)")
            #expect(try snapshot(sliced) == snapshot(whole), "slices of \(size)")
        }
        // The case is not empty: lines were picked, back-ordered and (with split) split.
        #expect(wholeReport.step("allocate")?["picked"] ?? 0 > 5)
        #expect(wholeReport.step("allocate")?["back-ordered"] ?? 0 > 5)
    }
}
