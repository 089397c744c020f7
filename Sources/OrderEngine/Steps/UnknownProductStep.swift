import GRDB
import OrderModel
import OrderStore

/// Step 3: orders with a line whose sku is not in the product file wait in Order Vetting.
///
/// Re-checked every cycle: once a products file brings the missing skus, the order
/// returns to `new` and continues in the same cycle.
public struct UnknownProductStep: CycleStep {
    public let name = "unknown-products"
    public static let code = "unknown-sku"
    /// An order whose line, now that its product is known, is in a unit the product does not convert from
    /// or finer than its precision: it stays in Order Vetting until it is cancelled or sent again.
    public static let precisionCode = "quantity-precision"
    public init() {}

    public func run(_ context: CycleContext) throws -> StepReport {
        try context.db.write { db in
            let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "rule:unknown-products")
            var released = 0, held = 0
            // Read from the partial index `order_line_unknown_sku` (the code is written into the SQL so that it applies).
            let waiting = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT l.order_id FROM order_line l INDEXED BY order_line_unknown_sku
                WHERE l.stage = 'order-vetting' AND l.reason_code = '\(Self.code)'
                  AND NOT EXISTS (SELECT 1 FROM order_line x WHERE x.order_id = l.order_id AND x.stage = 'order-vetting'
                                    AND NOT EXISTS (SELECT 1 FROM product p WHERE p.sku = x.sku))
                """)
            var refused = 0
            /// Keeps (or puts) an order in Order Vetting for a line its product does not allow, and reports it.
            func refuse(_ id: Int64, from stage: Stage, _ problem: String) throws -> Int {
                let reason = "\(Self.precisionCode): \(problem)"
                try mover.moveOrder(id, from: [stage], to: .orderVetting, code: Self.precisionCode, reason: reason)
                try ExceptionEntry(kind: "order-vetting", orderRef: try String.fetchOne(db, sql: "SELECT order_ref FROM sales_order WHERE id = ?", arguments: [id]),
                                   reason: reason).insert(db, cycleID: context.cycleID)
                return 1
            }
            for id in waiting {
                if let problem = try convertWrittenQuantities(orderID: id, db, context) {
                    refused += try refuse(id, from: .orderVetting, problem)
                    continue
                }
                try mover.moveOrder(id, from: [.orderVetting], to: .new, code: nil, reason: "every sku is now in the product file")
                released += 1
            }
            // Lines written before their product was known that reach `new` with the product now known (their order
            // was held for credit meanwhile, so never waited here): converted now, or their order waits here in words.
            let unconverted = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT l.order_id FROM order_line l INDEXED BY order_line_unchecked JOIN sales_order o ON o.id = l.order_id
                WHERE l.unit_checked = 0 AND l.stage = 'new' AND o.credit_state = 'passed'
                  AND EXISTS (SELECT 1 FROM product p WHERE p.sku = l.sku)
                """)
            for id in unconverted {
                if let problem = try convertWrittenQuantities(orderID: id, db, context) { refused += try refuse(id, from: .new, problem) }
            }
            let unknown = try Row.fetchAll(db, sql: """
                SELECT l.order_id, o.order_ref, group_concat(DISTINCT l.sku) AS skus FROM order_line l
                JOIN sales_order o ON o.id = l.order_id
                WHERE l.stage = 'new' AND o.credit_state = 'passed' AND NOT EXISTS (SELECT 1 FROM product p WHERE p.sku = l.sku)
                GROUP BY l.order_id ORDER BY o.order_date, o.id
                """)
            for row in unknown {
                let skus: String = row["skus"]
                let reason = "\(Self.code): \(skus.split(separator: ",").sorted().joined(separator: ", ")) not in the product file"
                try mover.moveOrder(row["order_id"], from: [.new], to: .orderVetting, code: Self.code, reason: reason)
                try ExceptionEntry(kind: "order-vetting", orderRef: row["order_ref"], reason: reason).insert(db, cycleID: context.cycleID)
                held += 1
            }
            guard refused > 0 else { return StepReport(step: name, ["held": held, "released": released]) }
            return StepReport(step: name, ["held": held, "released": released, "refused": refused])
        }
    }

    /// The lines of an order imported before their product was known, converted to the product's stock unit
    /// now (`ProductUnits`); the first line whose unit or precision the product does not allow, in words.
    func convertWrittenQuantities(orderID: Int64, _ db: Database, _ context: CycleContext) throws -> String? {
        let lines = try Row.fetchAll(db, sql: """
            SELECT l.id, l.line_no, l.sku, l.quantity, l.unit_as_written, l.source_line, f.name AS file_name
            FROM order_line l INDEXED BY order_line_unchecked JOIN sales_order o ON o.id = l.order_id JOIN source_file f ON f.id = o.source_file_id
            WHERE l.order_id = ? AND l.unit_checked = 0 ORDER BY l.line_no, l.part
            """, arguments: [orderID])
        for line in lines {
            guard let product = try ProductUnits.load(sku: line["sku"], db) else { continue }
            let sourceLine: Int = line["source_line"], lineNo: Int = line["line_no"], file: String = line["file_name"]
            switch product.stockQuantity(line["quantity"], unit: line["unit_as_written"], home: context.engine.config.units,
                                         line: sourceLine, field: "quantity") {
            case .success(let quantity):
                try db.execute(sql: "UPDATE order_line SET quantity = ?, unit_checked = 1 WHERE id = ?", arguments: [quantity, line["id"] as Int64])
            case .failure(let problem):
                return "line \(lineNo) (\(file) line \(sourceLine)): \(problem.message)"
            }
        }
        return nil
    }
}
