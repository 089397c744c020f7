import Foundation
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
        let view = try engine.database.statusView(stockLimit: stockLimit, cycleLimit: cycleLimit)
        let stages = view.stages.map { StageCount(stage: $0.stage, orders: $0.orders, lines: $0.lines) }
        let order = Stage.builtIn.map(\.rawValue)
        let sortedStages = stages.sorted { (order.firstIndex(of: $0.stage) ?? 99, $0.stage) < (order.firstIndex(of: $1.stage) ?? 99, $1.stage) }
        func summary(_ p: StatusView.StockPosition) -> StockSummary {
            StockSummary(sku: p.sku, warehouse: p.warehouse, onHand: p.onHand, allocated: p.allocated, backOrdered: p.backOrdered)
        }
        let cycles = view.cycles.map { run in
            CycleSummary(id: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt,
                         counts: run.summaryJSON.flatMap { try? JSONDecoder().decode([String: [String: Int]].self, from: Data($0.utf8)) },
                         error: run.error)
        }
        return Status(stages: sortedStages, stockTotals: summary(view.stockTotals), stock: view.stock.map(summary), cycles: cycles,
                      pendingOutputs: view.pendingOutputs)
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
        let money = engine.config.money
        // An order whose lines add up beyond what the engine can hold shows its value as "too large to compute".
        return try engine.database.orderListings(stage: stage, customer: customer, limit: limit).map { o in
            OrderSummary(orderRef: o.orderRef, orderDate: o.orderDate, customerRef: o.customerRef, stages: o.stages, lines: o.lines,
                         value: o.value.map(money.format) ?? "too large to compute")
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
        /// A history entry: the store's, shown as read.
        public typealias Move = OrderStory.Move
        public var orderRef: String
        public var orderDate: String
        public var customerRef: String
        public var paymentMethod: String?
        public var cardLast4: String?
        public var creditState: CreditState
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
        guard let story = try engine.database.orderStory(ref) else { throw EngineError.unknownOrder(ref) }
        let money = engine.config.money
        let lines = story.lines.map { (l: OrderStory.Line) -> OrderDetail.Line in
            let servedFrom: [String] = l.servedFrom.map { (draw: OrderStory.LotDraw) -> String in "\(draw.source) ×\(draw.quantity)" }
            let unitPrice: String? = l.price.map { money.format($0) }
            return OrderDetail.Line(lineNo: l.lineNo, sku: l.sku, quantity: l.quantity, unitPrice: unitPrice,
                                    stage: l.stage, reasonCode: l.reasonCode, reason: l.reason, since: l.since,
                                    warehouse: l.warehouse, pickListRef: l.pickListRef, poRef: l.poRef,
                                    custom: Self.custom(l.customJSON, prefix: "line."), part: l.part,
                                    servedFrom: servedFrom,
                                    quantityAsWritten: l.quantityAsWritten, unitAsWritten: l.unitAsWritten, stockUnit: l.stockUnit)
        }
        let nonStock = story.charges.map { c in
            OrderDetail.NonStockLine(kind: ChargeKind(rawValue: c.kind) ?? .line, lineNo: c.lineNo, sku: c.sku, quantity: c.quantity,
                                     unitPrice: money.format(c.unitPrice), value: money.format(c.value),
                                     custom: Self.custom(c.customJSON, prefix: "line."))
        }
        return OrderDetail(orderRef: story.orderRef, orderDate: story.orderDate, customerRef: story.customerRef,
                           paymentMethod: story.paymentMethod, cardLast4: story.cardLast4, creditState: story.creditState,
                           creditOverride: story.creditOverride, manualHold: story.manualHold, shipTo: story.shipTo,
                           sourceFile: story.sourceFile, sourceLine: story.sourceLine,
                           stages: Array(Set(lines.map { $0.stage })).sorted(), lines: lines, history: story.history,
                           custom: Self.custom(story.customJSON, prefix: "order."),
                           customerCustom: Self.custom(story.customerCustomJSON, prefix: "customer."), currency: story.currency,
                           nonStockLines: nonStock, total: story.total.map(money.format))
    }
}
