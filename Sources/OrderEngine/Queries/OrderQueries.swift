import GRDB
import OrderModel
import OrderStore

/// Read-only views for the command line: status, order lists and one order's full story.
public struct OrderQueries: Sendable {
    let engine: Engine
    public init(engine: Engine) { self.engine = engine }

    public struct StageCount: Codable, Sendable, Hashable {
        public var stage: String
        public var orders: Int
        public var lines: Int
    }

    public struct StockSummary: Codable, Sendable, Hashable {
        public var sku: String
        public var warehouse: String
        public var onHand: Quantity
        public var allocated: Quantity
        public var backOrdered: Quantity
        enum CodingKeys: String, CodingKey {
            case sku, warehouse, onHand = "on_hand", allocated, backOrdered = "back_ordered"
        }
    }

    public struct CycleSummary: Codable, Sendable, Hashable {
        public var id: Int64
        public var startedAt: String
        public var finishedAt: String?
        public var counts: [String: [String: Int]]?
        /// Why the cycle failed; nil for a good one.
        public var error: String?
        enum CodingKeys: String, CodingKey { case id, startedAt = "started_at", finishedAt = "finished_at", counts, error }
    }

    public struct Status: Codable, Sendable {
        public var stages: [StageCount]
        public var stockTotals: StockSummary
        public var stock: [StockSummary]
        public var cycles: [CycleSummary]
        public var pendingOutputs: Int
        enum CodingKeys: String, CodingKey {
            case stages, stockTotals = "stock_totals", stock, cycles, pendingOutputs = "pending_outputs"
        }
    }

    /// Orders and lines per stage, stock per sku (the `stockLimit` with most back-ordered first), the last cycles.
    public func status(stockLimit: Int? = 20, cycleLimit: Int = 5) throws -> Status {
        try engine.database.writer.read { db in
            let stages = try Row.fetchAll(db, sql: """
                SELECT stage, COUNT(DISTINCT order_id) AS orders, COUNT(*) AS lines FROM order_line GROUP BY stage
                """).map { StageCount(stage: $0["stage"], orders: $0["orders"], lines: $0["lines"]) }
            let order = Stage.builtIn.map(\.rawValue)
            let sortedStages = stages.sorted { (order.firstIndex(of: $0.stage) ?? 99, $0.stage) < (order.firstIndex(of: $1.stage) ?? 99, $1.stage) }
            let stockSQL = """
                SELECT k.sku, k.warehouse, COALESCE(s.on_hand, 0) AS on_hand, COALESCE(s.allocated, 0) AS allocated,
                       COALESCE(b.qty, 0) AS back_ordered
                FROM (SELECT sku, warehouse FROM stock
                      UNION SELECT sku, warehouse FROM order_line INDEXED BY order_line_queue WHERE stage = 'back-order') k
                LEFT JOIN stock s ON s.sku = k.sku AND s.warehouse = k.warehouse
                LEFT JOIN (SELECT sku, warehouse, SUM(quantity) AS qty FROM order_line INDEXED BY order_line_queue
                           WHERE stage = 'back-order' GROUP BY sku, warehouse) b
                  ON b.sku = k.sku AND b.warehouse = k.warehouse
                """
            func summary(_ row: Row) -> StockSummary {
                StockSummary(sku: row["sku"], warehouse: row["warehouse"], onHand: row["on_hand"], allocated: row["allocated"],
                             backOrdered: row["back_ordered"])
            }
            let limit = stockLimit.map { " LIMIT \($0)" } ?? ""
            let stock = try Row.fetchAll(db, sql: stockSQL + " ORDER BY back_ordered DESC, k.sku, k.warehouse" + limit).map(summary)
            let totals = try Row.fetchOne(db, sql: """
                SELECT '*' AS sku, '*' AS warehouse, COALESCE(SUM(on_hand), 0) AS on_hand, COALESCE(SUM(allocated), 0) AS allocated,
                       COALESCE(SUM(back_ordered), 0) AS back_ordered FROM (\(stockSQL))
                """).map(summary)!
            let cycles = try Row.fetchAll(db, sql: "SELECT id, started_at, finished_at, summary, error FROM cycle ORDER BY id DESC LIMIT ?",
                                          arguments: [cycleLimit]).map { row in
                CycleSummary(id: row["id"], startedAt: row["started_at"], finishedAt: row["finished_at"],
                             counts: (row["summary"] as String?).flatMap { try? JSONDecoder().decode([String: [String: Int]].self, from: Data($0.utf8)) },
                             error: row["error"])
            }
            let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox_file WHERE written_at IS NULL") ?? 0
            return Status(stages: sortedStages, stockTotals: totals, stock: stock, cycles: cycles, pendingOutputs: pending)
        }
    }

