import Foundation
import Testing
@testable import OrderImport

@Suite struct DialectTests {
    @Test(arguments: [(";", "ref;sku;qty\nR1;A;5\n"), ("tab", "ref\tsku\tqty\nR1\tA\t5\n"), ("pipe", "ref|sku|qty\nR1|A|5\n")])
    func delimiters(delimiter: String, text: String) throws {
        let records = try read(receipts(csv: "  delimiter: \(delimiter)\n"), text)
        #expect(try records[0].value("sku") == "A")
        #expect(try records[0].value("quantity") == "5")
    }

    @Test func anEscapeCharacterInsideQuotes() throws {
        let records = try read(receipts(csv: "  escape: \"\\\\\"\n"), "ref,sku,qty\n\"R\\\"1\",A,5\n")
        #expect(try records[0].value("receipt_ref") == "R\"1")
    }

    @Test func noHeaderColumnsByPosition() throws {
        let records = try read(receipts(csv: "  header: false\n", fields: "  receipt_ref: 3\n  sku: 1\n  quantity: 2\n"), "A,5,R1\n")
        #expect(try records[0].value("receipt_ref") == "R1")
        #expect(try records[0].value("sku") == "A")
    }

    @Test func leadingLinesAreSkipped() throws {
        let records = try read(receipts(csv: "  skip_lines: 2\n"), "Stock report\r\nprinted 27.11.2026\r\nref,sku,qty\r\nR1,A,5\r\n")
        #expect(records.count == 1)
        #expect(try records[0].get().line == 4)
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEnds(end: String) throws {
        let records = try read(receipts(), "ref,sku,qty\(end)R1,A,5\(end)R2,\"B\(end)C\",6\(end)")
        #expect(records.count == 2)
        #expect(try records[1].value("sku") == "B\(end)C")
        #expect(try records[1].get().line == 3)
    }

    @Test func encodings() throws {
        let text = "ref,sku,qty\nR1,Größe-€,5\n"
        var utf16le: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { utf16le += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        var utf16be: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 { utf16be += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let cp1252: [UInt8] = Array("ref,sku,qty\nR1,Gr".utf8) + [0xF6, 0xDF] + Array("e-".utf8) + [0x80] + Array(",5\n".utf8)
        let latin1: [UInt8] = Array("ref,sku,qty\nR1,Gr".utf8) + [0xF6, 0xDF] + Array("e,5\n".utf8)
        #expect(try read(receipts(), [0xEF, 0xBB, 0xBF] + Array(text.utf8))[0].value("sku") == "Größe-€")
        #expect(try read(receipts(), utf16le)[0].value("sku") == "Größe-€")
        #expect(try read(receipts(csv: "  encoding: utf-16\n"), utf16be)[0].value("sku") == "Größe-€")
        #expect(try read(receipts(csv: "  encoding: windows-1252\n"), cp1252)[0].value("sku") == "Größe-€")
        #expect(try read(receipts(csv: "  encoding: iso-8859-1\n"), latin1)[0].value("sku") == "Größe")
    }

    @Test func invalidUTF8IsAClearRecordError() throws {
        let records = try read(receipts(), Array("ref,sku,qty\nR1,".utf8) + [0xF6] + Array(",5\n".utf8))
        #expect(records[0].rejection?.description == "line 2: field 2 is not valid UTF-8 text")
    }

    @Test func decimalCommaAndThousandsSeparators() throws {
        let yaml = """
            feed: products
            csv:
              delimiter: ";"
              decimal: ","
              thousands: "."
            fields:
              sku: sku
              unit_price: price
            """
        let records = try read(yaml, "sku;price\nA;1.234,56\nB;7\nC;1,2,3\n")
        #expect(try records[0].value("unit_price", feed: .products) == "1234.56")
        #expect(try records[1].value("unit_price", feed: .products) == "7")
        #expect(records[2].rejection?.message == "field unit_price: found '1,2,3', expected a number like 1.234,50")
    }

    @Test(arguments: [
        ("dd.MM.yyyy", "27.11.2026", "2026-11-27T00:00:00Z"),
        ("MM/dd/yyyy", "11/27/2026", "2026-11-27T00:00:00Z"),
        ("d/M/yy HH:mm", "7/3/26 09:05", "2026-03-07T09:05:00Z"),
        // Dates as written: the zone is read and checked, not applied.
        ("yyyy-MM-dd'T'HH:mm:ssXXX", "2026-11-27T10:00:00+01:00", "2026-11-27T10:00:00Z"),
        ("yyyy-MM-dd HH:mm:ss Z", "2026-03-01 00:15:00 +0100", "2026-03-01T00:15:00Z"),
        ("dd MMM yyyy", "05 Dec 2026", "2026-12-05T00:00:00Z"),
    ])
    func datePatterns(pattern: String, value: String, canonical: String) throws {
        let records = try read(receipts(csv: "  date_format: \"\(pattern)\"\n",
                                        fields: "  receipt_ref: ref\n  sku: sku\n  quantity: qty\n  received_at: at\n"),
                               "ref,sku,qty,at\nR1,A,5,\(value)\n")
        #expect(try records[0].value("received_at") == canonical)
    }

    @Test func aDateNotInThePatternIsRejected() throws {
        let records = try read(receipts(csv: "  date_format: dd.MM.yyyy\n", fields: "  receipt_ref: ref\n  sku: sku\n  quantity: qty\n  received_at: at\n"),
                               "ref,sku,qty,at\nR1,A,5,2026-11-27\nR2,A,5,31.02.2026\n")
        #expect(records[0].rejection?.message == "field received_at: found '2026-11-27', expected a date like dd.MM.yyyy")
        #expect(records[1].rejection?.message == "field received_at: found '31.02.2026', expected a date like dd.MM.yyyy")
    }

    @Test func fillDownCarriesTheOrderHeaderToItsLineRows() throws {
        let yaml = """
            feed: orders
            fill_down: true
            fields:
              order_ref: ref
              order_date: date
              customer_ref: cust
              line_no: line
              sku: sku
              quantity: qty
              order.channel: channel
            """
        let text = "ref,date,cust,line,sku,qty,channel\nA,2026-11-26,C1,1,X,1,web\n,,,2,Y,2,\nB,2026-11-27,C2,1,Z,3,\n"
        let records = try read(yaml, text)
        let second = try records[1].get()
        #expect(second.values[Feed.orders.index(of: "order_ref")] == "A")
        #expect(second.values[Feed.orders.index(of: "customer_ref")] == "C1")
        #expect(second.values[Feed.orders.index(of: "sku")] == "Y")
        #expect(second.custom["order.channel"] == "web")
        let third = try records[2].get()
        #expect(third.values[Feed.orders.index(of: "customer_ref")] == "C2")
        #expect(third.custom["order.channel"] == nil)
    }
}
