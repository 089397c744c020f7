import Foundation
import Testing
import OrderOutput

@Suite struct CSVLayoutTests {
    @Test func defaultsAreRFC4180WithCRLFAndAHeader() throws {
        let text = Sample.text(try Sample.csv(""))
        #expect(text == "order_ref,sku,qty,cost\r\nSO-1,A-1,2,3.5\r\nSO-1,\"B,2\",-1,10.25\r\n")
    }

    @Test func semicolonDelimiterWithDecimalComma() throws {
        let text = Sample.text(try Sample.csv("  delimiter: \";\"\n  decimal_separator: \",\"\n"))
        #expect(text == "order_ref;sku;qty;cost\r\nSO-1;A-1;2;3,5\r\nSO-1;B,2;-1;10,25\r\n")
    }

    @Test(arguments: ["\"\\t\"", "'\\t'", "tab"])
    func tabDelimiter(written: String) throws {
        let text = Sample.text(try Sample.csv("  delimiter: \(written)\n  line_end: lf\n"))
        #expect(text == "order_ref\tsku\tqty\tcost\nSO-1\tA-1\t2\t3.5\nSO-1\tB,2\t-1\t10.25\n")
    }

    @Test func quotingAllQuotesEveryCellAndDoublesQuotes() throws {
        let columns = "    - {header: sku, value: line.sku}\n    - {header: name, value: product.description}\n"
        let text = Sample.text(try Sample.csv("  quoting: all\n  line_end: lf\n", columns: columns))
        #expect(text == "\"sku\",\"name\"\n\"A-1\",\"Café crème\"\n\"B,2\",\"say \"\"hi\"\"\"\n")
    }

    @Test func quotingMinimalQuotesOnlyWhatNeedsIt() throws {
        let columns = "    - {header: name, value: product.description}\n"
        let text = Sample.text(try Sample.csv("  quote: \"'\"\n  line_end: lf\n", columns: columns))
        #expect(text == "name\nCafé crème\nsay \"hi\"\n")
    }

    @Test func quotingNoneRefusesACellThatNeedsQuotes() {
        let message = Sample.failure { _ = try Sample.csv("  quoting: none\n") }
        #expect(message == "document acme, field 'sku': row 2: the value holds the delimiter, the quote or a line break, and quoting is none (use quoting: minimal)")
    }

    @Test func quotingNoneWritesPlainCells() throws {
        let columns = "    - {header: ref, value: order.ref}\n    - {header: qty, value: line.quantity}\n"
        #expect(Sample.text(try Sample.csv("  quoting: none\n  line_end: lf\n", columns: columns)) == "ref,qty\nSO-1,2\nSO-1,-1\n")
    }

    @Test func noHeaderRow() throws {
        let text = Sample.text(try Sample.csv("  header: false\n  line_end: lf\n"))
        #expect(text == "SO-1,A-1,2,3.5\nSO-1,\"B,2\",-1,10.25\n")
    }

    @Test(arguments: [("dd/MM/yyyy", "20/02/2026"), ("yyyyMMdd", "20260220"), ("yyyy-MM-dd'T'HH:mm:ss", "2026-02-20'T'00:00:00")])
    func datePatterns(pattern: String, written: String) throws {
        let columns = "    - {header: date, value: order.date}\n"
        let text = Sample.text(try Sample.csv("  date_pattern: \"\(pattern)\"\n  header: false\n  line_end: lf\n  rows: header\n", columns: columns))
        #expect(text == "\(written)\n")
    }

    @Test func utf8WithAndWithoutByteOrderMark() throws {
        let columns = "    - {header: name, value: customer.name}\n"
        let plain = try Sample.csv("  header: false\n  rows: header\n", columns: columns)
        #expect(plain == Array("Zoë Müller\r\n".utf8))
        let bom = try Sample.csv("  encoding: utf-8-bom\n  header: false\n  rows: header\n", columns: columns)
        #expect(bom == [0xEF, 0xBB, 0xBF] + Array("Zoë Müller\r\n".utf8))
    }

