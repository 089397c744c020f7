import Foundation
import OrderOutput
import Testing

/// The shipped UBL and cXML purchase-order mappings, against golden files
/// (`Tests/Fixtures/outputs/`; delete one to write it anew, then read it before committing).
@Suite struct XMLShippedTemplateTests {
    @Test(arguments: [("ubl-order", "ubl-order.xml"), ("cxml-order-request", "cxml-order-request.xml")])
    func matchesItsGoldenFile(mapping name: String, golden: String) throws {
        let mapping = try XMLSample.shipped(name)
        #expect(mapping.document == .purchaseOrder)
        #expect(mapping.format == .xml)
        let bytes = try mapping.render(XMLSample.purchaseOrder(), today: XMLSample.today)
        #expect(XMLSample.isWellFormed(bytes))
        let url = XMLSample.repository.appendingPathComponent("Tests/Fixtures/outputs/\(golden)")
        guard let expected = try? Data(contentsOf: url) else {
            try Data(bytes).write(to: url)
            Issue.record("wrote the golden file \(url.path); read it, then run again")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func theUBLOrderLeavesOutWhatTheOrderDoesNotHave() throws {
        let bytes = try XMLSample.shipped("ubl-order").render(XMLSample.purchaseOrder(shipAddress2: .null, supplierEmail: .null), today: XMLSample.today)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(XMLSample.isWellFormed(bytes))
        #expect(!text.contains("AdditionalStreetName"))
        #expect(!text.contains("cac:Contact"))
    }

    @Test func aTemplatesMistakeIsReportedAtItsPlaceInTheMappingFile() throws {
        let yaml = """
            document: purchase-order
            format: xml
            xml:
              template: |
                <d xmlns:of="urn:orderflow:output">
                  <s>{{ order.nope }}</s>
                </d>

            """
        do {
            _ = try OutputMappingLoader().load(yaml: yaml, file: "outputs/acme.yaml", name: "acme")
            Issue.record("the mapping loaded")
        } catch {
            #expect(error.file == "outputs/acme.yaml")
            #expect((error.line, error.column) == (6, 13), "\(error)")
        }
        let malformed = yaml.replacingOccurrences(of: "</s>", with: "</t>")
        do {
            _ = try OutputMappingLoader().load(yaml: malformed, file: "outputs/acme.yaml", name: "acme")
            Issue.record("the mapping loaded")
        } catch {
            #expect(error.line == 6, "\(error)")
            #expect(error.message.contains("not well-formed"))
        }
    }

    @Test func writesManyRowsWellFormed() throws {
        var document = XMLSample.purchaseOrder()
        let row = document.rows[1]
        document.rows = Array(repeating: row, count: 5_000)
        let bytes = try XMLSample.shipped("ubl-order").render(document, today: XMLSample.today)
        #expect(XMLSample.isWellFormed(bytes))
        #expect(String(decoding: bytes, as: UTF8.self).components(separatedBy: "<cac:OrderLine>").count == 5_001)
    }
}
