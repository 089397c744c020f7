import GRDB
import OrderModel

/// Step 4: drop-ship lines go to Drop Ship, with one purchase order per (order, supplier).
public struct DropShipStep: CycleStep {
    public let name = "drop-ship"
    public init() {}

    public func run(_ context: CycleContext) throws -> StepReport {
        try context.db.write { db in
            // From the drop-ship products (a partial index) to their new lines: a few thousand index seeks,
            // rather than every new line of the cycle joined to its product.
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.id, l.order_id, p.supplier_ref
                FROM product p INDEXED BY product_drop_ship
                CROSS JOIN order_line l ON l.stage = 'new' AND l.sku = p.sku
                CROSS JOIN sales_order o ON o.id = l.order_id
                WHERE p.drop_ship = 1 AND o.credit_state = 'passed'
                ORDER BY o.order_date, o.id, p.supplier_ref, l.line_no
                """)
            let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "rule:drop-ship")
            // Each line's purchase order is decided here and staged; the lines and their history are then
            // written set-based.
            try db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS drop_ship_plan (
                    line_id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, po_ref TEXT NOT NULL, supplier_ref TEXT NOT NULL);
                DELETE FROM drop_ship_plan;
                """)
            let plan = try db.cachedStatement(sql: "INSERT INTO drop_ship_plan (line_id, order_id, po_ref, supplier_ref) VALUES (?, ?, ?, ?)")
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
                try plan.execute(arguments: [row[0] as Int64, key.0, poRef, key.1])
            }
            let reason = "'supplied direct by ' || supplier_ref || ' on ' || po_ref"
            try db.execute(sql: """
                INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
                SELECT order_id, line_id, 'new', 'drop-ship', \(reason), ?, ?, ? FROM drop_ship_plan ORDER BY line_id
                """, arguments: [mover.actor, context.now.description, context.cycleID])
            // `WHERE id IN (...)` keeps the plan's rows driving the update.
            try db.execute(sql: """
                UPDATE order_line SET (stage, stage_since, reason_code, stage_reason, po_ref) = (
                    SELECT 'drop-ship', ?, 'drop-ship', \(reason), po_ref FROM drop_ship_plan WHERE line_id = order_line.id)
                WHERE id IN (SELECT line_id FROM drop_ship_plan)
                """, arguments: [context.now.description])
            try db.execute(sql: "DELETE FROM drop_ship_plan")
            return StepReport(step: name, ["lines": rows.count, "purchase orders": orders])
        }
    }
}
