import OrderModel

/// Validates mapped records into typed inputs, one feed at a time.
///
/// Every rule of the standard layout lives here, and every failure names the field,
/// the value found and what was expected. Free-text values pass through the card-number
/// redactor, so a card number typed into an address never reaches the database.
public struct RecordDecoder: Sendable {
    public var money: MoneyFormat
    public init(money: MoneyFormat = .standard) { self.money = money }

    struct Fields {
        let record: MappedRecord
        let feed: Feed
        subscript(_ name: String) -> String {
            record.values[feed.index(of: name)].trimmed
        }
        func text(_ name: String) -> String { CardNumberRedactor.redact(self[name]) }
    }

    func required(_ f: Fields, _ name: String) throws(RecordRejection) -> String {
        let value = f[name]
        guard !value.isEmpty else {
            throw .badValue(line: f.record.line, field: name, found: "", expected: "a value (the field is required)")
        }
        return CardNumberRedactor.redact(value)
    }

    func code(_ f: Fields, _ name: String) throws(RecordRejection) -> String {
        let value = try required(f, name)
        guard value.count <= 100, !value.contains(where: { $0.isNewline }) else {
            throw .badValue(line: f.record.line, field: name, found: value, expected: "a code of at most 100 characters on one line")
        }
        try visible(value, f, name)
        return value
    }

    /// A key (a code, or a warehouse) must not hold invisible characters: see `InvisibleCharacters`.
    func visible(_ value: String, _ f: Fields, _ name: String) throws(RecordRejection) {
        guard let (scalar, position) = InvisibleCharacters.first(in: value) else { return }
        let shown = String(String.UnicodeScalarView(value.unicodeScalars.map { InvisibleCharacters.isInvisible($0) ? "?" : $0 }))
        throw RecordRejection(line: f.record.line, field: name,
            message: "field \(name): found '\(RecordRejection.shown(shown))' with the invisible character \(InvisibleCharacters.describe(scalar)) at character \(position) (shown as ?), expected a code without zero-width, soft-hyphen or text-direction characters (they make equal-looking codes differ); remove it at the source")
    }

    /// An optional key (a warehouse, a product's supplier): blank, or visible like a code.
    func optionalKey(_ f: Fields, _ name: String) throws(RecordRejection) -> String? {
        let value = f[name]
        if value.isEmpty { return nil }
        try visible(value, f, name)
        return value
    }

    /// The largest quantity a file may state (order and receipt quantities, stock on hand, despatched).
    ///
    /// With money within `Money.limitMajorUnits`, stock and order sums stay far inside Int64.
    public static let quantityLimit: Int64 = 1_000_000_000
    /// Line numbers run from 1 to 999,999: the allocation queue key holds a line number in 6 digits.
    public static let lineNoLimit: Int64 = 999_999
    /// Priorities run from -1,000,000 to 1,000,000: the allocation queue key holds `1000000 - priority` in 7 digits.
    public static let priorityLimit = 1_000_000

    /// A whole number within `range`; a value beyond it (or beyond Int64) names the limit.
    func wholeNumber(_ f: Fields, _ name: String, _ range: ClosedRange<Int64>, _ expected: String) throws(RecordRejection) -> Int64 {
        let value = f[name]
        guard let n = Int64(value), range.contains(n) else {
            let digits = value.hasPrefix("-") || value.hasPrefix("+") ? value.dropFirst() : Substring(value)
            let isWhole = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
            // The limit is named when it is what the value broke (not for a 0 where more than 0 is expected).
            let outside = isWhole && (Int64(value).map { $0 > range.upperBound || ($0 < range.lowerBound && range.lowerBound < 0) } ?? true)
            let limit = outside ? " (from \(range.lowerBound) to \(range.upperBound): the engine's limit)" : ""
            throw .badValue(line: f.record.line, field: name, found: value, expected: expected + limit)
        }
        return n
    }

