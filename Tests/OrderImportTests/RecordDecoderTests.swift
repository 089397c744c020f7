import Testing
import OrderModel
@testable import OrderImport

@Suite struct RecordDecoderTests {
    func orderRecord(_ values: [String: String], line: Int = 7) -> MappedRecord {
        MappedRecord(line: line, values: Feed.orders.fields.map { values[$0.name] ?? "" })
    }

    let valid = ["order_ref": "SO1", "order_date": "2026-11-26", "customer_ref": "C1", "line_no": "1", "sku": "A", "quantity": "3"]

    @Test func decodesAValidLine() throws {
        var values = valid
        values["unit_price"] = "4.20"
        values["payment_method"] = "card"
        values["card_number"] = "4111111111111111"
        values["card_expiry"] = "01/28"
        let line = try RecordDecoder().orderLine(orderRecord(values))
        #expect(line.quantity == 3)
        #expect(line.unitPrice == UnitPrice(tenThousandths: 4_200_000))
        #expect(line.paymentMethod == .card)
        #expect(line.card == PaymentCard(status: .valid, lastFour: "1111"))
        #expect(line.cardExpiry == CardExpiry(year: 2028, month: 1))
    }

    @Test(arguments: [
        ("quantity", "0", "field quantity: found '0', expected a number greater than 0, e.g. 3 or 12.75"),
        ("quantity", "1.2345", "field quantity: found '1.2345', expected a quantity with at most 3 decimals (the engine's precision)"),
        ("quantity", "12 kg", "field quantity: found '12 kg', expected a number greater than 0, e.g. 3 or 12.75"),
        ("unit", "K G", "field unit: found 'K G', expected a unit code of at most 20 characters without blanks, such as EA, KGM or MTR"),
        ("order_date", "26/11/2026", "field order_date: found '26/11/2026', expected a date YYYY-MM-DD"),
        ("unit_price", "-1", "field unit_price: found '-1', expected a decimal amount not below 0"),
        ("payment_method", "CHEQUE", "field payment_method: found 'CHEQUE', expected ACCOUNT, CARD or PROFORMA"),
        ("card_expiry", "2027-01", "field card_expiry: found '2027-01', expected MM/YY"),
        ("sku", "", "field sku: found '', expected a value (the field is required)"),
    ])
    func namesTheFieldTheValueAndWhatWasExpected(field: String, value: String, message: String) {
        var values = valid
        values[field] = value
        #expect {
            _ = try RecordDecoder().orderLine(orderRecord(values))
        } throws: { error in
            let rejection = error as! RecordRejection
            return rejection.message.hasPrefix(message) && rejection.line == 7 && rejection.orderRef == "SO1"
        }
    }

    @Test func aCardNumberIsNeverEchoedInAnError() {
        var values = valid
        values["quantity"] = "4111111111111111"
        #expect {
            _ = try RecordDecoder().orderLine(orderRecord(values))
        } throws: { !($0 as! RecordRejection).message.contains("4111111111111111") }
    }

    @Test func freeTextIsStrippedOfCardNumbers() throws {
        var values = valid
        values["ship_name"] = "J Smith 4111 1111 1111 1111"
        let line = try RecordDecoder().orderLine(orderRecord(values))
        #expect(line.shipTo.name == "J Smith **** **** **** 1111")
    }
}

@Suite struct OrderAssemblerTests {
    func line(_ ref: String, _ no: Int, customer: String = "C1", sourceLine: Int) -> OrderLineInput {
        OrderLineInput(orderRef: ref, orderDate: Timestamp(iso8601: "2026-11-26")!, customerRef: customer, lineNo: no, sku: "A",
                       quantity: 1, unitPrice: nil, paymentMethod: nil, card: PaymentCard(rawNumber: ""), cardExpiry: nil,
                       shipTo: ShipTo(), sourceLine: sourceLine)
    }

    @Test func anOrderIsCompleteWhenTheNextOrderStarts() throws {
        var assembler = OrderAssembler()
        #expect(assembler.add(line("A", 2, sourceLine: 2)) == nil)
        #expect(assembler.add(line("A", 1, sourceLine: 3)) == nil)
        let next = assembler.add(line("B", 1, sourceLine: 4))
        let a = try #require(next).get()
        #expect(a.orderRef == "A")
        #expect(a.lines.map(\.lineNo) == [1, 2])
        #expect(a.sourceLine == 2)
        let last = assembler.finish()
        let b = try #require(last).get()
        #expect(b.orderRef == "B")
        #expect(assembler.finish() == nil)
    }

