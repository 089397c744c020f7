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

@Suite struct MappingMistakeTests {
    func error(_ yaml: String) -> String {
        do {
            _ = try MappingLoader().load(yaml: yaml, file: "mappings/m.yaml", name: "m")
            return "no error"
        } catch {
            return error.description
        }
    }

    let base = "feed: receipts\nfields:\n  receipt_ref: ref\n  sku: sku\n"

    @Test func wordForWord() {
        #expect(error(base + "  quantity: { column: qty, date: \"dd.QQ.yyyy\" }\n")
                == "mappings/m.yaml:5:38: bad date pattern 'dd.QQ.yyyy': 'QQ' is not a date pattern letter; use yyyy, yy, MM, M, MMM, dd, d, HH, H, mm, ss, SSS, XXX or Z, and quote literal letters like 'T'")
        #expect(error(base + "  quantity: { column: qty, trimm: true }\n")
                == "mappings/m.yaml:5:28: unknown key 'trimm' in field 'quantity'; expected one of column, path, value, concat, separator, template, steps, required, allowed, min, max, max_length, type, optional, first, sequence, trim, upper, lower, regex, map, otherwise, default, number, date, multiply, prefix, suffix")
        #expect(error(base + "  quantity: qty\n  order.channel: x\n")
                == "mappings/m.yaml:6:3: custom field 'order.channel': expected receipt.NAME with NAME of letters, digits and _ (feed receipts)")
        #expect(error("feed: receipts\nformat: xml\nxml: { record: //R }\nfields: { receipt_ref: \"@id\", sku: \"x:Sku\", quantity: \"Qty[\" }\n")
                == "mappings/m.yaml:4:36: XPath 'x:Sku' uses prefix 'x', which is not declared under xml: namespaces:")
        #expect(error("feed: receipts\nformat: xml\nxml: { record: //R }\nfields: { receipt_ref: \"@id\", sku: Sku, quantity: \"Qty[\" }\n")
                == "mappings/m.yaml:4:51: bad XPath 'Qty[': libxml2 cannot compile it")
        #expect(error("feed: receipts\nxml: { record: \"//R[1]\" }\nfields: { receipt_ref: \"@id\", sku: Sku, quantity: Qty }\n")
                == "mappings/m.yaml:2:16: record path '//R[1]': expected element names separated by / (e.g. /Orders/Order or //Order), with no predicates")
        #expect(error(base + "  quantity: { column: qty, regex: '(' }\n")
                == "mappings/m.yaml:5:35: bad regular expression '('")
    }

    /// Found by fuzzing (Tests/Fixtures/fuzz-crashes/mapping/): these record paths trapped (index out of range).
    @Test(arguments: ["://Receipt", "/:::/Receipt", "//x:", "//x:y:z", "/R/:"])
    func aRecordPathStepThatIsOnlyColonsIsAMistake(_ path: String) {
        let message = error("feed: receipts\nformat: xml\nxml: { record: \"\(path)\", namespaces: { x: urn:x } }\nfields: { receipt_ref: \"@id\", sku: Sku, quantity: Qty }\n")
        #expect(message.hasPrefix("mappings/m.yaml:3:16: record path '\(path)': "))
        #expect(message.contains("is not an element name; expected a name or prefix:name"))
    }

    /// Found by fuzzing (Tests/Fixtures/fuzz-crashes/mapping/template-column-zero.yaml): `{0}` in a template
    /// became column index -1 and trapped reading the row.
    @Test func aTemplateColumnZeroIsAMistake() {
        let message = error("feed: receipts\ncsv: { header: false }\nfields: { receipt_ref: { template: \"R-{0}\" }, sku: 2, quantity: 3 }\n")
        #expect(message.hasPrefix("mappings/m.yaml:3:"))
        #expect(message.hasSuffix("template 'R-{0}': {0}: column numbers start at 1"))
    }
}