    @Test func windows1252ByTable() throws {
        let columns = "    - {header: name, value: \"customer.name + ' €' + ' e\u{301}'\"}\n"
        let bytes = try Sample.csv("  encoding: windows-1252\n  header: false\n  line_end: lf\n  rows: header\n", columns: columns)
        // Zoë Müller €, and an e with a combining accent composed to é.
        #expect(bytes == [0x5A, 0x6F, 0xEB, 0x20, 0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x20, 0x80, 0x20, 0xE9, 0x0A])
    }

    @Test func iso88591HoldsLatin1() throws {
        let columns = "    - {header: name, value: customer.name}\n"
        let bytes = try Sample.csv("  encoding: iso-8859-1\n  header: false\n  line_end: lf\n  rows: header\n", columns: columns)
        #expect(bytes == [0x5A, 0x6F, 0xEB, 0x20, 0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x0A])
    }

    @Test func aCharacterTheEncodingCannotHoldIsAnErrorNamingDocumentAndField() {
        let columns = "    - {header: price, value: \"'€' + order.ref\"}\n"
        let message = Sample.failure { _ = try Sample.csv("  encoding: iso-8859-1\n  rows: header\n", columns: columns) }
        #expect(message == "document acme, field 'price': row 1: '€' (U+20AC) cannot be written in iso-8859-1 (use unencodable: replace to write '?')")
        let cjk = Sample.failure {
            _ = try Sample.csv("  encoding: windows-1252\n  rows: header\n", columns: "    - {header: n, value: \"'日本'\"}\n")
        }
        #expect(cjk?.contains("'日' (U+65E5) cannot be written in windows-1252") == true)
    }

    @Test func unencodableReplaceWritesQuestionMarks() throws {
        let columns = "    - {header: n, value: \"'a€b日c😀'\"}\n"
        let bytes = try Sample.csv("  encoding: iso-8859-1\n  unencodable: replace\n  header: false\n  line_end: lf\n  rows: header\n", columns: columns)
        #expect(Sample.text(bytes) == "a?b?c?\n")
    }

    @Test func formulaCellsAreNeutralisedButNumbersAreNot() throws {
        let columns = "    - {header: f, value: \"'=HYPERLINK(1)'\"}\n    - {header: ref, value: order.ref}\n    - {header: qty, value: line.quantity}\n"
        var document = Sample.purchaseOrder(orderRef: "-A1")
        document.rows.removeLast()
        let text = Sample.text(try Sample.csv("  line_end: lf\n", columns: columns, document: document))
        #expect(text == "f,ref,qty\n'=HYPERLINK(1),'-A1,2\n")
    }

    @Test func negativeNumbersStayNumbersWithADecimalComma() throws {
        let columns = "    - {header: cost, value: 0 - line.unit_cost}\n"
        let text = Sample.text(try Sample.csv("  decimal_separator: \",\"\n  delimiter: \";\"\n  header: false\n  line_end: lf\n", columns: columns))
        #expect(text == "-3,5\n-10,25\n")
    }

    @Test func cardNumbersAreMaskedInEveryCell() throws {
        let columns = "    - {header: name, value: product.description}\n"
        let document = Sample.purchaseOrder(description: "card 4111 1111 1111 1111 thanks")
        let text = Sample.text(try Sample.csv("  header: false\n  line_end: lf\n", columns: columns, document: document))
        #expect(text == "card **** **** **** 1111 thanks\n\"say \"\"hi\"\"\"\n")
    }

    @Test func headerRowsWriteOneRowFromTheHeaderValues() throws {
        let columns = "    - {header: po, value: document.ref}\n    - {header: lines, value: count lines}\n    - {header: total, value: sum line.quantity}\n"
        let text = Sample.text(try Sample.csv("  rows: header\n  line_end: lf\n", columns: columns))
        #expect(text == "po,lines,total\nPO-7,2,1\n")
    }
}
