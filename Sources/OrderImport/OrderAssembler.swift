/// Groups order rows into whole orders, all or nothing.
///
/// An order's header values (date, customer, payment, ship-to) are taken from its first
/// row; a later row that states a different value is a contradiction and rejects the
/// order, as does any malformed row or a repeated line number. Rows of one order need
/// not be adjacent.
public struct OrderAssembler: Sendable {
    private var order: [String] = []
    private var rows: [String: [OrderLineInput]] = [:]
    private var failures: [String: [RecordRejection]] = [:]

    public init() {}

    public mutating func add(_ line: OrderLineInput) {
        if rows[line.orderRef] == nil && failures[line.orderRef] == nil { order.append(line.orderRef) }
        rows[line.orderRef, default: []].append(line)
    }

    /// Records a malformed row; `rejection.orderRef` ties it to its order when known.
    public mutating func add(_ rejection: RecordRejection) {
        guard let ref = rejection.orderRef else { return }
        if rows[ref] == nil && failures[ref] == nil { order.append(ref) }
        failures[ref, default: []].append(rejection)
    }

    /// The orders in first-seen order, each either whole or with the reasons it was rejected.
    public func finish() -> [Result<OrderInput, OrderRejection>] {
        order.map { ref in
            let lines = rows[ref] ?? []
            var problems = failures[ref] ?? []
            if let first = lines.first {
                var seen: [Int: Int] = [:]
                for line in lines {
                    if let earlier = seen[line.lineNo] {
                        problems.append(RecordRejection(line: line.sourceLine, field: "line_no",
                            message: "field line_no: found \(line.lineNo) again, expected each line number once per order (first at line \(earlier))",
                            orderRef: ref, lineNo: line.lineNo, sku: line.sku))
                    } else {
                        seen[line.lineNo] = line.sourceLine
                    }
                    for (field, value, expected) in Self.headerValues(line, first) where value != expected {
                        problems.append(RecordRejection(line: line.sourceLine, field: field,
                            message: "field \(field): found '\(value)', expected '\(expected)' as on the order's first line (line \(first.sourceLine))",
                            orderRef: ref, lineNo: line.lineNo, sku: line.sku))
                    }
                }
            }
            guard problems.isEmpty, let first = lines.first else {
                let total = lines.count + (failures[ref]?.count ?? 0)
                return .failure(OrderRejection(orderRef: ref, lineCount: total, problems: problems.sorted { $0.line < $1.line }))
            }
            return .success(OrderInput(orderRef: ref, orderDate: first.orderDate, customerRef: first.customerRef,
                                       paymentMethod: first.paymentMethod, card: first.card, cardExpiry: first.cardExpiry,
                                       shipTo: first.shipTo, sourceLine: first.sourceLine,
                                       lines: lines.sorted { $0.lineNo < $1.lineNo }))
        }
    }

    /// Header fields a later row may repeat but not contradict (blank means "same as the first row").
    static func headerValues(_ line: OrderLineInput, _ first: OrderLineInput) -> [(String, String, String)] {
        var result: [(String, String, String)] = [
            ("order_date", line.orderDate.description, first.orderDate.description),
            ("customer_ref", line.customerRef, first.customerRef),
        ]
        if let m = line.paymentMethod { result.append(("payment_method", m.rawValue, first.paymentMethod?.rawValue ?? "")) }
        let ship: [(String, KeyPath<ShipTo, String>)] = [
            ("ship_name", \.name), ("ship_address1", \.address1), ("ship_address2", \.address2),
            ("ship_city", \.city), ("ship_postcode", \.postcode), ("ship_country", \.country),
        ]
        for (name, path) in ship where !line.shipTo[keyPath: path].isEmpty {
            result.append((name, line.shipTo[keyPath: path], first.shipTo[keyPath: path]))
        }
        return result
    }
}

/// An order refused as a whole, with every problem found in its rows.
public struct OrderRejection: Error, Sendable, Hashable {
    public var orderRef: String
    public var lineCount: Int
    public var problems: [RecordRejection]
}
