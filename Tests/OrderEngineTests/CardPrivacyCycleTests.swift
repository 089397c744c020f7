import Foundation
import GRDB
import Testing
import OrderEngine
import OrderImport
import TestSupport

/// Issue 13 §3: no full card number in any file the engine keeps, stores or prints, whatever the feed,
/// the encoding or the way the number is written.
@Suite struct CardPrivacyCycleTests {
    /// Every regular file of the home (the database checkpointed first), read as UTF-8 and, where it
    /// looks like UTF-16, as UTF-16 too, with XML comments and CDATA markers taken out.
    func assertNoneOf(_ numbers: [String], in home: TestHome, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        try home.engine().database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        for file in home.allFiles() {
            let bytes = [UInt8](try Data(contentsOf: file))
            var texts = [String(decoding: bytes, as: UTF8.self)]
            if bytes.count >= 2 {
                let little = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
                let big = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
                texts += [String(decoding: little, as: UTF16.self), String(decoding: big, as: UTF16.self)]
            }
            for text in texts {
                let plain = text.replacingOccurrences(of: "<![CDATA[", with: "").replacingOccurrences(of: "]]>", with: "")
                    .replacingOccurrences(of: #"<!--[^>]*-->"#, with: "", options: .regularExpression)
                let digitsOnly = plain.filter { $0.isASCII && $0.isNumber || $0 == "\n" || $0 == "," }
                for number in numbers {
                    #expect(!plain.contains(number) && !digitsOnly.contains(number), "\(number) found in \(file.path)",
                            sourceLocation: sourceLocation)
                }
            }
        }
    }

