import GRDB
import OrderModel

/// A line on a pick list, with what the pick list adds to the line's rule facts and the keys of its place
/// on the list (bin, sku, order, line: the order `Documents.pickList` prints).
public struct PickListFactRow: Sendable {
    public var lineID, orderID: Int64
    /// The product's bin, blank when the product is unknown (as the pick list prints it).
    public var binLocation: String
    public var sku: String
    public var orderRef: String
    public var lineNo: Int
    /// The stock the line holds.
    public var allocated: Quantity

    /// A row the caller read already (the export's stream of lines to pick has these columns).
    public init(lineID: Int64, orderID: Int64, binLocation: String, sku: String, orderRef: String, lineNo: Int, allocated: Quantity) {
        self.lineID = lineID; self.orderID = orderID; self.binLocation = binLocation; self.sku = sku
        self.orderRef = orderRef; self.lineNo = lineNo; self.allocated = allocated
    }
}

/// A purchase order as an output mapping sees it beyond its order's facts: its supplier and its lines.
public struct PurchaseOrderFactRow: Sendable {
    /// One line of it, in line-number order, with the supplier's cost (nil when the product has none or is unknown).
    public struct Line: Sendable {
        public var lineID: Int64
        public var supplierCost: UnitPrice?
    }

    public var poRef: String
    public var orderID: Int64
    public var supplierRef: String
    /// When the purchase order was made, as stored (ISO 8601).
    public var createdAt: String
    /// Whether the supplier is known; its name, email and custom fields are blank (nil) when not.
    public var supplierKnown: Bool
    public var supplierName: String
    public var supplierEmail: String
    /// The supplier's custom fields, a JSON object.
    public var supplierCustom: String?
    /// The supplier's format or output mapping name, `csv` when it names none.
    public var format: String
    public var lines: [Line]
}

/// A line waiting in Back Order, as the back-order report's output mapping sees it beyond the line's facts.
public struct BackOrderFactRow: Sendable {
    public var lineID, orderID: Int64
    /// When the line entered Back Order, as stored.
    public var stageSince: String?
    /// On hand less allocated in the line's warehouse (0 where the sku has no stock row).
    public var available: Quantity
    /// Why the line waits, as its stage move said.
    public var reason: String?
}

/// What the output mappings read of the database beyond the rule facts (`RuleFactsStore`): which lines,
/// orders and suppliers a document is about. Every read takes ids in chunks of at most 500, one query a chunk.
extension StoreTransaction {
    /// The most ids one `IN (…)` list takes.
    public static let factChunk = 500

    private func chunks<T>(_ ids: [T]) -> [[T]] {
        stride(from: 0, to: ids.count, by: Self.factChunk).map { Array(ids[$0..<min($0 + Self.factChunk, ids.count)]) }
    }

    /// The lines `lineIDs` as a pick list shows them, in no particular order (unknown ids are left out).
    public func pickListFactRows(lineIDs: [Int64]) throws -> [PickListFactRow] {
        var rows: [PickListFactRow] = []
        rows.reserveCapacity(lineIDs.count)
        for chunk in chunks(lineIDs) {
            let query = try db.makeStatement(sql: """
                SELECT l.id, l.order_id, COALESCE(p.bin_location, '') AS bin_location, l.sku, o.order_ref, l.line_no, l.allocated
                FROM order_line l JOIN sales_order o ON o.id = l.order_id LEFT JOIN product p ON p.sku = l.sku
                WHERE l.id IN (\(databaseQuestionMarks(count: chunk.count)))
                """)
            let c = ColumnIndex(query)
            let cursor = try Row.fetchCursor(query, arguments: StatementArguments(chunk))
            while let row = try cursor.next() {
                rows.append(PickListFactRow(lineID: row[c.id], orderID: row[c.order_id], binLocation: row[c.bin_location], sku: row[c.sku],
                                            orderRef: row[c.order_ref], lineNo: row[c.line_no], allocated: row[c.allocated]))
            }
        }
        return rows
    }

    /// The purchase orders `poRefs` with their suppliers and lines, in po_ref order (unknown refs are left out).
    /// The lines are those a purchase order prints when written: its lines in Drop Ship, by line number.
    public func purchaseOrderFactRows(poRefs: [String]) throws -> [PurchaseOrderFactRow] {
        var result: [PurchaseOrderFactRow] = []
        for chunk in chunks(poRefs) {
            let marks = databaseQuestionMarks(count: chunk.count)
            var lines: [String: [PurchaseOrderFactRow.Line]] = [:]
            let lineRows = try Row.fetchCursor(db, sql: """
                SELECT l.po_ref, l.id, p.supplier_cost FROM order_line l LEFT JOIN product p ON p.sku = l.sku
                WHERE l.po_ref IN (\(marks)) AND l.stage = \(Stage.dropShip.sql) ORDER BY l.po_ref, l.line_no, l.part
                """, arguments: StatementArguments(chunk))
            while let row = try lineRows.next() {
                lines[row[0], default: []].append(PurchaseOrderFactRow.Line(lineID: row[1], supplierCost: row[2]))
            }
            let query = try db.makeStatement(sql: """
                SELECT po.po_ref, po.order_id, po.supplier_ref, po.created_at, s.supplier_ref IS NOT NULL AS known,
                       COALESCE(s.name, '') AS name, COALESCE(s.email, '') AS email, s.custom, COALESCE(s.po_format, 'csv') AS po_format
                FROM purchase_order po LEFT JOIN supplier s ON s.supplier_ref = po.supplier_ref
                WHERE po.po_ref IN (\(marks)) ORDER BY po.po_ref
                """)
            let c = ColumnIndex(query)
            let cursor = try Row.fetchCursor(query, arguments: StatementArguments(chunk))
            while let row = try cursor.next() {
                let ref: String = row[c.po_ref]
                result.append(PurchaseOrderFactRow(poRef: ref, orderID: row[c.order_id], supplierRef: row[c.supplier_ref],
                                                   createdAt: row[c.created_at], supplierKnown: row[c.known], supplierName: row[c.name],
                                                   supplierEmail: row[c.email], supplierCustom: row[c.custom], format: row[c.po_format],
                                                   lines: lines[ref] ?? []))
            }
        }
        return result.sorted { $0.poRef < $1.poRef }
    }

    /// The ids of the orders `refs`, by ref (unknown refs are left out).
    public func orderIDs(refs: [String]) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for chunk in chunks(refs) {
            let rows = try Row.fetchCursor(db, sql: "SELECT order_ref, id FROM sales_order WHERE order_ref IN (\(databaseQuestionMarks(count: chunk.count)))",
                                           arguments: StatementArguments(chunk))
            while let row = try rows.next() { ids[row[0]] = row[1] }
        }
        return ids
    }

    /// Every line in Back Order, in the back-order report's order (`backOrderReportLines`).
    public func backOrderFactRows() throws -> [BackOrderFactRow] {
        let query = try db.makeStatement(sql: """
            SELECT l.id, l.order_id, l.stage_since, l.stage_reason, COALESCE(s.on_hand - s.allocated, 0) AS available
            \(Self.backOrderReportRows)
            """)
        let c = ColumnIndex(query)
        var rows: [BackOrderFactRow] = []
        let cursor = try Row.fetchCursor(query)
        while let row = try cursor.next() {
            rows.append(BackOrderFactRow(lineID: row[c.id], orderID: row[c.order_id], stageSince: row[c.stage_since],
                                         available: row[c.available], reason: row[c.stage_reason]))
        }
        return rows
    }
}
