import GRDB
import OrderModel

/// One order's full story (`orderflow order REF`): its header, its lines with their stage and what funded
/// them, its non-stock lines, its value and every stage move. Values as stored (custom fields as JSON text,
/// prices unformatted): the engine decides how they are shown.
public struct OrderStory: Sendable {
    /// A stock line, each part of a split line apart.
    public struct Line: Sendable {
        public var lineNo: Int
        public var part: Int
        public var sku: String
        /// In the product's stock unit.
        public var quantity: Quantity
        /// The line's own price, or its product's; nil when neither is known.
        public var price: UnitPrice?
        public var stage: String
        public var reasonCode: String?
        public var reason: String?
        public var since: String
        public var warehouse: String?
        public var pickListRef: String?
        public var poRef: String?
        public var customJSON: String?
        /// The lots that funded the line's allocation, oldest first.
        public var servedFrom: [LotDraw]
        public var quantityAsWritten: String?
        public var unitAsWritten: String?
        /// The product's stock unit (nil while the product is unknown).
        public var stockUnit: String?
    }

    /// What one stock lot (a receipt, a count, opening stock) gave to a line.
    public struct LotDraw: Sendable {
        /// `receipt GRN-1`, `stock count …`, `opening stock`.
        public var source: String
        public var quantity: Quantity
    }

    /// A non-stock line: gift wrap, shipping, a discount.
    public struct Charge: Sendable {
        /// As stored: `line`, `shipping` or `discount`.
        public var kind: String
        public var lineNo: Int?
        public var sku: String?
        public var quantity: Quantity
        public var unitPrice: UnitPrice
        public var value: Money
        public var customJSON: String?
    }

    /// One entry of the history: a stage move, or a line's import.
    /// One entry of the order's history, as `order REF` shows it (and its JSON).
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
    public var creditState: CreditState
    public var creditOverride: Bool
    public var manualHold: Bool
    /// `name`, `address1`, `address2`, `city`, `postcode`, `country`: those that have a value.
    public var shipTo: [String: String]
    public var sourceFile: String
    public var sourceLine: Int
    public var customJSON: String?
    public var customerCustomJSON: String?
    public var currency: String?
    /// By line number and part.
    public var lines: [Line]
    public var charges: [Charge]
    /// The lines that are not cancelled and the non-stock lines, summed exactly; nil beyond what the engine can hold.
    public var total: Money?
    /// Each line's import first, then the moves in the order they were made.
    public var history: [Move]
}

