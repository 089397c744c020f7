import Testing
import OrderModel
@testable import OrderImport

/// A supplier's `po_format` is `csv`, `xml` or the name of an output mapping; never a path.
@Suite struct SupplierFormatTests {
    func record(_ format: String) -> MappedRecord {
        MappedRecord(line: 4, values: Feed.suppliers.fields.map { ["supplier_ref": "S1", "po_format": format][$0.name] ?? "" })
    }

    @Test(arguments: [("", "csv"), ("CSV", "csv"), ("xml", "xml"), ("ubl-order", "ubl-order"), ("cXML_1-2", "cxml_1-2")])
    func acceptsTheStandardLayoutsAndMappingNames(written: String, format: String) throws {
        #expect(try RecordDecoder().supplier(record(written)).poFormat.rawValue == format)
    }

    @Test(arguments: ["../x", "a/b", "-x", "_x", "a b", "é", String(repeating: "a", count: 65)])
    func rejectsAnythingThatIsNotAName(written: String) {
        #expect {
            try RecordDecoder().supplier(record(written))
        } throws: { error in
            // A long value is shortened in the message; the field and what was expected are there whole.
            let message = (error as? RecordRejection)?.message ?? ""
            return message.hasPrefix("field po_format: found '\(written.prefix(20))")
                && message.hasSuffix("', expected csv, xml or the name of an output mapping (letters, digits, - and _)")
        }
    }
}
