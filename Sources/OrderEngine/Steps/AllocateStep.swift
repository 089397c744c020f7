import GRDB
import OrderAllocation
import OrderModel

/// Step 5: allocate stock to new and back-ordered lines, oldest order first.
///
/// Back-order lines are read only where their stock has something available (a partial
/// index on stock), so a cycle does not re-read a back-order book that cannot move.
/// Skipping them changes nothing: a line is allocated whole or not at all.
public struct AllocateStep: CycleStep {
    public let name = "allocate"
    public init() {}

    public func run(_ context: CycleContext) throws -> StepReport {
        try context.db.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM (
                    SELECT l.id, l.order_id, l.sku, p.warehouse AS warehouse, l.quantity, l.stage, o.order_date, l.line_no, o.order_ref
                    FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN product p ON p.sku = l.sku
                    WHERE l.stage = 'new' AND o.credit_state = 'passed' AND p.drop_ship = 0
                    UNION ALL
                    SELECT l.id, l.order_id, l.sku, l.warehouse, l.quantity, l.stage, o.order_date, l.line_no, o.order_ref
                    FROM stock s JOIN order_line l ON l.stage = 'back-order' AND l.sku = s.sku AND l.warehouse = s.warehouse
                    JOIN sales_order o ON o.id = l.order_id
                    WHERE s.on_hand > s.allocated
                ) ORDER BY order_date, order_id, line_no
                """)
            guard !rows.isEmpty else { return StepReport(step: name, ["picked": 0, "back-ordered": 0]) }
            var available: [Allocator.StockKey: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sku, warehouse, on_hand - allocated AS free FROM stock WHERE on_hand > allocated") {
                available[Allocator.StockKey(sku: row["sku"], warehouse: row["warehouse"])] = row["free"]
            }
            let demand = rows.map { row in
                Allocator.Demand(lineID: row["id"], stock: Allocator.StockKey(sku: row["sku"], warehouse: row["warehouse"]),
                                 quantity: row["quantity"])
            }
            let plan = Allocator().allocate(demand, available: available)
            let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "rule:allocate")
            var picked = 0, backOrdered = 0
            for (row, (line, outcome)) in zip(rows, zip(demand, plan.outcomes)) {
                let from = Stage(rawValue: row["stage"])
                switch outcome {
                case .allocated:
                    picked += 1
                    try db.cachedStatement(sql: "UPDATE order_line SET warehouse = ?, allocated = quantity WHERE id = ?")
                        .execute(arguments: [line.stock.warehouse, line.lineID])
                    try mover.moveLine(line.lineID, orderID: row["order_id"], from: from, to: .picking, code: nil,
                                       reason: "allocated \(line.quantity) from \(line.stock.warehouse)")
                case .short(let free):
                    guard from == .new else { continue }
                    backOrdered += 1
                    let reason = "needs \(line.quantity), \(free) available in \(line.stock.warehouse)"
                    try db.cachedStatement(sql: "UPDATE order_line SET warehouse = ? WHERE id = ?")
                        .execute(arguments: [line.stock.warehouse, line.lineID])
                    try mover.moveLine(line.lineID, orderID: row["order_id"], from: from, to: .backOrder, code: "insufficient-stock",
                                       reason: reason)
                    try ExceptionEntry(kind: "back-order", orderRef: row["order_ref"], lineNo: row["line_no"], sku: line.stock.sku,
                                       reason: reason).insert(db, cycleID: context.cycleID)
                }
            }
            for (key, quantity) in plan.allocatedBy {
                try db.cachedStatement(sql: "UPDATE stock SET allocated = allocated + ? WHERE sku = ? AND warehouse = ?")
                    .execute(arguments: [quantity, key.sku, key.warehouse])
            }
            return StepReport(step: name, ["picked": picked, "back-ordered": backOrdered])
        }
    }
}
