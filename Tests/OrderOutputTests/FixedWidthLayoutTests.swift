import Foundation
import Testing
import OrderOutput

@Suite struct FixedWidthLayoutTests {
    static func yaml(_ columns: String, options: String = "  line_end: lf\n") -> String {
        "document: purchase-order\nformat: fixed-width\nfixed_width:\n" + options + "  columns:\n" + columns
    }

    @Test func padsAndAlignsEachField() throws {
        let mapping = try Sample.mapping(Self.yaml("""
            - {value: line.sku, width: 6}
            - {value: line.quantity, width: 5, align: right, pad: "0"}
            - {value: line.unit_cost, width: 7, align: right}
            - {value: "'|'", width: 1}

        """))
        let text = Sample.text(try mapping.render(Sample.purchaseOrder(), today: Sample.today))
        #expect(text == "A-1   00002    3.5|\nB,2   -0001  10.25|\n")
    }

    @Test func encodesAndCountsCharactersNotBytes() throws {
        let mapping = try Sample.mapping(Self.yaml("    - {value: product.description, width: 12, pad: \".\"}\n",
                                                   options: "  encoding: windows-1252\n  line_end: crlf\n"))
        var document = Sample.purchaseOrder()
        document.rows.removeLast()
        let bytes = try mapping.render(document, today: Sample.today)
        #expect(bytes == [0x43, 0x61, 0x66, 0xE9, 0x20, 0x63, 0x72, 0xE8, 0x6D, 0x65, 0x2E, 0x2E, 0x0D, 0x0A])
    }

    @Test func overflowIsAnErrorNamingDocumentRowAndField() throws {
        let mapping = try Sample.mapping(Self.yaml("    - {name: description, value: product.description, width: 8}\n"))
        let message = Sample.failure { _ = try mapping.render(Sample.purchaseOrder(), today: Sample.today, name: "PO-7.txt") }
        #expect(message == "document PO-7.txt, field 'description': row 1: 'Café crème' is 10 characters, wider than the column's 8")
    }

    @Test func overflowTruncateCuts() throws {
        let mapping = try Sample.mapping(Self.yaml("    - {value: product.description, width: 4}\n", options: "  overflow: truncate\n  line_end: lf\n"))
        #expect(Sample.text(try mapping.render(Sample.purchaseOrder(), today: Sample.today)) == "Café\nsay \n")
    }

    @Test func cardNumbersAreMasked() throws {
        let mapping = try Sample.mapping(Self.yaml("    - {value: product.description, width: 19}\n"))
        var document = Sample.purchaseOrder(description: "4111111111111111")
        document.rows.removeLast()
        #expect(Sample.text(try mapping.render(document, today: Sample.today)) == "************1111   \n")
    }
}
