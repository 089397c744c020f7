import Foundation
import Testing
@testable import OrderImport

@Suite struct XMLFeedReaderTests {
    let orders = """
        feed: orders
        format: xml
        xml:
          record: /o:Orders/o:Order
          lines: o:Line
          namespaces: { o: "urn:example:orders" }
        fields:
          order_ref: ../@id
          order_date: ../o:Date
          customer_ref: ../o:Customer/@ref
          line_no: "@no"
          sku: o:Sku
          quantity: o:Qty
          order.channel: ../@channel
          line.colour: o:Sku/@colour
        """

    @Test func namespacesAttributesAndInheritedHeaderValues() throws {
        let xml = """
            <?xml version="1.0"?>
            <Orders xmlns="urn:example:orders">
              <Order id="A1" channel="phone">
                <Date>2026-11-26</Date><Customer ref="C1"/>
                <Line no="1"><Sku colour="red">X</Sku><Qty>2</Qty></Line>
                <Line no="2"><Sku>Y</Sku><Qty>3</Qty></Line>
              </Order>
              <Order id="A2"><Date>2026-11-27</Date><Customer ref="C2"/><Line no="1"><Sku>Z</Sku><Qty>1</Qty></Line></Order>
            </Orders>
            """
        let records = try read(orders, xml, suffix: ".xml")
        #expect(records.count == 3)
        let first = try records[0].get()
        #expect(first.values[Feed.orders.index(of: "order_ref")] == "A1")
        #expect(first.values[Feed.orders.index(of: "customer_ref")] == "C1")
        #expect(first.values[Feed.orders.index(of: "order_date")] == "2026-11-26T00:00:00Z")
        #expect(first.custom == ["order.channel": "phone", "line.colour": "red"])
        #expect(first.line == 5)
        #expect(first.location == "record 1 (/o:Orders/o:Order), line element 1")
        let second = try records[1].get()
        #expect(second.values[Feed.orders.index(of: "order_ref")] == "A1")
        #expect(second.values[Feed.orders.index(of: "quantity")] == "3")
        #expect(try records[2].get().values[Feed.orders.index(of: "order_ref")] == "A2")
    }

    @Test func aBadRecordNamesItsNumberAndPath() throws {
        let yaml = """
            feed: receipts
            xml: { record: //R }
            fields: { receipt_ref: "@id", sku: Sku, quantity: { path: Qty, min: 1 } }
            """
        let records = try read(yaml, "<Rs><R id=\"1\"><Sku>A</Sku><Qty>0</Qty></R></Rs>", suffix: ".xml")
        #expect(records[0].rejection?.description == "record 1 (//R), line 1: field quantity: found '0', expected at least 1")
    }