    /// A quantity as written: a decimal number with at most 3 decimals (`12.75`), above 0 (or from 0 when
    /// `allowZero`), up to `quantityLimit`. Whether the product allows its decimals is checked when the
    /// product is known (`QuantityCheck`).
    func quantity(_ f: Fields, _ name: String, allowZero: Bool = false) throws(RecordRejection) -> Quantity {
        let value = f[name]
        let least = allowZero ? "0 or more" : "greater than 0"
        let line = f.record.line
        guard let q = Quantity.parse(value) else {
            let plain = Self.isPlainNumber(value, fractionDigits: Quantity.maxDecimals)
            if plain, !value.trimmed.hasPrefix("-") {
                throw .badValue(line: line, field: name, found: value, expected: "a number \(least) (at most \(Self.quantityLimit): the engine's limit)")
            }
            let expected = !plain && Self.isPlainNumber(value, fractionDigits: 18)
                ? "a quantity with at most \(Quantity.maxDecimals) decimals (the engine's precision)" : "a number \(least), e.g. 3 or 12.75"
            throw .badValue(line: line, field: name, found: value, expected: expected)
        }
        guard allowZero ? q >= .zero : q > .zero else {
            throw .badValue(line: line, field: name, found: value, expected: "a number \(least), e.g. 3 or 12.75")
        }
        guard q.thousandths <= Self.quantityLimit * 1000 else {
            throw .badValue(line: line, field: name, found: value, expected: "a number \(least) (at most \(Self.quantityLimit): the engine's limit)")
        }
        return q
    }

    /// An optional unit of measure (`KGM`, `EA`), kept in capitals; nil when blank (the product's stock unit).
    func unit(_ f: Fields, _ name: String = "unit") throws(RecordRejection) -> String? {
        let value = f[name]
        if value.isEmpty { return nil }
        guard value.count <= 20, !value.contains(where: { $0.isWhitespace || $0 == "=" || $0 == ";" }) else {
            throw .badValue(line: f.record.line, field: name, found: value, expected: "a unit code of at most 20 characters without blanks, such as EA, KGM or MTR")
        }
        try visible(value, f, name)
        return UnitConversions.normalized(value)
    }

    /// A unit price: up to 4 more decimals than the currency (`0.0425`), from 0 (or, `allowNegative`, from minus
    /// the limit: a non-stock line's discount) to the money limit.
    func unitPrice(_ f: Fields, _ name: String, allowNegative: Bool = false) throws(RecordRejection) -> UnitPrice? {
        let value = f[name]
        if value.isEmpty { return nil }
        let digits = money.fractionDigits + UnitPrice.extraDecimals
        let limit = money.format(money.limit)
        let range = allowNegative ? "from -\(limit) to \(limit)" : "from 0 to \(limit)"
        guard let price = money.parseUnitPrice(value), allowNegative || price >= .zero else {
            if Self.isPlainNumber(value, fractionDigits: digits), allowNegative || !value.trimmed.hasPrefix("-") {
                throw .badValue(line: f.record.line, field: name, found: value, expected: "an amount \(range) (the engine's limit for money)")
            }
            let sign = allowNegative ? "" : " not below 0"
            throw .badValue(line: f.record.line, field: name, found: value,
                            expected: "a decimal amount\(sign) with at most \(digits) decimal places, e.g. 12.50 or 0.0425")
        }
        let (limitScaled, overflow) = money.limit.minorUnits.multipliedReportingOverflow(by: UnitPrice.scale)
        guard overflow || price.tenThousandths.magnitude <= limitScaled.magnitude else {
            throw .badValue(line: f.record.line, field: name, found: value, expected: "an amount \(range) (the engine's limit for money)")
        }
        return price
    }

    func amount(_ f: Fields, _ name: String, allowNegative: Bool) throws(RecordRejection) -> Money? {
        let value = f[name]
        if value.isEmpty { return nil }
        let limit = money.format(money.limit)
        let range = allowNegative ? "from -\(limit) to \(limit)" : "from 0 to \(limit)"
        let parsed = money.parse(value)
        guard let m = parsed, allowNegative || m.minorUnits >= 0 else {
            // A plain number that does not parse does not fit Int64 minor units: too large, not malformed.
            if parsed == nil, Self.isPlainNumber(value, fractionDigits: money.fractionDigits),
               allowNegative || !value.trimmed.hasPrefix("-") {
                throw .badValue(line: f.record.line, field: name, found: value,
                                expected: "an amount \(range) (the engine's limit for money)")
            }
            let sign = allowNegative ? "" : " not below 0"
            throw .badValue(line: f.record.line, field: name, found: value,
                            expected: "a decimal amount\(sign) with at most \(money.fractionDigits) decimal places, e.g. 12.50")
        }
        guard money.isWithinLimit(m) else {
            throw .badValue(line: f.record.line, field: name, found: value, expected: "an amount \(range) (the engine's limit for money)")
        }
        return m
    }