    func shipName(_ ref: String, _ home: TestHome) throws -> String? {
        try home.engine().database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT ship_name FROM sales_order WHERE order_ref = ?", arguments: [ref])
        }
    }

    func seed(_ home: TestHome) throws {
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,50,,"]))
    }

    @Test func aFileThatYieldedNoCardIsStillMaskedInTheArchive() throws {
        let home = try TestHome()
        try seed(home)
        // A card in an extra column the mapping does not read.
        try home.drop("orders", "extra.csv", TestHome.orderHeaderWithNote + "\n"
            + Sample.line("O1", sku: "SKU1") + ",card 4111111111111111\n")
        // A ragged row: its card field fails Luhn, so only being the card field gets it masked.
        try home.drop("orders", "ragged.csv", Sample.orders([Sample.line("O2", sku: "SKU1"),
                                                             "O3,2026-11-26,C1,1,SKU1,1,,CARD,4111111111111112,12/27,,,"]))
        // Every row rejected (no such date), with a valid and an invalid card.
        try home.drop("orders", "rejected.csv", Sample.orders([
            Sample.line("O4", date: "not a date", sku: "SKU1", card: "5555555555554444", expiry: "12/27"),
            Sample.line("O5", date: "not a date", sku: "SKU1", card: "5555555555554443", expiry: "12/27"),
        ]))
        try home.cycle()
        #expect(home.exists("archive/orders/extra.csv") && home.exists("archive/orders/ragged.csv") && home.exists("archive/orders/rejected.csv"))
        try assertNoneOf(["4111111111111111", "4111111111111112", "5555555555554444", "5555555555554443"], in: home)
        let extra = try home.read("archive/orders/extra.csv")
        #expect(extra.hasSuffix(",card ************1111\n"))
        #expect(try home.read("archive/orders/ragged.csv").contains(",************1112,"))
    }

    @Test func aUTF16FileIsMaskedInItsOwnEncoding() throws {
        let home = try TestHome()
        try seed(home)
        let text = Sample.orders([Sample.line("O1", sku: "SKU1", card: "4111 1111 1111 1111", expiry: "12/27", shipName: "Pay 5555555555554444")])
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let url = try home.drop("orders", "wide.csv", "")
        try Data(bytes).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: url.path)
        try home.cycle()
        #expect(try home.order("O1").cardLast4 == "1111")
        let archived = [UInt8](try Data(contentsOf: home.root.appendingPathComponent("archive/orders/wide.csv")))
        #expect(archived.count == bytes.count)
        let units = stride(from: 2, to: archived.count, by: 2).map { UInt16(archived[$0]) | UInt16(archived[$0 + 1]) << 8 }
        let decoded = String(decoding: units, as: UTF16.self)
        #expect(decoded.contains(",**** **** **** 1111,12/27,Pay ************4444,"))
        try assertNoneOf(["4111111111111111", "5555555555554444"], in: home)
    }

    @Test func numbersSeparatedByDotsAreMaskedInTheDatabaseAndThePickList() throws {
        let home = try TestHome()
        try seed(home)
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "SKU1", shipName: "Ref 4111.1111.1111.1111")]))
        try home.cycle()
        #expect(try shipName("O1", home) == "Ref ****.****.****.1111")
        let row = try #require(try home.csvRows("outbox/picklists/PL-000001-MAIN.csv").first)
        #expect(row["ship_name"] == "Ref ****.****.****.1111")
        try assertNoneOf(["4111.1111.1111.1111", "4111111111111111"], in: home)
    }

    @Test func anXMLNumberSplitByMarkupIsMaskedInTheArchiveAndTheDatabase() throws {
        let home = try TestHome()
        try seed(home)
        try Data("""
            feed: orders
            inbox: xml-orders
            pattern: "*.xml"
            format: xml
            xml:
              record: /Orders/Order
            fields:
              order_ref: Ref
              order_date: Date
              customer_ref: Customer
              line_no: Line
              sku: Sku
              quantity: Qty
              payment_method: Pay
              card_number: Card
              card_expiry: Expiry
              ship_name: Name
            """.utf8).write(to: home.home.mappings.appendingPathComponent("xml-orders.yaml"))
        try home.drop("xml-orders", "o.xml", """
            <?xml version="1.0"?>
            <Orders>
              <Order><Ref>X1</Ref><Date>2026-11-26</Date><Customer>C1</Customer><Line>1</Line><Sku>SKU1</Sku><Qty>1</Qty>
                <Pay>CARD</Pay><Card><![CDATA[4111]]>1111<![CDATA[1111]]>1111</Card><Expiry>12/27</Expiry>
                <Name>Pay 5555<!-- split -->5555 5555 4444</Name></Order>
              <Order><Ref>X2</Ref><Date>2026-11-26</Date><Customer>C1</Customer><Line>1</Line><Sku>SKU1</Sku><Qty>1</Qty>
                <Name>Card &#52;012888888881881</Name></Order>
            </Orders>
            """)
        try home.cycle()
        let x1 = try home.order("X1")
        #expect(x1.cardLast4 == "1111")
        #expect(try shipName("X1", home) == "Pay ******** **** 4444") // the parsed text, without the comment
        #expect(try shipName("X2", home) == "Card ************1881")
        try assertNoneOf(["4111111111111111", "5555555555554444", "4012888888881881"], in: home)
        let archived = try home.read("archive/xml-orders/o.xml")
        #expect(archived.contains("<Name>Pay ****<!-- split -->**** **** 4444</Name>"))
        #expect(archived.contains("<Name>Card ****************1881</Name>"))
    }

    @Test func customersAndProductsAreMaskedIncludingTheWarehouse() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers(["C1,Pay 4111 1111 1111 1111,ACCOUNT,100,0,N,,1 Road,,Town,AB1,GB"]))
        try home.drop("products", "p.csv", Sample.products(["SKU1,Item,General,1.00,N,,,5555555555554444,A-01"]))
        try home.cycle()
        let warehouse = try home.engine().database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT warehouse FROM product WHERE sku = 'SKU1'")
        }
        #expect(warehouse == "************4444")
        #expect(try home.read("archive/customers/c.csv").contains("Pay **** **** **** 1111"))
        #expect(try home.read("archive/products/p.csv").contains(",************4444,"))
        try assertNoneOf(["4111111111111111", "5555555555554444"], in: home)
    }

    @Test func aMisfiledOrdersFileIsMaskedInFailed() throws {
        let home = try TestHome()
        // An orders file dropped into the receipts folder: rejected whole (its header lacks the receipt columns).
        try home.drop("receipts", "orders.csv", Sample.orders([Sample.line("O1", sku: "SKU1", card: "4111111111111111", expiry: "12/27")]))
        // A header-less file whose first row (quoted in the reason) holds a card number.
        try home.drop("receipts", "noheader.csv", "R1,SKU1,5,5555555555554444,\n")
        try home.cycle()
        #expect(home.exists("failed/receipts/orders.csv") && home.exists("failed/receipts/orders.csv.reason.txt"))
        #expect(try home.read("failed/receipts/orders.csv").contains(",************1111,"))
        #expect(try home.read("failed/receipts/noheader.csv.reason.txt").contains("************4444"))
        try assertNoneOf(["4111111111111111", "5555555555554444"], in: home)
    }

    @Test func mappingTestShowsNoCardNumber() throws {
        let home = try TestHome()
        let url = home.root.appendingPathComponent("preview.csv")
        try Data(Sample.orders([
            Sample.line("O1", sku: "SKU1", card: "4111111111111112", expiry: "12/27", shipName: "Ref 4111.1111.1111.1111"),
            "O2,2026-11-26,C1,1,SKU1,1,,CARD,5555555555554443,12/27",
            Sample.line("O3", date: "bad", sku: "SKU1", card: "378282246310005", shipName: "5555 5555 5555 4444"),
        ]).utf8).write(to: url)
        let mapping = try MappingLoader().load(yaml: try String(contentsOf: home.home.mappings.appendingPathComponent("orders.yaml"), encoding: .utf8),
                                               file: "mappings/orders.yaml", name: "orders")
        let result = MappingPreview(mapping: mapping, home: home.home).run(path: url.path, limit: nil)
        #expect(result.records.count == 1)
        #expect(result.records.first?.fields["ship_name"] == "Ref ****.****.****.1111")
        #expect(result.records.first?.fields["card_number"] == "************1112")
        #expect(result.rejections.count >= 2)
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        for number in ["4111111111111112", "4111111111111111", "5555555555554443", "378282246310005", "5555555555554444"] {
            #expect(!json.contains(number), "\(number) in mapping test output")
        }
    }

    @Test func aCardFieldValueIsMaskedInARejectionEvenWhenItFailsLuhn() {
        let rejection = RecordRejection.badValue(line: 3, field: "card_number", found: "4111 1111 1111 1112", expected: "a card number")
        #expect(rejection.message == "field card_number: found '**** **** **** 1112', expected a card number")
    }
}

extension TestHome {
    static let orderHeaderWithNote = Sample.orderHeader + ",note"
}

@Suite struct InvisibleKeyCycleTests {
    @Test func anOrderRefWithAZeroWidthSpaceIsRejectedNotTakenForANewOrder() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,50,,"]))
        try home.drop("orders", "a.csv", Sample.orders([Sample.line("SO-1001", sku: "SKU1")]))
        try home.drop("orders", "b.csv", Sample.orders([Sample.line("SO\u{200B}-1001", sku: "SKU1")]))
        try home.cycle()
        #expect(try OrderQueries(engine: home.engine()).orders().map(\.orderRef) == ["SO-1001"])
        let row = try #require(try home.csvRows("outbox/exceptions/EX-000001.csv").first { $0["source_file"] == "orders/b.csv" })
        #expect(row["kind"] == "rejected-record")
        #expect(row["source_line"] == "2")
        #expect(row["reason"]?.contains("field order_ref") == true)
        #expect(row["reason"]?.contains("U+200B (ZERO WIDTH SPACE)") == true)
    }
}