    @Test func aFileThatIsNotWellFormedIsRejectedWithLineAndColumn() {
        let yaml = "feed: receipts\nxml: { record: //R }\nfields: { receipt_ref: \"@id\", sku: Sku, quantity: Qty }\n"
        #expect {
            _ = try read(yaml, "<Rs>\n<R id=\"1\"><Sku>A</Qty></R>\n</Rs>", suffix: ".xml")
        } throws: { error in
            let reason = (error as? FileRejection)?.reason ?? ""
            return reason.hasPrefix("not well-formed XML at line 2, column ") && reason.contains("Opening and ending tag mismatch: Sku")
        }
    }

    static let hostile: [(String, String)] = [
        ("external entity", """
            <?xml version="1.0"?>
            <!DOCTYPE Rs [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <Rs><R id="1"><Sku>&xxe;</Sku><Qty>1</Qty></R></Rs>
            """),
        ("entity expansion bomb", """
            <?xml version="1.0"?>
            <!DOCTYPE Rs [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
              <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
              <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
              <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
            ]>
            <Rs><R id="1"><Sku>&g;</Sku><Qty>1</Qty></R></Rs>
            """),
        ("empty-looking internal subset with a remote DTD", """
            <?xml version="1.0"?>
            <!DOCTYPE Rs SYSTEM "http://dtd.invalid/evil.dtd" [<!ATTLIST R a CDATA "x">]>
            <Rs><R id="1"><Sku>A</Sku><Qty>1</Qty></R></Rs>
            """),
        ("parameter entity", """
            <?xml version="1.0"?>
            <!DOCTYPE Rs [<!ENTITY % remote SYSTEM "http://dtd.invalid/x.dtd"> %remote;]>
            <Rs><R id="1"><Sku>A</Sku><Qty>1</Qty></R></Rs>
            """),
    ]

    @Test(arguments: hostile)
    func hostileFilesAreRejectedBeforeAnythingIsExpandedOrFetched(name: String, xml: String) {
        let yaml = "feed: receipts\nxml: { record: //R }\nfields: { receipt_ref: \"@id\", sku: Sku, quantity: Qty }\n"
        var records: [Result<MappedRecord, RecordRejection>] = []
        #expect {
            records = try read(yaml, xml, suffix: ".xml")
        } throws: { error in
            let reason = (error as? FileRejection)?.reason ?? "\(error)"
            return reason.contains("declares an internal DTD subset") || reason.hasPrefix("not well-formed XML")
        }
        #expect(records.isEmpty, "\(name): no record may be read")
    }

    /// cXML starts every document with a DOCTYPE naming its DTD: the name is a label. The DTD here would give
    /// every R an attribute `loaded` and define `&x;`; reading it would show. It is never fetched nor read.
    @Test(arguments: ["SYSTEM \"DTD_URL\"", "PUBLIC \"-//Example//DTD Receipts//EN\" \"DTD_URL\""])
    func aDoctypeWithOnlyAnExternalIdentifierImportsAndIsNeverRead(_ identifier: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-dtd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dtd = folder.appendingPathComponent("evil.dtd")
        try Data("<!ATTLIST R loaded CDATA \"LOADED\">\n<!ENTITY x \"EXPANDED\">\n".utf8).write(to: dtd)
        let yaml = "feed: receipts\nxml: { record: //R }\nfields: { receipt_ref: \"@id\", sku: Sku, quantity: Qty, receipt.loaded: \"@loaded\" }\n"
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Rs \(identifier.replacingOccurrences(of: "DTD_URL", with: dtd.absoluteString))>
            <Rs><R id="1"><Sku>A</Sku><Qty>1</Qty></R></Rs>
            """
        let records = try read(yaml, xml, suffix: ".xml")
        #expect(records.count == 1)
        guard case .success(let record)? = records.first else { Issue.record("the record imports"); return }
        #expect(record.values.contains("1") && record.values.contains("A"))
        #expect(!record.values.contains("LOADED"), "the DTD was read")
        #expect(!record.custom.values.contains("LOADED"), "the DTD was read")
    }

    @Test func aRecordPathThatMatchesNothingIsAFileError() {
        let yaml = "feed: receipts\nxml: { record: /Nope }\nfields: { receipt_ref: \"@id\", sku: Sku, quantity: Qty }\n"
        #expect {
            _ = try read(yaml, "<Rs><R id=\"1\"/></Rs>", suffix: ".xml")
        } throws: { ($0 as? FileRejection)?.reason.hasPrefix("no record elements found at '/Nope'") == true }
    }

    let cXML = """
        feed: orders
        xml:
          record: /cXML/Request/OrderRequest
          lines: ItemOut
        fields:
          order_ref: ../OrderRequestHeader/@orderID
          order_date: ../OrderRequestHeader/@orderDate
          customer_ref: /cXML/Header/From/Credential[@domain='NetworkID']/Identity
          line_no: "@lineNumber"
          sku: ItemID/SupplierPartID
          quantity: "@quantity"
          order.payload: /cXML/@payloadID
          order.sender: { template: "{/cXML/Header/Sender/Credential/Identity}/{/cXML/Request/@deploymentMode}" }
        """

    /// cXML keeps the buyer in the Header, beside the Request: an absolute path reads it for every record.
    @Test func anAbsolutePathReadsValuesBesideAndAboveTheRecord() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">
            <cXML payloadID="P-1@buyer" timestamp="2026-03-01T00:15:00+01:00">
              <Header>
                <From><Credential domain="DUNS"><Identity>123</Identity></Credential><Credential domain="NetworkID"><Identity>C1</Identity></Credential></From>
                <To><Credential domain="DUNS"><Identity>999</Identity></Credential></To>
                <Sender><Credential domain="NetworkID"><Identity>AN01</Identity></Credential></Sender>
              </Header>
              <Request deploymentMode="production">
                <OrderRequest><OrderRequestHeader orderID="PO-1" orderDate="2026-03-01T00:15:00+01:00"/>
                  <ItemOut lineNumber="1" quantity="2"><ItemID><SupplierPartID>A</SupplierPartID></ItemID></ItemOut>
                  <ItemOut lineNumber="2" quantity="1"><ItemID><SupplierPartID>B</SupplierPartID></ItemID></ItemOut>
                </OrderRequest>
                <OrderRequest><OrderRequestHeader orderID="PO-2" orderDate="2026-03-02"/>
                  <ItemOut lineNumber="1" quantity="5"><ItemID><SupplierPartID>C</SupplierPartID></ItemID></ItemOut>
                </OrderRequest>
              </Request>
            </cXML>
            """
        let records = try read(cXML, xml, suffix: ".xml")
        #expect(records.count == 3)
        for record in records {
            #expect(try record.value("customer_ref", feed: .orders) == "C1", "the Header was read before the record and is kept")
            #expect(try record.get().custom["order.payload"] == "P-1@buyer")
            #expect(try record.get().custom["order.sender"] == "AN01/production")
        }
        #expect(try records[0].value("order_date", feed: .orders) == "2026-03-01T00:15:00Z", "the date as the sender wrote it")
        #expect(try records[2].value("order_ref", feed: .orders) == "PO-2")
    }

    @Test func anAbsolutePathThatCanNeverMatchIsAMistakeInTheMapping() {
        func error(_ path: String) -> String {
            do {
                _ = try MappingLoader().load(yaml: cXML.replacingOccurrences(of: "/cXML/Header/From/Credential[@domain='NetworkID']/Identity", with: path),
                                             file: "m.yaml", name: "m")
                return "no error"
            } catch { return error.description }
        }
        #expect(error("/Header/From/Credential/Identity")
                == "m.yaml:8:17: absolute path '/Header/From/Credential/Identity' can never match: the document's root element is cXML (from xml: record: /cXML/Request/OrderRequest), and the path starts elsewhere")
        #expect(error("/cXML//Identity").hasPrefix("m.yaml:8:17: absolute path '/cXML//Identity': expected /root/child/..."))
        #expect(error("/cXML/Header/../Header/From").hasPrefix("m.yaml:8:17: absolute path '/cXML/Header/../Header/From': expected"))
        #expect(error("/cXML/Header/@x/y").hasPrefix("m.yaml:8:17: absolute path"))
        #expect(error("/cXML/Header/From/Credential[1]/Identity/text()") == "no error")
    }

    /// UBL allows the root with a prefix (`<ubl:Order xmlns:ubl=...>`) or as the default namespace: the
    /// mapping names the namespace, never the sender's prefix, so both import through one mapping.
    @Test(arguments: ["<Order xmlns=\"urn:o\" xmlns:cbc=\"urn:b\">", "<ubl:Order xmlns:ubl=\"urn:o\" xmlns:cbc=\"urn:b\">"])
    func aPrefixedOrADefaultNamespaceRootReadsTheSame(root: String) throws {
        let yaml = """
            feed: receipts
            xml:
              record: /o:Order
              namespaces: { o: "urn:o", b: "urn:b" }
            fields:
              receipt_ref: /o:Order/b:ID
              sku: b:Sku
              quantity: b:Qty
            """
        let close = root.hasPrefix("<ubl:") ? "</ubl:Order>" : "</Order>"
        let records = try read(yaml, "\(root)<cbc:ID>R-9</cbc:ID><cbc:Sku>A</cbc:Sku><cbc:Qty>3</cbc:Qty>\(close)", suffix: ".xml")
        #expect(try records[0].value("receipt_ref") == "R-9")
        #expect(try records[0].value("quantity") == "3")
    }

    /// XML has no NUL character: a file with one is not well-formed and is refused whole, nothing of it stored.
    @Test func aNulByteInXMLTextRefusesTheFile() {
        let yaml = "feed: receipts\nxml: { record: //R }\nfields: { receipt_ref: \"@id\", sku: Sku, quantity: Qty }\n"
        #expect {
            _ = try read(yaml, Array("<Rs><R id=\"1\"><Sku>AB".utf8) + [0] + Array("CD</Sku><Qty>1</Qty></R></Rs>".utf8), suffix: ".xml")
        } throws: { ($0 as? FileRejection)?.reason.hasPrefix("not well-formed XML at line 1") == true }
    }

    /// With a `//` record path, an absolute path reads an attribute of the root and an element beside the records.
    @Test func anAbsolutePathWithARecordPathFromAnywhere() throws {
        let yaml = """
            feed: receipts
            xml: { record: //R }
            fields: { receipt_ref: "@id", sku: Sku, quantity: Qty, receipt.batch: /Rs/@batch, receipt.site: /Rs/Head/Site }
            """
        var xml = "<Rs batch=\"B7\"><Head><Site>LDS</Site></Head>"
        for i in 1...300 { xml += "<R id=\"\(i)\"><Sku>A</Sku><Qty>1</Qty></R>" }
        xml += "</Rs>"
        let records = try read(yaml, xml, suffix: ".xml")
        #expect(records.count == 300)
        #expect(try records.allSatisfy { try $0.get().custom == ["receipt.batch": "B7", "receipt.site": "LDS"] })
    }
}
