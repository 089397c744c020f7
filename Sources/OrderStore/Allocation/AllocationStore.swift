import GRDB
import OrderModel

/// The allocation step's working set and its writes.
///
/// The step reads what it needs as values (free stock, the places that matter this cycle, candidate
/// lines in queue order), the pure allocator decides, and the step persists the decisions through
/// `StageMover.Batch` and the operations here — set-based where the old step was set-based, streaming a
/// place's back orders so that reading stops when its stock is gone.
extension StoreTransaction {
    /// The stock free to allocate (on hand − allocated), for every place that has some.
    public func freeStock() throws -> [(place: StockPlace, free: Quantity)] {
        try Row.fetchAll(db, sql: "SELECT sku, warehouse, on_hand - allocated FROM stock WHERE on_hand > allocated").map {
            (StockPlace(sku: $0[0], warehouse: $0[1]), $0[2])
        }
    }

    /// The free stock (on hand less allocated, when above zero) at `places` only: a look-up by key each
    /// for a few places, one pass over the table when they are many (a cold cycle's every sku).
    public func freeStock(at places: [StockPlace]) throws -> [(place: StockPlace, free: Quantity)] {
        guard places.count <= 2_000 else {
            let wanted = Set(places)
            return try freeStock().filter { wanted.contains($0.place) }
        }
        let statement = try db.cachedStatement(sql: """
            SELECT on_hand - allocated FROM stock WHERE sku = ? AND warehouse = ? AND on_hand > allocated
            """)
        var found: [(place: StockPlace, free: Quantity)] = []
        for place in places {
            if let free = try Quantity.fetchOne(statement, arguments: [place.sku, place.warehouse]) { found.append((place, free)) }
        }
        return found
    }