extension OrderDatabase {
    /// The story of order `ref`, read in one snapshot; nil when no order has that reference.
    public func orderStory(_ ref: String) throws -> OrderStory? {
        try writer.read { db in
            guard let o = try Row.fetchOne(db, sql: """
                SELECT o.*, f.name AS file_name, c.custom AS customer_custom FROM sales_order o
                JOIN source_file f ON f.id = o.source_file_id LEFT JOIN customer c ON c.customer_ref = o.customer_ref
                WHERE o.order_ref = ?
                """, arguments: [ref]) else { return nil }
            let id: Int64 = o["id"]
            let draws = try db.makeStatement(sql: """
                SELECT s.source, a.quantity FROM allocation a JOIN stock_lot s ON s.id = a.lot_id
                WHERE a.line_id = ? ORDER BY s.received_at, s.id
                """)
            let lines = try Row.fetchAll(db, sql: """
                SELECT l.*, COALESCE(l.unit_price, p.unit_price) AS price, p.stock_unit FROM order_line l LEFT JOIN product p ON p.sku = l.sku
                WHERE l.order_id = ? ORDER BY l.line_no, l.part
                """, arguments: [id]).map { l in
                OrderStory.Line(lineNo: l["line_no"], part: l["part"], sku: l["sku"], quantity: l["quantity"], price: l["price"],
                                stage: l["stage"], reasonCode: l["reason_code"], reason: l["stage_reason"], since: l["stage_since"],
                                warehouse: l["warehouse"], pickListRef: l["pick_list_ref"], poRef: l["po_ref"], customJSON: l["custom"],
                                servedFrom: try Row.fetchAll(draws, arguments: [l["id"] as Int64]).map {
                                    OrderStory.LotDraw(source: $0[0], quantity: $0[1])
                                },
                                quantityAsWritten: l["quantity_as_written"], unitAsWritten: l["unit_as_written"], stockUnit: l["stock_unit"])
            }
            let charges = try Row.fetchAll(db, sql: "SELECT * FROM order_charge WHERE order_id = ? ORDER BY line_no IS NULL, line_no, id",
                                           arguments: [id]).map { c in
                OrderStory.Charge(kind: c["kind"], lineNo: c["line_no"], sku: c["sku"], quantity: c["quantity"], unitPrice: c["unit_price"],
                                  value: Money(minorUnits: c["value"]), customJSON: c["custom"])
            }
            // Summed here, exactly: a stored line value is within the limit for money, a sum need not be.
            // Each stock line's value is `LineValue` (rounded once, as everywhere); a non-stock line's is stored.
            var total: Money? = .zero
            for l in try Row.fetchAll(db, sql: """
                SELECT l.quantity, COALESCE(l.unit_price, p.unit_price, 0) AS price, NULL AS value FROM order_line l
                LEFT JOIN product p ON p.sku = l.sku WHERE l.order_id = ?1 AND l.stage <> \(Stage.cancelled.sql)
                UNION ALL SELECT NULL, NULL, value FROM order_charge WHERE order_id = ?1
                """, arguments: [id]) {
                let value: Money? = (l[2] as Int64?).map(Money.init(minorUnits:))
                    ?? (try? LineValue.of(l[0] as Quantity, at: l[1] as UnitPrice))
                total = total.flatMap { sum in value.flatMap { try? sum + $0 } }
            }
            // The import of each line comes first, from the line itself (databases from before this rule
            // hold it as a stored move with no from-stage, and that row is shown instead).
            let history = try Row.fetchAll(db, sql: """
                SELECT 0 AS kind, l.line_no AS seq, NULL AS from_stage, \(Stage.new.sql) AS to_stage,
                       'imported from ' || f.name || ' line ' || l.source_line AS reason, 'import' AS actor, o.imported_at AS at, l.line_no
                FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN source_file f ON f.id = o.source_file_id
                WHERE l.order_id = ?1 AND l.part = 0
                  AND NOT EXISTS (SELECT 1 FROM stage_move m WHERE m.order_id = l.order_id AND m.line_id = l.id AND m.from_stage IS NULL)
                UNION ALL
                SELECT 1, m.id, m.from_stage, m.to_stage, m.reason, m.actor, m.at, l.line_no
                FROM stage_move m LEFT JOIN order_line l ON l.id = m.line_id WHERE m.order_id = ?1
                ORDER BY kind, seq
                """, arguments: [id]).map { m in
                OrderStory.Move(lineNo: m["line_no"], from: m["from_stage"], to: m["to_stage"], reason: m["reason"], actor: m["actor"], at: m["at"])
            }
            var ship: [String: String] = [:]
            for key in ["name", "address1", "address2", "city", "postcode", "country"] { ship[key] = o["ship_\(key)"] }
            return OrderStory(orderRef: o["order_ref"], orderDate: o["order_date"], customerRef: o["customer_ref"],
                              paymentMethod: o["payment_method"], cardLast4: o["card_last4"], creditState: CreditState(stored: o["credit_state"]),
                              creditOverride: o["credit_override"], manualHold: o["manual_hold"], shipTo: ship,
                              sourceFile: o["file_name"], sourceLine: o["source_line"], customJSON: o["custom"],
                              customerCustomJSON: o["customer_custom"], currency: o["currency"], lines: lines, charges: charges,
                              total: total, history: history)
        }
    }
}
