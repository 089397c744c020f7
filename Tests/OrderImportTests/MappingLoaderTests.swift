import Testing
import OrderImport

@Suite struct MappingLoaderTests {
    func load(_ yaml: String) throws(MappingError) -> Mapping {
        try MappingLoader().load(yaml: yaml, file: "mappings/test.yaml", name: "test")
    }

    @Test func loadsAStandardMapping() throws {
        let mapping = try load("""
            feed: receipts
            inbox: goods-in
            pattern: "GRN*.txt"
            csv:
              delimiter: tab
              header: true
            fields:
              receipt_ref: GRN
              sku: Item
              quantity: Qty
            """)
        #expect(mapping.feed == .receipts)
        #expect(mapping.inbox == "goods-in")
        #expect(mapping.dialect.delimiter == 9)
        guard case .column(.name("Item")) = mapping.fields["sku"]?.source else { Issue.record("sku reads column Item"); return }
        #expect(mapping.matches(fileName: "GRN-001.txt"))
        #expect(!mapping.matches(fileName: "grn-001.csv"))
    }

    @Test func anUnknownFieldIsReportedWithItsLineAndColumn() {
        #expect {
            _ = try load("feed: receipts\nfields:\n  receipt_ref: a\n  sku: b\n  quantity: c\n  colour: d\n")
        } throws: { error in
            let e = error as! MappingError
            return e.location == SourceLocation(line: 6, column: 3) && e.description.contains("unknown field 'colour' for feed receipts")
        }
    }

    @Test func aMissingRequiredFieldIsReported() {
        #expect {
            _ = try load("feed: receipts\nfields:\n  receipt_ref: a\n")
        } throws: { ($0 as! MappingError).message.contains("needs a source for sku, quantity") }
    }

    @Test func unknownKeysAndBadValuesAreReported() {
        #expect(throws: MappingError.self) { try load("feed: orders\nfeilds: {}\n") }
        #expect(throws: MappingError.self) { try load("feed: invoices\nfields: {}\n") }
        #expect(throws: MappingError.self) { try load("feed: receipts\ninbox: ../etc\nfields: {receipt_ref: a, sku: b, quantity: c}\n") }
        #expect(throws: MappingError.self) { try load("feed: receipts\ncsv: {delimiter: ';;'}\nfields: {receipt_ref: a, sku: b, quantity: c}\n") }
        #expect(throws: MappingError.self) { try load("feed: [unclosed\n") }
    }

    @Test func globMatchesLikeAShell() {
        #expect(Glob.matches("*.csv", "a.csv"))
        #expect(Glob.matches("orders-??.csv", "orders-01.csv"))
        #expect(!Glob.matches("*.csv", "a.csv.part"))
        #expect(Glob.matches("*", ""))
    }
}
