import Foundation
import Testing
import OrderOutput
import OrderRules

@Suite struct OutputMappingLoaderTests {
    static func error(_ yaml: String) -> String? {
        Sample.failure { _ = try Sample.mapping(yaml, file: "output-mappings/acme.yaml") }
    }

    /// 1-based column of `needle` in line `line` (1-based) of `yaml`.
    static func column(of needle: String, line: Int, in yaml: String) -> Int {
        let text = String(yaml.split(separator: "\n", omittingEmptySubsequences: false)[line - 1])
        guard let range = text.range(of: needle) else { return 0 }
        return text.distance(from: text.startIndex, to: range.lowerBound) + 1
    }

    @Test func aMappingSaysWhetherARowReadsItsOrdersLinesTogether() throws {
        let plain = try Sample.mapping("document: pick-list\nformat: csv\ncsv:\n  columns:\n    - {header: sku, value: line.sku}\n    - {header: order, value: order.ref}\n")
        #expect(!plain.readsOrderLines)
        let counted = try Sample.mapping("document: pick-list\nformat: csv\nfolder: \"pick-lists/{{ count lines }}\"\ncsv:\n  columns:\n    - {header: sku, value: line.sku}\n")
        #expect(counted.readsOrderLines)
        let named = try Sample.mapping("document: pick-list\nformat: csv\nfile_name: \"{{ sum line.quantity }}.csv\"\ncsv:\n  columns:\n    - {header: sku, value: line.sku}\n")
        #expect(named.readsOrderLines)
    }

    @Test func aBadFieldInAColumnValueIsReportedAtItsCharacter() {
        let yaml = """
        document: purchase-order
        format: csv
        csv:
          columns:
            - {header: ref, value: order.ref}
            - {header: qty, value: order.ref + line.quantit}
        """
        let message = Self.error(yaml)
        let column = Self.column(of: "line.quantit", line: 6, in: yaml)
        #expect(message?.hasPrefix("output-mappings/acme.yaml:6:\(column): ") == true, "\(message ?? "")")
        #expect(message?.contains("line.quantity") == true)
    }

    @Test func aMistakeInAQuotedValueCountsTheQuote() {
        let yaml = "document: pick-list\nformat: csv\ncsv:\n  columns:\n    - header: x\n      value: \"'A-' + ordr.ref\"\n"
        let column = Self.column(of: "ordr.ref", line: 6, in: yaml)
        #expect(Self.error(yaml)?.hasPrefix("output-mappings/acme.yaml:6:\(column): ") == true, "\(Self.error(yaml) ?? "")")
    }

    @Test func aMistakeInABlockValueIsPlacedOnItsLine() {
        let yaml = "document: pick-list\nformat: csv\ncsv:\n  columns:\n    - header: x\n      value: |\n        order.ref +\n          1 +\n"
        // The expression ends early: the mistake is on line 8, after '1 +'.
        let message = Self.error(yaml)
        #expect(message == "output-mappings/acme.yaml:8:14: the rule ends too soon; expected a field, a value or '('")
    }

    @Test func aRowFieldInAHeaderValueIsRefused() {
        let yaml = "document: purchase-order\nformat: csv\ncsv:\n  rows: header\n  columns:\n    - {header: sku, value: line.sku}\n"
        #expect(Self.error(yaml)?.hasPrefix("output-mappings/acme.yaml:6:28: ") == true, "\(Self.error(yaml) ?? "")")
    }

    @Test func anUnknownKeyNamesTheNearestKnownOne() {
        let yaml = "document: purchase-order\nformat: csv\ncsv:\n  delimter: \";\"\n  columns:\n    - {value: order.ref}\n"
        #expect(Self.error(yaml) == "output-mappings/acme.yaml:4:3: unknown key 'delimter' in csv; did you mean 'delimiter'? expected one of delimiter, quote, quoting, encoding, line_end, header, decimal_separator, date_pattern, unencodable, rows, columns")
    }

    @Test func anUnknownDocumentNamesTheNearestKnownOne() {
        let yaml = "document: purchase-ordr\nformat: csv\ncsv:\n  columns:\n    - {value: order.ref}\n"
        #expect(Self.error(yaml) == "output-mappings/acme.yaml:1:11: unknown document 'purchase-ordr'; did you mean 'purchase-order'? expected one of pick-list, purchase-order, exception-report, back-order-report, rule-output")
    }

    @Test func anUnknownEncodingIsRefused() {
        let yaml = "document: pick-list\nformat: csv\ncsv:\n  encoding: latin1\n  columns:\n    - {value: order.ref}\n"
        #expect(Self.error(yaml)?.hasPrefix("output-mappings/acme.yaml:4:13: unknown encoding 'latin1'") == true)
    }

    @Test(arguments: ["../x", "/etc", "a/../../b", "a//b", "a\\\\b"])
    func aFolderOutsideTheOutboxIsRefused(folder: String) {
        let yaml = "document: pick-list\nformat: csv\nfolder: \"\(folder)\"\ncsv:\n  columns:\n    - {value: order.ref}\n"
        #expect(Self.error(yaml)?.hasPrefix("output-mappings/acme.yaml:3:9: 'folder' must stay inside the outbox") == true, "\(Self.error(yaml) ?? "")")
    }

    @Test func aFileNameWithASlashIsRefused() {
        let yaml = "document: pick-list\nformat: csv\nfile_name: \"a/{{ document.ref }}.csv\"\ncsv:\n  columns:\n    - {value: order.ref}\n"
        #expect(Self.error(yaml)?.hasPrefix("output-mappings/acme.yaml:3:12: 'file_name' must be a name without '/'") == true)
    }

