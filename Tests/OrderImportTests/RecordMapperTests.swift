import Foundation
import Testing
@testable import OrderImport

/// Row-to-row behaviour of the mapper: counters the file does not carry, fallbacks between sources,
/// rows skipped on purpose, and fill-down keys compared as the mapping makes them.
@Suite struct RecordMapperTests {
    func orders(_ extra: String = "", fields: String) -> String {
        "feed: orders\n\(extra)fields:\n\(fields)"
    }

    func values(_ records: [Result<MappedRecord, RecordRejection>], _ field: String) throws -> [String] {
        try records.map { try $0.value(field, feed: .orders) }
    }

    let shopFields = """
          order_ref: { column: Name, prefix: "WEB-" }
          order_date: Date
          customer_ref: Customer
          line_no: { sequence: per_order }
          sku: Sku
          quantity: Qty
        """

    @Test func aSequencePerOrderCountsEachOrdersRowsFromOne() throws {
        let text = "Name,Date,Customer,Sku,Qty\n1001,2026-03-01,C1,A,1\n1001,2026-03-01,C1,B,2\n1002,2026-03-02,C2,A,1\n1001,2026-03-01,C1,C,1\n"
        let records = try read(orders(fields: shopFields + "\n  line.row: { sequence: per_file }"), text)
        #expect(try values(records, "line_no") == ["1", "2", "1", "1"],
                "counted while the key stays the same; an order met again starts again (the importer refuses it as not together)")
        #expect(try records.map { try $0.get().custom["line.row"] } == ["1", "2", "3", "4"])
    }

    @Test func aSequencePerOrderNeedsTheOrdersFeed() {
        #expect(throws: MappingError.self) {
            try MappingLoader().load(yaml: receipts(fields: "  receipt_ref: { sequence: per_order }\n  sku: sku\n  quantity: qty\n"),
                                     file: "m.yaml", name: "m")
        }
        do {
            _ = try MappingLoader().load(yaml: orders(fields: shopFields.replacingOccurrences(of: "per_order", with: "per_line")), file: "m.yaml", name: "m")
            Issue.record("per_line is no scope")
        } catch {
            #expect(error.description == "m.yaml:6:24: 'sequence' counts per_order or per_file; found 'per_line'")
        }
    }

    /// The bug: with `prefix:` the raw key `1001` was compared with the made `WEB-1001`, so the second
    /// row started an order of its own and was rejected for its blank date.
    @Test func fillDownComparesOrderKeysAfterTheSameSteps() throws {
        let text = "Name,Date,Customer,Sku,Qty\n1001,2026-03-01,C1,A,1\n1001,,,B,2\n,,,C,3\n1002,2026-03-02,C2,A,1\n"
        let records = try read(orders("fill_down: true\n", fields: shopFields), text)
        #expect(records.allSatisfy { $0.rejection == nil })
        #expect(try values(records, "order_ref") == ["WEB-1001", "WEB-1001", "WEB-1001", "WEB-1002"])
        #expect(try values(records, "order_date") == ["2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"])
        #expect(try values(records, "customer_ref") == ["C1", "C1", "C1", "C2"])
        #expect(try values(records, "line_no") == ["1", "2", "3", "1"])
    }

    @Test func aBrokenRowJoinsItsOrderByTheMadeKey() throws {
        let text = "Name,Date,Customer,Sku,Qty\n1001,2026-03-01,C1,A,1\n1001,,,\"B\"x,2\n"
        let records = try read(orders("fill_down: true\n", fields: shopFields), text)
        #expect(records[1].rejection?.orderRef == "WEB-1001")
    }

    @Test func firstTakesTheFirstAlternativeWithAValueAfterItsOwnSteps() throws {
        let yaml = receipts(fields: """
              receipt_ref: ref
              sku: sku
              quantity: qty
              received_at:
                first:
                  - { column: received, date: dd/MM/yyyy }
                  - { column: delivered, regex: '^(\\S+)' }
                  - { value: "2026-01-01" }
            """)
        let records = try read(yaml, "ref,sku,qty,received,delivered\nR1,A,1,02/03/2026,2026-03-05 x\nR2,A,1,,2026-03-05 late\nR3,A,1, ,\nR4,A,1,31/02/2026,\n")
        #expect(try records[0].value("received_at") == "2026-03-02T00:00:00Z")
        #expect(try records[1].value("received_at") == "2026-03-05T00:00:00Z")
        #expect(try records[2].value("received_at") == "2026-01-01T00:00:00Z")
        #expect(records[3].rejection?.message == "field received_at: found '31/02/2026', expected a date like dd/MM/yyyy",
                "a bad value of an alternative is rejected, never passed over")
    }

    @Test func firstIsCheckedWhenTheMappingIsLoaded() {
        func error(_ rule: String) -> String {
            do {
                _ = try MappingLoader().load(yaml: receipts(fields: "  receipt_ref: ref\n  sku: \(rule)\n  quantity: qty\n"), file: "m.yaml", name: "m")
                return "no error"
            } catch { return error.description }
        }
        #expect(error("{ first: [a] }") == "m.yaml:4:17: 'first' must be a list of at least two sources, e.g. [Received, {column: Delivered, date: dd/MM/yyyy}]")
        #expect(error("{ first: [a, { column: b, required: true }] }").hasPrefix("m.yaml:4:34: unknown key 'required' in an alternative of field 'sku'"))
        #expect(error("{ first: [a, b], column: c }") == "m.yaml:4:3: field 'sku' has more than one source; use one of column/path, value, concat, template, first, sequence")
    }

    @Test func aColumnOnlyAnOptionalAlternativeReadsMayBeMissing() throws {
        let yaml = receipts(fields: "  receipt_ref: ref\n  sku: { first: [sku, { column: item, optional: true }] }\n  quantity: qty\n")
        #expect(try read(yaml, "ref,sku,qty\nR1,A,1\n")[0].value("sku") == "A")
    }

    @Test func skippedRowsAreNeitherRecordsNorRejections() throws {
        let yaml = orders("""
            skip_when:
              any:
                - { column: Sku, blank: true }
                - { column: Sku, in: [TIP, GIFT-WRAP] }
                - all: [{ column: Qty, equals: "0" }, { not: { column: Sku, matches: "^KEEP" } }]

            """, fields: shopFields)
        let text = "Name,Date,Customer,Sku,Qty\n1,2026-03-01,C1,A,1\n1,2026-03-01,C1,,1\n1,2026-03-01,C1, TIP ,1\n1,2026-03-01,C1,B,0\n1,2026-03-01,C1,KEEP-1,0\n1,2026-03-01,C1,C,2\n"
        let mapping = try MappingLoader().load(yaml: yaml, file: "m.yaml", name: "m")
        var out: [Result<MappedRecord, RecordRejection>] = []
        let summary = try Array(text.utf8).withUnsafeBufferPointer { try FeedReader(mapping: mapping).read(csv: $0) { out.append($0) } }
        #expect(summary.skipped == 3)
        #expect(try values(out, "sku") == ["A", "KEEP-1", "C"])
        #expect(try values(out, "line_no") == ["1", "2", "3"], "skipped rows are not counted")
    }

    /// A skipped first row still carries its order's header for the rows that fill down from it.
    @Test func aSkippedFirstRowStillGivesItsHeaderToTheRowsThatFollow() throws {
        let yaml = orders("fill_down: true\nskip_when: { column: Sku, blank: true }\n", fields: shopFields)
        let records = try read(yaml, "Name,Date,Customer,Sku,Qty\n1001,2026-03-01,C1,,1\n1001,,,B,2\n")
        #expect(records.count == 1)
        #expect(try records[0].value("customer_ref", feed: .orders) == "C1")
        #expect(try records[0].value("line_no", feed: .orders) == "1")
    }

    @Test func skipWhenIsCheckedWhenTheMappingIsLoaded() {
        func error(_ condition: String) -> String {
            do {
                _ = try MappingLoader().load(yaml: "feed: receipts\nskip_when: \(condition)\nfields: { receipt_ref: ref, sku: sku, quantity: qty }\n",
                                             file: "m.yaml", name: "m")
                return "no error"
            } catch { return error.description }
        }
        #expect(error("{ column: sku }") == "m.yaml:2:12: a skip_when test has exactly one of blank, equals, in, matches beside its 'column'")
        #expect(error("{ column: sku, blank: true, equals: x }") == "m.yaml:2:12: a skip_when test has exactly one of blank, equals, in, matches beside its 'column'")
        #expect(error("{ path: x, blank: true }").hasPrefix("m.yaml:2:14: unknown key 'path' in skip_when"))
        #expect(error("{ column: sku, matches: '(' }") == "m.yaml:2:36: bad regular expression '('")
        #expect(error("{ any: [] }") == "m.yaml:2:19: 'any' must be a list of conditions, e.g. [{column: X, blank: true}]")
    }

    @Test func aColumnThatSkipWhenReadsMustBeInTheHeader() {
        #expect {
            _ = try read("feed: receipts\nskip_when: { column: Kind, equals: X }\nfields: { receipt_ref: ref, sku: sku, quantity: qty }\n", "ref,sku,qty\nR1,A,1\n")
        } throws: { ($0 as? FileRejection)?.reason.hasPrefix("the header row lacks 'Kind'") == true }
    }
}
