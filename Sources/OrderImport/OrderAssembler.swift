import OrderModel

/// Groups order rows into whole orders, all or nothing, as the rows stream by.
///
/// An order's rows are adjacent in every export we know, so an order is complete as soon as a
/// row of another order appears: memory holds one order, however large the file. An order's
/// header values (date, customer, payment, ship-to) are taken from its first row; a later row
/// that states a different value is a contradiction and rejects the order, as does any
/// malformed row or a repeated line number. (A row of an order that was already completed
/// earlier in the file is caught by the importer, which then refuses that order whole.)
public struct OrderAssembler: Sendable {
    private var currentRef: String?
    private var rows: [OrderLineInput] = []
    private var failures: [RecordRejection] = []

    /// How a contradicting amount (`shipping_charge`, `discount`) is written in a rejection.
    private let money: MoneyFormat

    public init(money: MoneyFormat = .standard) { self.money = money }

    /// Adds a valid row; returns the previous order when this row starts a new one.
    public mutating func add(_ line: OrderLineInput) -> Result<OrderInput, OrderRejection>? {
        let done = line.orderRef == currentRef ? nil : finish()
        currentRef = line.orderRef
        rows.append(line)
        return done
    }

    /// Adds a malformed row tied to its order; returns the previous order when this row starts a new one.
    public mutating func add(_ rejection: RecordRejection) -> Result<OrderInput, OrderRejection>? {
        guard let ref = rejection.orderRef else { return nil }
        let done = ref == currentRef ? nil : finish()
        currentRef = ref
        failures.append(rejection)
        return done
    }

    /// Completes the order in hand, if any.
    public mutating func finish() -> Result<OrderInput, OrderRejection>? {
        guard let ref = currentRef else { return nil }
        defer { currentRef = nil; rows = []; failures = [] }
        var problems = failures
        if let first = rows.first {
            var seen: [Int: Int] = [:]
            for line in rows {
                if let earlier = seen[line.lineNo] {
                    problems.append(RecordRejection(line: line.sourceLine, field: "line_no",
                        message: "field line_no: found \(line.lineNo) again, expected each line number once per order (first at line \(earlier))",
                        orderRef: ref, lineNo: line.lineNo, sku: line.sku))
                } else {
                    seen[line.lineNo] = line.sourceLine
                }
                for (field, value, expected) in Self.headerValues(line, first, money: money) where value != expected {
                    var p = RecordRejection(line: line.sourceLine, field: field,
                        message: "field \(field): found '\(value)', expected '\(expected)' as on the order's first line (line \(first.sourceLine))",
                        orderRef: ref, lineNo: line.lineNo, sku: line.sku)
                    p.location = line.location
                    problems.append(p)
                }
            }
        }
        guard problems.isEmpty, let first = rows.first else {
            return .failure(OrderRejection(orderRef: ref, lineCount: rows.count + failures.count,
                                           problems: problems.sorted { $0.line < $1.line }))
        }
        return .success(OrderInput(orderRef: ref, orderDate: first.orderDate, customerRef: first.customerRef,
                                   paymentMethod: first.paymentMethod, card: first.card, cardExpiry: first.cardExpiry,
                                   shipTo: first.shipTo, sourceLine: first.sourceLine,
                                   priority: first.priority, shipPolicy: first.shipPolicy, currency: first.currency,
                                   shippingCharge: first.shippingCharge, discount: first.discount,
                                   lines: rows.sorted { $0.lineNo < $1.lineNo },
                                   custom: first.custom.filter { $0.key.hasPrefix("order.") }))
    }

    /// Header fields a later row may repeat but not contradict (blank means "same as the first row").
    /// Compared field by field; the list of mismatches is only built when there is one.
    static func headerValues(_ line: OrderLineInput, _ first: OrderLineInput, money: MoneyFormat) -> [(String, String, String)] {
        let a = line.shipTo, b = first.shipTo
        let same = line.orderDate == first.orderDate && line.customerRef == first.customerRef
            && (line.paymentMethod == nil || line.paymentMethod == first.paymentMethod)
            && (line.currency == nil || line.currency == first.currency)
            && (line.shippingCharge == nil || line.shippingCharge == first.shippingCharge)
            && (line.discount == nil || line.discount == first.discount)
            && (a.name.isEmpty || a.name == b.name) && (a.address1.isEmpty || a.address1 == b.address1)
            && (a.address2.isEmpty || a.address2 == b.address2) && (a.city.isEmpty || a.city == b.city)
            && (a.postcode.isEmpty || a.postcode == b.postcode) && (a.country.isEmpty || a.country == b.country)
        if same { return [] }
        var result: [(String, String, String)] = []
        if line.orderDate != first.orderDate {
            result.append(("order_date", line.orderDate.description, first.orderDate.description))
        }
        if line.customerRef != first.customerRef { result.append(("customer_ref", line.customerRef, first.customerRef)) }
        if let m = line.paymentMethod { result.append(("payment_method", m.rawValue, first.paymentMethod?.rawValue ?? "")) }
        if let c = line.currency { result.append(("currency", c.code, first.currency?.code ?? "")) }
        if let m = line.shippingCharge { result.append(("shipping_charge", money.format(m), first.shippingCharge.map(money.format) ?? "")) }
        if let m = line.discount { result.append(("discount", money.format(m), first.discount.map(money.format) ?? "")) }
        let ship: [(String, KeyPath<ShipTo, String>)] = [
            ("ship_name", \.name), ("ship_address1", \.address1), ("ship_address2", \.address2),
            ("ship_city", \.city), ("ship_postcode", \.postcode), ("ship_country", \.country),
        ]
        for (name, path) in ship where !line.shipTo[keyPath: path].isEmpty {
            result.append((name, line.shipTo[keyPath: path], first.shipTo[keyPath: path]))
        }
        return result.filter { $0.1 != $0.2 }
    }
}

/// An order refused as a whole, with every problem found in its rows.
public struct OrderRejection: Error, Sendable, Hashable {
    public var orderRef: String
    public var lineCount: Int
    public var problems: [RecordRejection]
    public init(orderRef: String, lineCount: Int, problems: [RecordRejection]) {
        self.orderRef = orderRef; self.lineCount = lineCount; self.problems = problems
    }

    /// Each problem as reported: tied to the order, and saying that the whole order is rejected.
    public var reportedProblems: [RecordRejection] {
        problems.map { problem in
            var p = problem
            p.orderRef = orderRef
            p.message += "; the whole order \(orderRef) (\(lineCount) lines) is rejected"
            return p
        }
    }
}