    @Test func aBadPlaceholderInTheFileNameIsReportedAtItsCharacter() {
        let yaml = "document: purchase-order\nformat: csv\nfile_name: \"PO-{{ document.reff }}.csv\"\ncsv:\n  columns:\n    - {value: order.ref}\n"
        let column = Self.column(of: "document.reff", line: 3, in: yaml)
        #expect(Self.error(yaml)?.hasPrefix("output-mappings/acme.yaml:3:\(column): ") == true, "\(Self.error(yaml) ?? "")")
    }

    @Test func aSectionOfAnotherFormatIsRefused() {
        let yaml = "document: pick-list\nformat: xml\ncsv:\n  columns:\n    - {value: order.ref}\n"
        #expect(Self.error(yaml) == "output-mappings/acme.yaml:3:1: section 'csv' does not apply to format xml; write 'xml:' instead")
    }

    @Test func missingColumnsAndBadCharactersAreRefused() {
        #expect(Self.error("document: pick-list\nformat: csv\ncsv:\n  header: true\n")?.contains("'csv' needs 'columns:'") == true)
        #expect(Self.error("document: pick-list\nformat: csv\ncsv:\n  delimiter: \";;\"\n  columns:\n    - {value: order.ref}\n")
            == "output-mappings/acme.yaml:4:14: 'delimiter' must be one ASCII character (or \\t for tab); found ';;'")
        #expect(Self.error("document: pick-list\nformat: csv\ncsv:\n  date_pattern: nope\n  columns:\n    - {value: order.ref}\n")?
            .hasPrefix("output-mappings/acme.yaml:4:17: 'date_pattern' 'nope' has none of yyyy, MM, dd") == true)
    }

    @Test func notYAMLIsReportedWithItsPosition() {
        #expect(Self.error("document: [pick-list\nformat: csv\n")?.hasPrefix("output-mappings/acme.yaml:") == true)
    }

    @Test func documentFieldsAreKnownPerDocument() throws {
        let po = "document: purchase-order\nformat: csv\ncsv:\n  columns:\n    - {value: supplier.email}\n    - {value: line.unit_cost}\n"
        _ = try Sample.mapping(po)
        let pick = "document: pick-list\nformat: csv\ncsv:\n  columns:\n    - {value: document.warehouse}\n    - {value: line.bin_location}\n    - {value: line.allocated}\n"
        _ = try Sample.mapping(pick)
        let exceptions = "document: exception-report\nformat: csv\ncsv:\n  columns:\n    - {value: exception.reason}\n    - {value: exception.source_line}\n"
        _ = try Sample.mapping(exceptions)
        let backOrders = "document: back-order-report\nformat: csv\ncsv:\n  columns:\n    - {value: back_order.since}\n    - {value: back_order.available}\n"
        _ = try Sample.mapping(backOrders)
        #expect(Self.error("document: pick-list\nformat: csv\ncsv:\n  columns:\n    - {value: supplier.ref}\n") != nil)
    }

    @Test func fileNameAndFolderAreRenderedFromTheHeader() throws {
        let yaml = "document: purchase-order\nformat: csv\nfile_name: \"PO-{{ document.number }}-{{ supplier.ref }}.csv\"\nfolder: \"purchase-orders/{{ supplier.ref }}\"\ncsv:\n  columns:\n    - {value: order.ref}\n"
        let mapping = try Sample.mapping(yaml)
        #expect(mapping.fields == ["document.number", "supplier.ref", "order.ref"])
        #expect(try mapping.fileName(for: Sample.purchaseOrder(), today: Sample.today) == "PO-7-ACME.csv")
        #expect(try mapping.folder(for: Sample.purchaseOrder(), today: Sample.today) == "purchase-orders/ACME")
        let evil = Sample.purchaseOrder(supplierRef: "../../etc")
        #expect(Sample.failure { _ = try mapping.folder(for: evil, today: Sample.today) }?.contains("field 'folder'") == true)
        #expect(Sample.failure { _ = try mapping.fileName(for: evil, today: Sample.today) }?.contains("field 'file_name'") == true)
    }

    @Test func loadsAFolderAndCollectsEveryError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("om-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "document: pick-list\nformat: csv\ncsv:\n  columns:\n    - {value: order.ref}\n".write(to: folder.appendingPathComponent("wms.yaml"), atomically: true, encoding: .utf8)
        #expect(try OutputMappingLoader().loadFolder(folder, shownAs: "output-mappings").map(\.name) == ["wms"])
        try "document: pick-list\nformat: csv\ncsv:\n  columns:\n    - {value: order.ref}\n".write(to: folder.appendingPathComponent("wms.yml"), atomically: true, encoding: .utf8)
        #expect(Sample.failure { _ = try OutputMappingLoader().loadFolder(folder, shownAs: "output-mappings") }
            == "output-mappings/wms.yml:1:1: a mapping named 'wms' is already output-mappings/wms.yaml; rename one of them")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("wms.yml"))
        try "document: nope\n".write(to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        try "format: csv\n".write(to: folder.appendingPathComponent("worse.yml"), atomically: true, encoding: .utf8)
        #expect(throws: OutputMappingErrors.self) { try OutputMappingLoader().loadFolder(folder, shownAs: "output-mappings") }
        do { _ = try OutputMappingLoader().loadFolder(folder, shownAs: "output-mappings") } catch { #expect(error.errors.count == 2) }
    }
}