    /// Digits with an optional sign and at most `fractionDigits` decimals (whatever their count).
    static func isPlainNumber(_ text: String, fractionDigits: Int) -> Bool {
        var body = Substring(text.trimmed)
        if body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.count == 1 || parts[1].count <= fractionDigits else { return false }
        return parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    func flag(_ f: Fields, _ name: String) throws(RecordRejection) -> Bool {
        switch f[name].uppercased() {
        case "", "N", "NO", "0", "FALSE": return false
        case "Y", "YES", "1", "TRUE": return true
        default: throw .badValue(line: f.record.line, field: name, found: f[name], expected: "Y or N")
        }
    }

    func timestamp(_ f: Fields, _ name: String) throws(RecordRejection) -> Timestamp? {
        let value = f[name]
        if value.isEmpty { return nil }
        guard let t = Timestamp(iso8601: value) else {
            throw .badValue(line: f.record.line, field: name, found: value,
                            expected: "a date YYYY-MM-DD or an ISO 8601 date-time such as 2026-11-27T09:30:00Z")
        }
        return t
    }

    public func orderLine(_ record: MappedRecord) throws(RecordRejection) -> OrderLineInput {
        let f = Fields(record: record, feed: .orders)
        let orderRef = try code(f, "order_ref")
        do throws(RecordRejection) {
            guard let date = try timestamp(f, "order_date") else {
                throw RecordRejection.badValue(line: record.line, field: "order_date", found: "", expected: "a date (the field is required)")
            }
            let customer = try code(f, "customer_ref")
            let lineNo = Int(try wholeNumber(f, "line_no", 1...Self.lineNoLimit, "a whole number greater than 0"))
            guard let kind = LineKind(parsing: f["line_type"]) else {
                throw RecordRejection.badValue(line: record.line, field: "line_type", found: f["line_type"],
                                               expected: "stock or non-stock (blank is stock)")
            }
            // A non-stock line may name no product (gift wrap with a blank SKU) and has no product price to
            // fall back on; its price may be negative (a discount).
            let sku = kind == .stock || !f["sku"].isEmpty ? try code(f, "sku") : ""
            let quantity = try self.quantity(f, "quantity")
            let unit = try self.unit(f)
            let price = try self.unitPrice(f, "unit_price", allowNegative: kind == .nonStock)
            if kind == .nonStock && price == nil {
                throw RecordRejection.badValue(line: record.line, field: "unit_price", found: "",
                                               expected: "a price on a non-stock line (it has no product price to take), negative for a discount")
            }
            if let price {
                // The line's value is money too: quantity × price within the same limit.
                let value = try? LineValue.of(quantity, at: price)
                guard let value, money.isWithinLimit(value) else {
                    throw RecordRejection.badValue(line: record.line, field: "unit_price", found: f["unit_price"],
                        expected: "a line value (quantity \(quantity) × unit_price) of at most \(money.format(money.limit)) (the engine's limit for money)")
                }
            }
            var method: PaymentMethod? = nil
            if !f["payment_method"].isEmpty {
                guard let m = PaymentMethod(parsing: f["payment_method"]) else {
                    throw RecordRejection.badValue(line: record.line, field: "payment_method", found: f["payment_method"],
                                                   expected: "ACCOUNT, CARD or PROFORMA (or blank for the customer's terms)")
                }
                method = m
            }
            // The raw card number is reduced here and never leaves this scope.
            let card = PaymentCard(rawNumber: f["card_number"])
            var expiry: CardExpiry? = nil
            if !f["card_expiry"].isEmpty {
                guard let e = CardExpiry(parsing: f["card_expiry"]) else {
                    throw RecordRejection.badValue(line: record.line, field: "card_expiry", found: f["card_expiry"], expected: "MM/YY, e.g. 09/27")
                }
                expiry = e
            }
            let ship = ShipTo(name: f.text("ship_name"), address1: f.text("ship_address1"), address2: f.text("ship_address2"),
                              city: f.text("ship_city"), postcode: f.text("ship_postcode"), country: f.text("ship_country"))
            var priority = 0
            if !f["priority"].isEmpty {
                let limit = Int64(Self.priorityLimit)
                priority = Int(try wholeNumber(f, "priority", -limit...limit, "a whole number (higher ships first)"))
            }
            let policy = try shipPolicy(f, record)
            var line = OrderLineInput(orderRef: orderRef, orderDate: date, customerRef: customer, lineNo: lineNo, sku: sku,
                                      quantity: quantity, unitPrice: price, paymentMethod: method, card: card,
                                      cardExpiry: expiry, shipTo: ship, sourceLine: record.line, custom: record.custom,
                                      location: record.location)
            line.priority = priority
            line.shipPolicy = policy
            line.currency = try currency(f, record)
            line.unit = unit
            line.kind = kind
            line.shippingCharge = try amount(f, "shipping_charge", allowNegative: false)
            line.discount = try amount(f, "discount", allowNegative: false)
            return line
        } catch {
            var e = error
            e.location = record.location
            e.orderRef = orderRef
            e.lineNo = Int(f["line_no"])
            e.sku = f["sku"].isEmpty ? nil : CardNumberRedactor.redact(f["sku"])
            throw e
        }
    }

    public func customer(_ record: MappedRecord) throws(RecordRejection) -> CustomerInput {
        do throws(RecordRejection) { return try customerFields(record) } catch { throw error.at(record) }
    }

    func customerFields(_ record: MappedRecord) throws(RecordRejection) -> CustomerInput {
        let f = Fields(record: record, feed: .customers)
        let ref = try code(f, "customer_ref")
        guard let terms = PaymentMethod(parsing: f["terms"]) else {
            throw .badValue(line: record.line, field: "terms", found: f["terms"], expected: "ACCOUNT, CARD or PROFORMA")
        }
        let limit = try amount(f, "credit_limit", allowNegative: false) ?? .zero
        let balance = try amount(f, "balance", allowNegative: true) ?? .zero
        var customer = CustomerInput(customerRef: ref, name: f.text("name"), terms: terms, creditLimit: limit, balance: balance,
                                     onStop: try flag(f, "on_stop"), email: f.text("email"), address1: f.text("address1"),
                                     address2: f.text("address2"), city: f.text("city"), postcode: f.text("postcode"),
                                     country: f.text("country"), sourceLine: record.line, custom: record.custom)
        customer.shipPolicy = try shipPolicy(f, record)
        customer.currency = try currency(f, record)
        return customer
    }

    public func product(_ record: MappedRecord) throws(RecordRejection) -> ProductInput {
        do throws(RecordRejection) { return try productFields(record) } catch { throw error.at(record) }
    }

    func productFields(_ record: MappedRecord) throws(RecordRejection) -> ProductInput {
        let f = Fields(record: record, feed: .products)
        let sku = try code(f, "sku")
        let price = try self.unitPrice(f, "unit_price") ?? .zero
        let dropShip = try flag(f, "drop_ship")
        let supplier = try optionalKey(f, "supplier_ref") ?? ""
        if dropShip && supplier.isEmpty {
            throw .badValue(line: record.line, field: "supplier_ref", found: "",
                            expected: "a supplier for a drop-ship product (drop_ship is Y)")
        }
        let cost = try self.unitPrice(f, "supplier_cost")
        let warehouse = try optionalKey(f, "warehouse")
        var product = ProductInput(sku: sku, description: f.text("description"), category: f.text("category"), unitPrice: price,
                                   dropShip: dropShip, supplierRef: supplier.isEmpty ? nil : supplier, supplierCost: cost,
                                   warehouse: warehouse, binLocation: f.text("bin_location"),
                                   sourceLine: record.line, custom: record.custom)
        product.stockUnit = try self.unit(f, "stock_unit") ?? "EA"
        if !f["quantity_decimals"].isEmpty {
            product.quantityDecimals = Int(try wholeNumber(f, "quantity_decimals", 0...Int64(Quantity.maxDecimals),
                                                           "a whole number of decimals from 0 to \(Quantity.maxDecimals)"))
        }
        switch UnitConversions.parse(productUnits: f["units"], stockUnit: product.stockUnit) {
        case .success(let units): product.units = units
        case .failure(let failure):
            throw .badValue(line: record.line, field: "units", found: f["units"],
                            expected: "conversions into the stock unit such as CS=12;BX=6 (one CS is 12 \(product.stockUnit)); '\(failure.entry)' is not UNIT=NUMBER with a number above 0")
        }
        return product
    }

    /// An optional ISO 4217 code, in either case (`eur` is EUR).
    func currency(_ f: Fields, _ record: MappedRecord) throws(RecordRejection) -> CurrencyCode? {
        let text = f["currency"]
        if text.isEmpty { return nil }
        guard let code = CurrencyCode(text) else {
            throw .badValue(line: record.line, field: "currency", found: text, expected: "a three-letter ISO 4217 currency code such as GBP, EUR or USD")
        }
        return code
    }

    func shipPolicy(_ f: Fields, _ record: MappedRecord) throws(RecordRejection) -> ShipPolicy? {
        let text = f["ship_policy"]
        if text.isEmpty { return nil }
        guard let policy = ShipPolicy(parsing: text) else {
            throw .badValue(line: record.line, field: "ship_policy", found: text, expected: "part, complete or part-after:N (days)")
        }
        return policy
    }

    public func stockCount(_ record: MappedRecord) throws(RecordRejection) -> StockCountInput {
        let f = Fields(record: record, feed: .stock)
        do throws(RecordRejection) {
            let sku = try code(f, "sku")
            let onHand = try self.quantity(f, "on_hand", allowZero: true)
            let warehouse = try optionalKey(f, "warehouse")
            var count = StockCountInput(sku: sku, warehouse: warehouse, onHand: onHand,
                                        countedAt: try timestamp(f, "counted_at"), sourceLine: record.line)
            count.unit = try self.unit(f)
            return count
        } catch { throw error.at(record) }
    }

    public func despatch(_ record: MappedRecord) throws(RecordRejection) -> DespatchInput {
        let f = Fields(record: record, feed: .despatches)
        do throws(RecordRejection) {
            let pickList = try code(f, "pick_list_ref")
            let order = try code(f, "order_ref")
            let lineNo = Int(try wholeNumber(f, "line_no", 1...Self.lineNoLimit, "a whole number greater than 0"))
            let quantity = try self.quantity(f, "quantity_despatched", allowZero: true)
            var input = DespatchInput(pickListRef: pickList, orderRef: order, lineNo: lineNo, quantity: quantity, sourceLine: record.line)
            input.unit = try self.unit(f)
            return input
        } catch { throw error.at(record) }
    }

    public func cancellation(_ record: MappedRecord) throws(RecordRejection) -> CancellationInput {
        let f = Fields(record: record, feed: .cancellations)
        do throws(RecordRejection) {
            let order = try code(f, "order_ref")
            var lineNo: Int? = nil
            if !f["line_no"].isEmpty {
                lineNo = Int(try wholeNumber(f, "line_no", 1...Self.lineNoLimit, "a whole number greater than 0, or blank for the whole order"))
            }
            return CancellationInput(orderRef: order, lineNo: lineNo, sourceLine: record.line)
        } catch { throw error.at(record) }
    }

    public func supplier(_ record: MappedRecord) throws(RecordRejection) -> SupplierInput {
        do throws(RecordRejection) { return try supplierFields(record) } catch { throw error.at(record) }
    }

    func supplierFields(_ record: MappedRecord) throws(RecordRejection) -> SupplierInput {
        let f = Fields(record: record, feed: .suppliers)
        let ref = try code(f, "supplier_ref")
        let formatText = f["po_format"].lowercased()
        guard let format = formatText.isEmpty ? .csv : SupplierInput.POFormat(rawValue: formatText) else {
            throw .badValue(line: record.line, field: "po_format", found: f["po_format"], expected: "csv, xml or the name of an output mapping (letters, digits, - and _)")
        }
        return SupplierInput(supplierRef: ref, name: f.text("name"), email: f.text("email"), poFormat: format,
                             sourceLine: record.line, custom: record.custom)
    }

    public func receipt(_ record: MappedRecord) throws(RecordRejection) -> ReceiptInput {
        do throws(RecordRejection) { return try receiptFields(record) } catch { throw error.at(record) }
    }

    func receiptFields(_ record: MappedRecord) throws(RecordRejection) -> ReceiptInput {
        let f = Fields(record: record, feed: .receipts)
        let ref = try code(f, "receipt_ref")
        let sku = try code(f, "sku")
        let quantity = try self.quantity(f, "quantity")
        let warehouse = try optionalKey(f, "warehouse")
        var receipt = ReceiptInput(receiptRef: ref, sku: sku, quantity: quantity, warehouse: warehouse,
                                   receivedAt: try timestamp(f, "received_at"), sourceLine: record.line, custom: record.custom)
        receipt.unit = try self.unit(f)
        return receipt
    }
}

extension RecordRejection {
    func at(_ record: MappedRecord) -> RecordRejection {
        var copy = self
        copy.location = record.location
        return copy
    }
}
