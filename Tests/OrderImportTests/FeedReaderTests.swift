import Testing
import OrderImport

@Suite struct FeedReaderTests {
    let mapping = try! MappingLoader().load(yaml: """
        feed: receipts
        fields:
          receipt_ref: ref
          sku: item
          quantity: qty
        """, file: "mappings/r.yaml", name: "r")

    func read(_ text: String) throws -> [Result<MappedRecord, RecordRejection>] {
        var out: [Result<MappedRecord, RecordRejection>] = []
        _ = try Array(text.utf8).withUnsafeBufferPointer { try FeedReader(mapping: mapping).read(csv: $0) { out.append($0) } }
        return out
    }

    @Test func placesColumnsByHeaderNameInAnyOrder() throws {
        let records = try read("qty,extra,item,ref\n5,x,SKU1,R1\n")
        let record = try records[0].get()
        #expect(record.values[Feed.receipts.index(of: "receipt_ref")] == "R1")
        #expect(record.values[Feed.receipts.index(of: "sku")] == "SKU1")
        #expect(record.values[Feed.receipts.index(of: "quantity")] == "5")
        #expect(record.values[Feed.receipts.index(of: "warehouse")] == "")
    }

    @Test func aHeaderMissingAMappedColumnFailsTheFile() {
        #expect {
            _ = try read("ref,item\nR1,SKU1\n")
        } throws: { error in
            (error as? FileRejection)?.reason.contains("the header row lacks 'qty' (mapped to quantity at mappings/r.yaml:5)") == true
        }
    }

    @Test func aHeaderThatArrivesAsOneColumnGetsADelimiterHint() {
        #expect {
            _ = try read("ref;item;qty\nR1;SKU1;5\n")
        } throws: { error in
            (error as? FileRejection)?.reason.hasSuffix(
                "found columns ref;item;qty. The header has one column 'ref;item;qty': is the delimiter ';'? Set csv.delimiter in mappings/r.yaml") == true
        }
    }

    @Test func anEmptyFileFails() {
        #expect(throws: FileRejection.self) { _ = try read("") }
    }

    @Test func aRowWithTheWrongNumberOfFieldsIsRejected() throws {
        let records = try read("ref,item,qty\nR1,SKU1\nR2,SKU2,3\n")
        guard case .failure(let rejection) = records[0] else { Issue.record("expected a rejection"); return }
        #expect(rejection.description == "line 2: found 2 fields, expected 3 as in the header")
        #expect((try? records[1].get()) != nil)
    }
}

@Suite struct FeedOrderTests {
    @Test func masterDataSortsBeforeOrdersAndEveryFeedHasItsPlace() {
        #expect(Feed.allCases.sorted() == Feed.allCases)
        #expect(Feed.customers < Feed.orders && Feed.suppliers < Feed.receipts && Feed.receipts < Feed.cancellations)
    }

    @Test func aNulByteRejectsItsLineNamingTheColumnAndTheField() throws {
        let records = try read("feed: receipts\nfields: { receipt_ref: ref, sku: item, quantity: qty }\n", "ref,item,qty\nR1,AB\u{0}CD,5\nR2,B,1\n")
        #expect(records.count == 2)
        guard case .failure(let rejection) = records[0] else { Issue.record("the line is rejected"); return }
        #expect(rejection.line == 2)
        #expect(rejection.field == "sku")
        #expect(rejection.message == "field 2 holds a NUL byte (0x00) after 'AB', expected text without NUL bytes (column 'item', mapped to sku); the line is refused, nothing of it is stored")
        #expect(try records[1].get().values.contains("B"))
    }
}