    /// Whether any customer or order states a ship policy other than `part`.
    public func anyShipPolicyOtherThanPart() throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM customer WHERE ship_policy IS NOT NULL AND ship_policy <> 'part')
                OR EXISTS (SELECT 1 FROM sales_order WHERE ship_policy IS NOT NULL AND ship_policy <> 'part')
            """) ?? true
    }

    /// Whether any customer or order states a policy that turns with time (`part-after:N`).
    public func anyTimedShipPolicy() throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM customer WHERE ship_policy LIKE 'part-after:%')
                OR EXISTS (SELECT 1 FROM sales_order WHERE ship_policy IS NOT NULL AND ship_policy LIKE 'part-after:%')
            """) ?? false
    }

    /// The places whose stock rose since the last allocation (a receipt, a count, a release).
    public func placesThatGainedStock() throws -> [StockPlace] {
        try Row.fetchAll(db, sql: "SELECT sku, warehouse FROM stock WHERE gained = 1").map { StockPlace(sku: $0[0], warehouse: $0[1]) }
    }

    /// The places of the waiting (new or back-ordered, not drop-ship) lines of orders changed since the
    /// last allocation.
    public func placesOfChangedOrders() throws -> [StockPlace] {
        try Row.fetchAll(db, sql: """
            SELECT DISTINCT l.sku, COALESCE(l.warehouse, p.warehouse) FROM sales_order o CROSS JOIN order_line l ON l.order_id = o.id
            JOIN product p ON p.sku = l.sku
            WHERE o.changed = 1 AND l.stage IN (\(Stage.new.sql), \(Stage.backOrder.sql)) AND p.drop_ship = 0
            """).map { StockPlace(sku: $0[0], warehouse: $0[1]) }
    }

    /// Lays out the new lines to allocate (credit passed, not drop-ship) in (sku, warehouse, queue) order,
    /// as allocation reads them, in a scratch table of this transaction, and returns how many there are; `stagedNewLines`
    /// then reads them a slice at a time.
    ///
    /// A cold cycle allocates hundreds of thousands of new lines: holding them all as values, with their
    /// decisions and moves, was most of a large cycle's memory. Laid out once (sorted by SQLite, in a
    /// temporary file, outside the process's memory), they are decided and written a slice at a time, and no statement is
    /// left reading `order_line` while the slices' moves are written to it.
    public func stageNewLinesByPlace() throws -> Int {
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS allocation_order (
                position INTEGER PRIMARY KEY, id INTEGER NOT NULL, order_id INTEGER NOT NULL, line_no INTEGER NOT NULL,
                sku TEXT NOT NULL, warehouse TEXT NOT NULL, quantity INTEGER NOT NULL, stage TEXT NOT NULL,
                order_ref TEXT NOT NULL, queue_key TEXT);
            DELETE FROM allocation_order;
            INSERT INTO allocation_order (id, order_id, line_no, sku, warehouse, quantity, stage, order_ref, queue_key)
            SELECT \(AllocationCandidate.columns) FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN product p ON p.sku = l.sku
            WHERE l.stage = \(Stage.new.sql) AND o.credit_state = \(CreditState.passed.sql) AND p.drop_ship = 0
            ORDER BY l.sku, warehouse, l.queue_key;
            """)
        return db.changesCount
    }

    /// The laid-out new lines at positions `after + 1 ... after + limit`, in order (see `stageNewLinesByPlace`).
    public func stagedNewLines(after: Int, limit: Int) throws -> [AllocationCandidate] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, order_id, line_no, sku, warehouse, quantity, stage, order_ref, queue_key FROM allocation_order
            WHERE position > ? AND position <= ? ORDER BY position
            """), arguments: [after, after + limit]).map(AllocationCandidate.init)
    }

    /// Empties the scratch table of `stageNewLinesByPlace`.
    public func clearStagedNewLines() throws {
        try db.execute(sql: "DELETE FROM allocation_order")
    }

    /// The back orders of places, each place's in queue order, read from the queue index.
    public func backOrderQueue() throws -> BackOrderQueue {
        try BackOrderQueue(db.cachedStatement(sql: """
            SELECT \(AllocationCandidate.columns) FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN product p ON p.sku = l.sku
            WHERE l.sku = ? AND l.warehouse = ? AND l.stage = \(Stage.backOrder.sql)
            ORDER BY l.queue_key
            """))
    }

    /// Every line of the orders to look at this cycle, in one queue (priority, order date, order, line,
    /// part): the orders with new lines; the back orders whose stock gained or whose order changed; with
    /// `timed`, the back orders whose policy turns with time; with `full`, every back order.
    /// - Parameter defaultPolicy: the policy of orders and customers that state none.
    public func allocationQueue(full: Bool, timed: Bool, defaultPolicy: ShipPolicy) throws -> [QueuedAllocationCandidate] {
        let policySQL = "COALESCE(o.ship_policy, c.ship_policy, ?)"
        let rows = try Row.fetchAll(db, sql: """
            WITH candidates AS (
                SELECT l.order_id FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN product p ON p.sku = l.sku
                WHERE l.stage = \(Stage.new.sql) AND o.credit_state = \(CreditState.passed.sql) AND p.drop_ship = 0
                UNION
                SELECT l.order_id FROM stock s CROSS JOIN order_line l INDEXED BY order_line_queue
                    ON l.stage = \(Stage.backOrder.sql) AND l.sku = s.sku AND l.warehouse = s.warehouse
                WHERE s.gained = 1
                UNION
                SELECT id FROM sales_order WHERE changed = 1
                \(full ? "UNION SELECT order_id FROM order_line WHERE stage = \(Stage.backOrder.sql)" : "")
                \(timed && !full ? """
                UNION
                SELECT l.order_id FROM order_line l JOIN sales_order o ON o.id = l.order_id LEFT JOIN customer c ON c.customer_ref = o.customer_ref
                WHERE l.stage = \(Stage.backOrder.sql) AND \(policySQL) LIKE 'part-after:%'
                """ : "")
            )
            SELECT \(AllocationCandidate.columns), o.back_order_since, o.ship_policy AS order_policy, c.ship_policy AS customer_policy
            FROM candidates x CROSS JOIN sales_order o ON o.id = x.order_id
            CROSS JOIN order_line l ON l.order_id = o.id
            JOIN product p ON p.sku = l.sku
            LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE ((l.stage = \(Stage.new.sql) AND o.credit_state = \(CreditState.passed.sql)) OR l.stage = \(Stage.backOrder.sql)) AND p.drop_ship = 0
            ORDER BY o.priority DESC, o.order_date, o.id, l.line_no, l.part
            """, arguments: timed && !full ? [defaultPolicy.description] : [])
        // An order's lines come together: its policies and date are parsed once, at its first line.
        var queue: [QueuedAllocationCandidate] = []
        queue.reserveCapacity(rows.count)
        for row in rows {
            let line = AllocationCandidate(row)
            if let last = queue.last, last.line.orderID == line.orderID {
                queue.append(QueuedAllocationCandidate(line: line, backOrderSince: last.backOrderSince,
                                                       orderPolicy: last.orderPolicy, customerPolicy: last.customerPolicy))
            } else {
                queue.append(QueuedAllocationCandidate(line: line,
                                                       backOrderSince: (row[9] as String?).flatMap(Timestamp.init(iso8601:)),
                                                       orderPolicy: (row[10] as String?).flatMap(ShipPolicy.init(parsing:)),
                                                       customerPolicy: (row[11] as String?).flatMap(ShipPolicy.init(parsing:))))
            }
        }
        return queue
    }

    /// Gives back orders re-examined and still short the reason allocation found now. Only a reason
    /// allocation wrote is replaced (a stock count's or a person's says why the line came back).
    public func updateShortReasons(_ reasons: [(lineID: Int64, reason: String)]) throws {
        guard !reasons.isEmpty else { return }
        let update = try db.makeStatement(sql: """
            UPDATE order_line SET stage_reason = ? WHERE id = ? AND stage = \(Stage.backOrder.sql) AND stage_reason IS NOT ?
              AND (stage_reason LIKE 'needs %' OR stage_reason = 'waits for the rest of its order (ship policy complete)')
            """)
        for (id, reason) in reasons { try update.execute(arguments: [reason, id, reason]) }
    }

    /// Records a back-order exception for each staged move to Back Order (`StageMover.Batch`, before its
    /// `clear()`), in line order.
    public func recordBackOrderExceptionsOfStagedMoves(cycleID: Int64) throws {
        try db.execute(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, line_no, sku, reason, source_file, source_line)
            SELECT ?, '\(ExceptionKind.backOrder)', o.order_ref, l.line_no, l.sku, p.reason, f.name, l.source_line
            FROM staged_move p JOIN order_line l ON l.id = p.line_id JOIN sales_order o ON o.id = p.order_id
            JOIN source_file f ON f.id = o.source_file_id
            WHERE p.to_stage = \(Stage.backOrder.sql) ORDER BY p.line_id
            """, arguments: [cycleID])
    }

    /// Orders with a staged move that waits for stock (a back order, or the rest of a split line) wait
    /// since `at`, unless they already waited.
    public func markOrdersOfStagedWaitsBackOrdered(since at: Timestamp) throws {
        try db.execute(sql: """
            UPDATE sales_order SET back_order_since = ?
            WHERE id IN (SELECT order_id FROM staged_move WHERE waits = 1) AND back_order_since IS NULL
            """, arguments: [at.description])
    }

    /// Allocation has looked at everything that changed: no place counts as gained, no order as changed.
    public func clearAllocationTriggers() throws {
        try db.execute(sql: "UPDATE stock SET gained = 0 WHERE gained = 1")
        try db.execute(sql: "UPDATE sales_order SET changed = 0 WHERE changed = 1")
    }
}

/// The back orders of one place at a time, in queue order (one prepared statement for every place).
public struct BackOrderQueue {
    private let statement: Statement

    init(_ statement: Statement) { self.statement = statement }

    /// The back orders of `place`, first in the queue first.
    public func lines(at place: StockPlace) throws -> AllocationCandidateCursor {
        AllocationCandidateCursor(try Row.fetchCursor(statement, arguments: [place.sku, place.warehouse]))
    }
}