    public struct OrderSummary: Codable, Sendable, Hashable {
        public var orderRef: String
        public var orderDate: String
        public var customerRef: String
        public var stages: [String]
        public var lines: Int
        public var value: String
        enum CodingKeys: String, CodingKey {
            case orderRef = "order_ref", orderDate = "order_date", customerRef = "customer_ref", stages, lines, value
        }
    }

    /// Orders with at least one line in `stage` (if given) for `customer` (if given), oldest first.
    /// - Throws: for a stage that does not exist (neither built in nor in rules.yaml), listing those that do,
    ///   so a mistyped stage is not mistaken for an empty one.
    public func orders(stage: String? = nil, customer: String? = nil, limit: Int? = nil) throws -> [OrderSummary] {
        if let stage, !Stage.builtIn.contains(Stage(rawValue: stage)) {
            try engine.loadRules(mappings: try engine.loadMappings()).requireStage(stage)
        }
        do {
            return try orders(stage: stage, customer: customer, limit: limit, sums: .native)
        } catch let error as DatabaseError where error.message == "integer overflow" {
            // An order's lines add up beyond Int64: list again with exact sums, that order's value "too large to compute".
            return try orders(stage: stage, customer: customer, limit: limit, sums: .split)
        }
    }

    func orders(stage: String?, customer: String?, limit: Int?, sums: AmountSum) throws -> [OrderSummary] {
        try engine.database.writer.read { db in
            var conditions: [String] = []
            var args: StatementArguments = []
            if let stage {
                conditions.append("EXISTS (SELECT 1 FROM order_line x WHERE x.order_id = o.id AND x.stage = ?)")
                args += [stage]
            }
            if let customer {
                conditions.append("o.customer_ref = ?")
                args += [customer]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let limitClause = limit.map { " LIMIT \($0)" } ?? ""
            return try Row.fetchAll(db, sql: """
                SELECT o.order_ref, o.order_date, o.customer_ref,
                       (SELECT group_concat(stage) FROM (SELECT DISTINCT stage FROM order_line WHERE order_id = o.id)) AS stages,
                       (SELECT COUNT(*) FROM order_line WHERE order_id = o.id) AS lines,
                       \(sums.subquerySQL("line_value(l.quantity, COALESCE(l.unit_price, p.unit_price, 0))",
                                          from: "FROM order_line l LEFT JOIN product p ON p.sku = l.sku WHERE l.order_id = o.id", as: "value")),
                       \(sums.subquerySQL("ch.value", from: "FROM order_charge ch WHERE ch.order_id = o.id", as: "charges"))
                FROM sales_order o \(whereClause) ORDER BY o.order_date, o.id\(limitClause)
                """, arguments: args).map { row in
                OrderSummary(orderRef: row["order_ref"], orderDate: row["order_date"], customerRef: row["customer_ref"],
                             stages: ((row["stages"] as String?) ?? "").split(separator: ",").map(String.init).sorted(),
                             lines: row["lines"],
                             value: sums.total(row, "value", "charges").map(engine.config.money.format)
                                ?? "too large to compute")
            }
        }
    }

    public struct OrderDetail: Codable, Sendable {
        public struct Line: Codable, Sendable {
            public var lineNo: Int
            public var sku: String
            /// In the product's stock unit.
            public var quantity: Quantity
            public var unitPrice: String?
            public var stage: String
            public var reasonCode: String?
            public var reason: String?
            public var since: String
            public var warehouse: String?
            public var pickListRef: String?
            public var poRef: String?
            /// `line.*` custom fields by name (without the `line.` prefix).
            public var custom: [String: String]
            /// Split lines share a line number; part 0 is the original.
            public var part: Int
            /// What funded the allocation: `receipt GRN-1 ×3`, `stock count ... ×1`, `opening stock ×2`.
            public var servedFrom: [String]
            /// The quantity and unit as the file wrote them, when either differs from the stored quantity
            /// (`12,75 kg` read as 12.75 KGM; `1 CS` stored as 12 EA).
            public var quantityAsWritten: String? = nil
            public var unitAsWritten: String? = nil
            /// The product's stock unit, the unit of `quantity` (nil while the product is unknown).
            public var stockUnit: String? = nil
            enum CodingKeys: String, CodingKey {
                case lineNo = "line_no", sku, quantity, unitPrice = "unit_price", stage, reasonCode = "reason_code",
                     reason, since, warehouse, pickListRef = "pick_list_ref", poRef = "po_ref", custom, part, servedFrom = "served_from",
                     quantityAsWritten = "quantity_as_written", unitAsWritten = "unit_as_written", stockUnit = "stock_unit"
            }
        }
        /// A non-stock line: gift wrap, shipping, a discount (negative). It only counts in the order's value.
        public struct NonStockLine: Codable, Sendable {
            /// `line` (a row of the file), `shipping` or `discount` (the order's columns).
            public var kind: ChargeKind
            /// Nil for an order-level amount.
            public var lineNo: Int?
            /// Nil when the line names no product.
            public var sku: String?
            public var quantity: Quantity
            public var unitPrice: String
            public var value: String
            public var custom: [String: String]
            enum CodingKeys: String, CodingKey {
                case kind, lineNo = "line_no", sku, quantity, unitPrice = "unit_price", value, custom
            }
        }
        public struct Move: Codable, Sendable {
            public var lineNo: Int?
            public var from: String?
            public var to: String
            public var reason: String
            public var actor: String
            public var at: String
            enum CodingKeys: String, CodingKey { case lineNo = "line_no", from, to, reason, actor, at }
        }
        public var orderRef: String
        public var orderDate: String
        public var customerRef: String
        public var paymentMethod: String?
        public var cardLast4: String?
        public var creditState: String
        public var creditOverride: Bool
        public var manualHold: Bool
        public var shipTo: [String: String]
        public var sourceFile: String
        public var sourceLine: Int
        public var stages: [String]
        public var lines: [Line]
        public var history: [Move]
        /// `order.*` custom fields by name (without the `order.` prefix).
        public var custom: [String: String]
        /// The customer's custom fields (`customer.*`), for context.
        public var customerCustom: [String: String]
        /// The currency the order states; nil: its customer's.
        public var currency: String?
        public var nonStockLines: [NonStockLine]
        /// The order's value: its stock lines that are not cancelled (at their own or their product's price)
        /// and its non-stock lines; nil when beyond what the engine can hold.
        public var total: String?
        enum CodingKeys: String, CodingKey {
            case orderRef = "order_ref", orderDate = "order_date", customerRef = "customer_ref",
                 paymentMethod = "payment_method", cardLast4 = "card_last4", creditState = "credit_state",
                 creditOverride = "credit_override", manualHold = "manual_hold", shipTo = "ship_to",
                 sourceFile = "source_file", sourceLine = "source_line", stages, lines, history, custom,
                 customerCustom = "customer_custom", currency, nonStockLines = "non_stock_lines", total
        }
    }

    /// A stored custom-field object, with the entity prefix taken off the names.
    static func custom(_ json: String?, prefix: String) -> [String: String] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String] else { return [:] }
        // Stored data is read, never trusted to be unique: a name found twice keeps one value (the same one each time).
        return Dictionary(object.map { (String($0.key.dropFirst($0.key.hasPrefix(prefix) ? prefix.count : 0)), $0.value) },
                          uniquingKeysWith: { max($0, $1) })
    }

    /// One order: header, lines with their stage and reason, and the full stage history.
    public func order(_ ref: String) throws -> OrderDetail {
        try engine.database.writer.read { db in
            guard let o = try Row.fetchOne(db, sql: """
                SELECT o.*, f.name AS file_name, c.custom AS customer_custom FROM sales_order o
                JOIN source_file f ON f.id = o.source_file_id LEFT JOIN customer c ON c.customer_ref = o.customer_ref
                WHERE o.order_ref = ?
                """, arguments: [ref]) else {
                throw EngineError.unknownOrder(ref)
            }
            let id: Int64 = o["id"]
            let money = engine.config.money
            let lines = try Row.fetchAll(db, sql: """
                SELECT l.*, COALESCE(l.unit_price, p.unit_price) AS price, p.stock_unit FROM order_line l LEFT JOIN product p ON p.sku = l.sku
                WHERE l.order_id = ? ORDER BY l.line_no, l.part
                """, arguments: [id]).map { l in
                OrderDetail.Line(lineNo: l["line_no"], sku: l["sku"], quantity: l["quantity"],
                                 unitPrice: (l["price"] as UnitPrice?).map { money.format($0) },
                                 stage: l["stage"], reasonCode: l["reason_code"], reason: l["stage_reason"], since: l["stage_since"],
                                 warehouse: l["warehouse"], pickListRef: l["pick_list_ref"], poRef: l["po_ref"],
                                 custom: Self.custom(l["custom"], prefix: "line."), part: l["part"],
                                 servedFrom: try Row.fetchAll(db, sql: """
                                    SELECT s.source, a.quantity FROM allocation a JOIN stock_lot s ON s.id = a.lot_id
                                    WHERE a.line_id = ? ORDER BY s.received_at, s.id
                                    """, arguments: [l["id"] as Int64]).map { "\($0[0] as String) ×\($0[1] as Quantity)" },
                                 quantityAsWritten: l["quantity_as_written"], unitAsWritten: l["unit_as_written"],
                                 stockUnit: l["stock_unit"])
            }
            let nonStock = try Row.fetchAll(db, sql: "SELECT * FROM order_charge WHERE order_id = ? ORDER BY line_no IS NULL, line_no, id",
                                            arguments: [id]).map { c in
                OrderDetail.NonStockLine(kind: ChargeKind(rawValue: c["kind"]) ?? .line, lineNo: c["line_no"], sku: c["sku"], quantity: c["quantity"],
                                         unitPrice: money.format(c["unit_price"] as UnitPrice),
                                         value: money.format(Money(minorUnits: c["value"])), custom: Self.custom(c["custom"], prefix: "line."))
            }
            // Summed here, exactly: a stored line value is within the limit for money, a sum need not be.
            // Each stock line's value is `LineValue` (rounded once, as everywhere); a non-stock line's is stored.
            var total: Money? = .zero
            for l in try Row.fetchAll(db, sql: """
                SELECT l.quantity, COALESCE(l.unit_price, p.unit_price, 0) AS price, NULL AS value FROM order_line l
                LEFT JOIN product p ON p.sku = l.sku WHERE l.order_id = ?1 AND l.stage <> 'cancelled'
                UNION ALL SELECT NULL, NULL, value FROM order_charge WHERE order_id = ?1
                """, arguments: [id]) {
                let value: Money? = (l[2] as Int64?).map(Money.init(minorUnits:))
                    ?? (try? LineValue.of(l[0] as Quantity, at: l[1] as UnitPrice))
                total = total.flatMap { sum in value.flatMap { try? sum + $0 } }
            }
            // The import of each line comes first, from the line itself (databases from before this rule
            // hold it as a stored move with no from-stage, and that row is shown instead).
            let history = try Row.fetchAll(db, sql: """
                SELECT 0 AS kind, l.line_no AS seq, NULL AS from_stage, 'new' AS to_stage,
                       'imported from ' || f.name || ' line ' || l.source_line AS reason, 'import' AS actor, o.imported_at AS at, l.line_no
                FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN source_file f ON f.id = o.source_file_id
                WHERE l.order_id = ?1 AND l.part = 0
                  AND NOT EXISTS (SELECT 1 FROM stage_move m WHERE m.order_id = l.order_id AND m.line_id = l.id AND m.from_stage IS NULL)
                UNION ALL
                SELECT 1, m.id, m.from_stage, m.to_stage, m.reason, m.actor, m.at, l.line_no
                FROM stage_move m LEFT JOIN order_line l ON l.id = m.line_id WHERE m.order_id = ?1
                ORDER BY kind, seq
                """, arguments: [id]).map { m in
                OrderDetail.Move(lineNo: m["line_no"], from: m["from_stage"], to: m["to_stage"], reason: m["reason"],
                                 actor: m["actor"], at: m["at"])
            }
            var ship: [String: String] = [:]
            for key in ["name", "address1", "address2", "city", "postcode", "country"] { ship[key] = o["ship_\(key)"] }
            return OrderDetail(orderRef: o["order_ref"], orderDate: o["order_date"], customerRef: o["customer_ref"],
                               paymentMethod: o["payment_method"], cardLast4: o["card_last4"], creditState: o["credit_state"],
                               creditOverride: o["credit_override"], manualHold: o["manual_hold"], shipTo: ship,
                               sourceFile: o["file_name"], sourceLine: o["source_line"],
                               stages: Array(Set(lines.map(\.stage))).sorted(), lines: lines, history: history,
                               custom: Self.custom(o["custom"], prefix: "order."),
                               customerCustom: Self.custom(o["customer_custom"], prefix: "customer."), currency: o["currency"],
                               nonStockLines: nonStock, total: total.map(money.format))
        }
    }
}
import Foundation
