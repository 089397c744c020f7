import GRDB
import OrderModel

/// Step 3: orders with a line whose sku is not in the product file wait in Order Vetting.
///
/// Re-checked every cycle: once a products file brings the missing skus, the order
/// returns to `new` and continues in the same cycle.
public struct UnknownProductStep: CycleStep {
    public let name = "unknown-products"
    public static let code = "unknown-sku"
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
            for id in waiting {
                try mover.moveOrder(id, from: [.orderVetting], to: .new, code: nil, reason: "every sku is now in the product file")
                released += 1
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
            return StepReport(step: name, ["held": held, "released": released])
        }
    }
}
