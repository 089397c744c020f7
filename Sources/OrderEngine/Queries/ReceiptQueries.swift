import OrderModel
import OrderStore

/// One imported receipt for the command line (`orderflow receipt REF`): its lines as imported, their
/// custom fields, and the order lines each one funded, oldest first.
public struct ReceiptQueries: Sendable {
    let engine: Engine
    public init(engine: Engine) { self.engine = engine }

    public struct Funded: Codable, Sendable, Hashable {
        public var orderRef: String
        public var lineNo: Int
        public var part: Int
        public var quantity: Quantity
        /// The order line's stage now (picking, despatched, …).
        public var stage: String
        enum CodingKeys: String, CodingKey { case orderRef = "order_ref", lineNo = "line_no", part, quantity, stage }
    }

    public struct Line: Codable, Sendable, Hashable {
        public var sku: String
        /// In the product's stock unit.
        public var quantity: Quantity
        public var warehouse: String
        public var receivedAt: String
        public var sourceLine: Int
        public var custom: [String: String]
        /// What of the receipt is still free to allocate (its stock lot's remainder); nil for a receipt
        /// from before stock lots were kept.
        public var remaining: Quantity?
        public var funded: [Funded]
        /// The quantity and unit as the file wrote them, when either differs from the stored quantity.
        public var quantityAsWritten: String? = nil
        public var unitAsWritten: String? = nil
        enum CodingKeys: String, CodingKey {
            case sku, quantity, warehouse, receivedAt = "received_at", sourceLine = "source_line", custom, remaining, funded,
                 quantityAsWritten = "quantity_as_written", unitAsWritten = "unit_as_written"
        }
    }

    public struct ReceiptDetail: Codable, Sendable {
        public var receiptRef: String
        public var sourceFile: String
        public var lines: [Line]
        enum CodingKeys: String, CodingKey { case receiptRef = "receipt_ref", sourceFile = "source_file", lines }
    }

    public func receipt(_ ref: String) throws -> ReceiptDetail {
        guard let receipt = try engine.database.receiptView(ref) else { throw EngineError.unknownReceipt(ref) }
        let lines = receipt.lines.map { line in
            Line(sku: line.sku, quantity: line.quantity, warehouse: line.warehouse, receivedAt: line.receivedAt,
                 sourceLine: line.sourceLine, custom: OrderQueries.custom(line.customJSON, prefix: "receipt."),
                 remaining: line.remaining,
                 funded: line.funded.map { Funded(orderRef: $0.orderRef, lineNo: $0.lineNo, part: $0.part, quantity: $0.quantity, stage: $0.stage) },
                 quantityAsWritten: line.quantityAsWritten, unitAsWritten: line.unitAsWritten)
        }
        return ReceiptDetail(receiptRef: ref, sourceFile: receipt.sourceFile, lines: lines)
    }
}