    @Test func oneBadRowRejectsTheWholeOrder() {
        var assembler = OrderAssembler()
        _ = assembler.add(line("A", 1, sourceLine: 2))
        _ = assembler.add(RecordRejection(line: 3, field: "quantity", message: "bad", orderRef: "A"))
        guard case .failure(let rejection)? = assembler.finish() else { Issue.record("expected a rejection"); return }
        #expect(rejection.lineCount == 2)
        #expect(rejection.problems.map(\.line) == [3])
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func matchesTheStandardVectors(input: String, digest: String) {
        #expect(Array(input.utf8).withUnsafeBufferPointer { SHA256.hex($0) } == digest)
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var hasher = SHA256()
        for chunk in stride(from: 0, to: data.count, by: 37) { hasher.update(Array(data[chunk..<min(chunk + 37, data.count)])) }
        #expect(hasher.finalizeHex() == data.withUnsafeBufferPointer { SHA256.hex($0) })
    }
}

/// The import's limits: a value beyond one names it.
extension RecordDecoderTests {
    @Test(arguments: [
        ("quantity", "1000000001", "field quantity: found '1000000001', expected a number greater than 0 (at most 1000000000: the engine's limit)"),
        ("quantity", "99999999999999999999", "field quantity: found '99999999999999999999', expected a number greater than 0 (at most 1000000000: the engine's limit)"),
        ("line_no", "1000000", "field line_no: found '1000000', expected a whole number greater than 0 (from 1 to 999999: the engine's limit)"),
        ("priority", "-9223372036854775808", "field priority: found '-9223372036854775808', expected a whole number (higher ships first) (from -1000000 to 1000000: the engine's limit)"),
        ("priority", "1000001", "field priority: found '1000001', expected a whole number (higher ships first) (from -1000000 to 1000000: the engine's limit)"),
        ("unit_price", "1000000000000.01", "field unit_price: found '1000000000000.01', expected an amount from 0 to 1000000000000.00 (the engine's limit for money)"),
        ("unit_price", "92233720368547758.07", "field unit_price: found '92233720368547758.07', expected an amount from 0 to 1000000000000.00 (the engine's limit for money)"),
        ("unit_price", "92233720368547758.08", "field unit_price: found '92233720368547758.08', expected an amount from 0 to 1000000000000.00 (the engine's limit for money)"),
        ("unit_price", "12.3456789", "field unit_price: found '12.3456789', expected a decimal amount not below 0 with at most 6 decimal places"),
    ])
    func aValueBeyondItsLimitNamesTheLimit(field: String, value: String, message: String) {
        var values = valid
        values[field] = value
        #expect {
            _ = try RecordDecoder().orderLine(orderRecord(values))
        } throws: { error in
            guard let rejection = error as? RecordRejection else { return false }
            return rejection.message.hasPrefix(message) && rejection.field == field && rejection.line == 7
        }
    }

    @Test func theLimitsThemselvesAreAccepted() throws {
        var values = valid
        values["quantity"] = "1"
        values["unit_price"] = "1000000000000.00"
        values["line_no"] = "999999"
        values["priority"] = "-1000000"
        let line = try RecordDecoder().orderLine(orderRecord(values))
        #expect(line.unitPrice == UnitPrice(Money(minorUnits: 100_000_000_000_000)))
        #expect(line.priority == -1_000_000)
        #expect(line.lineNo == 999_999)
    }

    @Test func aLineValueBeyondTheLimitIsRejectedThoughEachPartIsWithin() {
        var values = valid
        values["quantity"] = "1000000000"
        values["unit_price"] = "1000.01"
        #expect {
            _ = try RecordDecoder().orderLine(orderRecord(values))
        } throws: { error in
            (error as? RecordRejection)?.message == "field unit_price: found '1000.01', expected a line value (quantity 1000000000 × unit_price) of at most 1000000000000.00 (the engine's limit for money)"
        }
    }

    @Test func masterDataAmountsAndCountsHaveTheirLimits() {
        func customer(_ limit: String, _ balance: String) -> MappedRecord {
            let values = ["customer_ref": "C1", "terms": "ACCOUNT", "credit_limit": limit, "balance": balance]
            return MappedRecord(line: 3, values: Feed.customers.fields.map { values[$0.name] ?? "" })
        }
        #expect(throws: RecordRejection.self) { try RecordDecoder().customer(customer("1000000000000.01", "0")) }
        #expect(throws: RecordRejection.self) { try RecordDecoder().customer(customer("0", "-1000000000000.01")) }
        #expect((try? RecordDecoder().customer(customer("1000000000000", "-1000000000000"))) != nil)
        let stock = MappedRecord(line: 2, values: Feed.stock.fields.map { ["sku": "A", "on_hand": "1000000001"][$0.name] ?? "" })
        #expect(throws: RecordRejection.self) { try RecordDecoder().stockCount(stock) }
        let despatch = MappedRecord(line: 2, values: Feed.despatches.fields.map {
            ["pick_list_ref": "PL-1", "order_ref": "O1", "line_no": "1", "quantity_despatched": "9223372036854775807"][$0.name] ?? ""
        })
        #expect(throws: RecordRejection.self) { try RecordDecoder().despatch(despatch) }
    }
}
