import Testing
@testable import OrderImport

@Suite struct InvisibleCharactersTests {
    @Test(arguments: ["\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202E}", "\u{2060}", "\u{2064}",
                      "\u{2066}", "\u{2069}", "\u{FEFF}", "\u{00AD}"])
    func aKeyWithAnInvisibleCharacterIsRejectedNamingIt(invisible: String) {
        let values = ["order_ref": "SO\(invisible)-1001", "order_date": "2026-11-26", "customer_ref": "C1", "line_no": "1", "sku": "A", "quantity": "3"]
        let record = MappedRecord(line: 4, values: Feed.orders.fields.map { values[$0.name] ?? "" })
        let scalar = invisible.unicodeScalars.first!
        #expect {
            _ = try RecordDecoder().orderLine(record)
        } throws: { error in
            let rejection = error as! RecordRejection
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return rejection.field == "order_ref" && rejection.line == 4
                && rejection.message.contains("U+\(String(repeating: "0", count: 4 - hex.count))\(hex)")
                && rejection.message.contains("at character 3") && rejection.message.contains("'SO?-1001'")
        }
    }

    @Test func namesTheCharacter() {
        #expect(InvisibleCharacters.describe("\u{200B}") == "U+200B (ZERO WIDTH SPACE)")
        #expect(InvisibleCharacters.describe("\u{AD}") == "U+00AD (SOFT HYPHEN)")
    }

    @Test func plainAndAccentedKeysPass() {
        #expect(InvisibleCharacters.first(in: "SO-1001") == nil)
        #expect(InvisibleCharacters.first(in: "Café-Ü") == nil)
        #expect(InvisibleCharacters.first(in: "A\u{2066}B")?.position == 2)
    }

    @Test func everyKeyFieldIsChecked() {
        let decoder = RecordDecoder()
        func record(_ feed: Feed, _ values: [String: String]) -> MappedRecord {
            MappedRecord(line: 2, values: feed.fields.map { values[$0.name] ?? "" })
        }
        let z = "\u{200B}"
        let cases: [(String, () throws -> Void)] = [
            ("sku", { _ = try decoder.receipt(record(.receipts, ["receipt_ref": "R1", "sku": "A\(z)", "quantity": "1"])) }),
            ("receipt_ref", { _ = try decoder.receipt(record(.receipts, ["receipt_ref": "R\(z)1", "sku": "A", "quantity": "1"])) }),
            ("warehouse", { _ = try decoder.receipt(record(.receipts, ["receipt_ref": "R1", "sku": "A", "quantity": "1", "warehouse": "MA\(z)IN"])) }),
            ("customer_ref", { _ = try decoder.customer(record(.customers, ["customer_ref": "C\(z)1", "terms": "ACCOUNT"])) }),
            ("supplier_ref", { _ = try decoder.supplier(record(.suppliers, ["supplier_ref": "S\(z)1"])) }),
            ("supplier_ref", { _ = try decoder.product(record(.products, ["sku": "A", "supplier_ref": "S\(z)1"])) }),
            ("pick_list_ref", { _ = try decoder.despatch(record(.despatches, ["pick_list_ref": "PL\(z)1", "order_ref": "O1", "line_no": "1", "quantity_despatched": "1"])) }),
        ]
        for (field, decode) in cases {
            #expect(throws: RecordRejection.self) { try decode() }
            do { try decode() } catch let rejection as RecordRejection { #expect(rejection.field == field) } catch {}
        }
    }
}
