import GRDB
import OrderModel
import OrderStore

/// Step 4: drop-ship lines go to Drop Ship, with one purchase order per (order, supplier).
public struct DropShipStep: CycleStep {
    public let name = "drop-ship"
    public init() {}

    public func run(_ context: CycleContext) throws -> StepReport {
        try context.db.write { db in
            // The new lines whose sku is in the (small) set of drop-ship products, from the stage index.
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.id, l.order_id, p.supplier_ref
                FROM order_line l INDEXED BY order_line_stage
                CROSS JOIN product p ON p.sku = l.sku
                CROSS JOIN sales_order o ON o.id = l.order_id
                WHERE l.stage = 'new' AND l.sku IN (SELECT sku FROM product WHERE drop_ship = 1)
                  AND p.drop_ship = 1 AND o.credit_state = 'passed'
                ORDER BY o.order_date, o.id, p.supplier_ref, l.line_no
                """)
            let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "rule:drop-ship")
            // Each line's purchase order is decided here; the lines move together.
            let batch = try StageMover.Batch(mover)
            var orders = 0
            var current: (Int64, String)? = nil
            var poRef = ""
            for row in rows {
                let key: (Int64, String) = (row[1], row[2])
                if current == nil || current! != key {
                    current = key
                    if let open = try String.fetchOne(db.cachedStatement(sql: """
                        SELECT po_ref FROM purchase_order WHERE order_id = ? AND supplier_ref = ? AND outbox_file_id IS NULL
                        """), arguments: [key.0, key.1]) {
                        poRef = open
                    } else {
                        poRef = String(format: "PO-%06d", try OutboxSequence.next(db, folder: OutboxFolder.purchaseOrders))
                        try db.cachedStatement(sql: """
                            INSERT INTO purchase_order (po_ref, order_id, supplier_ref, created_at, cycle_id) VALUES (?, ?, ?, ?, ?)
                            """).execute(arguments: [poRef, key.0, key.1, context.now.description, context.cycleID])
                        orders += 1
                    }
                }
                try batch.stage(row[0], orderID: key.0, from: .new, to: .dropShip, code: "drop-ship",
                                reason: "supplied direct by \(key.1) on \(poRef)", poRef: poRef)
            }
            try batch.write()
            try batch.clear()
            return StepReport(step: name, ["lines": rows.count, "purchase orders": orders])
        }
    }
}
