import Foundation
import OrderOutput
import OrderRules
import Testing

@Suite struct XMLTemplateTests {
    @Test func writesPlaceholdersInTextAndAttributesAndDropsTheControlNamespace() throws {
        let text = """
            <po:Order xmlns:po="urn:example:po" xmlns="urn:example:default" xmlns:of="urn:orderflow:output" id="{{ document.ref }}">
              <Supplier code="S-{{ supplier.ref }}">{{ supplier.name }}</Supplier>
              <Issued>{{ document.date }}</Issued>
              <Empty/>
            </po:Order>
            """
        let template = try XMLTemplate.parse(text, catalog: XMLSample.catalog)
        let bytes = try template.render(XMLSample.purchaseOrder(), today: XMLSample.today, format: ValueFormat())
        #expect(XMLSample.isWellFormed(bytes))
        #expect(String(decoding: bytes, as: UTF8.self) == """
            <?xml version="1.0" encoding="UTF-8"?>
            <po:Order xmlns:po="urn:example:po" xmlns="urn:example:default" id="PO-000042">
              <Supplier code="S-ACME">Acme Supplies &lt;UK&gt; Ltd</Supplier>
              <Issued>2026-03-05</Issued>
              <Empty/>
            </po:Order>

            """)
        #expect(template.fields == ["document.ref", "supplier.ref", "supplier.name", "document.date"])
    }

    @Test func repeatsAnElementPerRowWithTheTemplatesIndentation() throws {
        let rendered = try XMLSample.render("""

              <Ref>{{ order.ref }}</Ref>
              <Line of:each="line" no="{{ line.line_no }}">
                <Sku>{{ line.sku }}</Sku>
                <Ref>{{ order.ref }}</Ref>
              </Line>

            """)
        #expect(XMLSample.body(rendered) == """
            <doc>
              <Ref>SO-1001</Ref>
              <Line no="1">
                <Sku>WID-100</Sku>
                <Ref>SO-1001</Ref>
              </Line>
              <Line no="2">
                <Sku>NUT-8</Sku>
                <Ref>SO-1001</Ref>
              </Line>
              <Line no="3">
                <Sku>WID-200</Sku>
                <Ref>SO-1001</Ref>
              </Line>
            </doc>
            """)
    }

    @Test func leavesOutAnElementWhoseConditionDoesNotHold() throws {
        let body = """

              <A of:if="order.ship_address2">{{ order.ship_address2 }}</A>
              <B of:if="supplier.email is not null">{{ supplier.email }}</B>
              <C of:if="order.ref = 'SO-1001'">yes</C>
              <D of:if="count lines > 5">many</D>

            """
        let present = try XMLSample.render(body)
        #expect(XMLSample.body(present) == """
            <doc>
              <A>Goods In, Door 3</A>
              <B>orders@acme.example</B>
              <C>yes</C>
            </doc>
            """)
        let absent = try XMLSample.render(body, document: XMLSample.purchaseOrder(shipAddress2: .text(""), supplierEmail: .null))
        #expect(XMLSample.body(absent) == """
            <doc>
              <C>yes</C>
            </doc>
            """)
    }

    @Test func aConditionOnARepeatedElementChoosesRows() throws {
        let rendered = try XMLSample.render("<L of:each=\"line\" of:if=\"line.quantity > 2\">{{ line.sku }}</L>")
        #expect(XMLSample.body(rendered) == "<doc><L>WID-100</L><L>NUT-8</L></doc>")
    }

    @Test func escapesHostileTextAndKeepsTheDocumentWellFormed() throws {
        let hostile = "]]> & <tag> \"double\" 'single' \u{1}\u{8}\u{B}\u{C}\u{1F}\u{FFFE} end"
        var document = XMLSample.purchaseOrder()
        document.header.entities["supplier"]?["name"] = .text(hostile)
        document.header.entities["supplier"]?["ref"] = .text("a\tb\nc\r\nd\re \"q\" 'a' <&>")
        let template = try XMLTemplate.parse("""
            <doc xmlns:of="urn:orderflow:output" ref="{{ supplier.ref }}"><![CDATA[{{ supplier.name }}]]><n>{{ supplier.name }}</n><r>{{ supplier.ref }}</r></doc>
            """, catalog: XMLSample.catalog)
        let bytes = try template.render(document, today: XMLSample.today, format: ValueFormat())
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(XMLSample.isWellFormed(bytes))
        #expect(!text.contains("]]>"))
        #expect(text.contains("]]&gt; &amp; &lt;tag&gt; &quot;double&quot; &apos;single&apos;  end"))
        // Control characters XML 1.0 cannot carry are left out; line ends and tabs survive a parser.
        #expect(XMLSample.text(of: "n", in: bytes) == "]]> & <tag> \"double\" 'single'  end")
        #expect(XMLSample.attribute("ref", of: "doc", in: bytes) == "a\tb\nc\r\nd\re \"q\" 'a' <&>")
        #expect(XMLSample.text(of: "r", in: bytes) == "a\tb\nc\r\nd\re \"q\" 'a' <&>")
    }

    @Test func literalTextOfTheTemplateIsWrittenEscaped() throws {
        let rendered = try XMLSample.render("<a t=\"x &amp; &quot;y&quot; &lt;\">1 &lt; 2 &amp; 3 &gt; 2 &#233;</a><!-- a note --><?pi data?>")
        #expect(XMLSample.body(rendered) == "<doc><a t=\"x &amp; &quot;y&quot; &lt;\">1 &lt; 2 &amp; 3 &gt; 2 é</a></doc>")
    }

    @Test func writesADoctypeOnlyFromTheRootsControlAttribute() throws {
        let template = try XMLTemplate.parse("""
            <cXML xmlns:of="urn:orderflow:output" of:doctype-system="http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd"/>
            """, catalog: XMLSample.catalog)
        let text = String(decoding: try template.render(XMLSample.purchaseOrder(), today: XMLSample.today, format: ValueFormat()), as: UTF8.self)
        #expect(text == """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">
            <cXML/>

            """)
    }

    @Test func usesTheFormatsDecimalSeparatorAndDatePattern() throws {
        let template = try XMLTemplate.parse("""
            <d xmlns:of="urn:orderflow:output" on="{{ document.date }}"><q of:each="line">{{ line.quantity }}</q></d>
            """, catalog: XMLSample.catalog)
        let bytes = try template.render(XMLSample.purchaseOrder(), today: XMLSample.today, format: ValueFormat(decimalSeparator: ",", datePattern: "dd.MM.yyyy"))
        #expect(String(decoding: bytes, as: UTF8.self).contains("<d on=\"05.03.2026\"><q>4</q><q>12,5</q><q>1</q></d>"))
    }

    @Test func rendersADocumentWithoutRows() throws {
        let empty = OutputDocumentValues(header: XMLSample.purchaseOrder().header, rows: [])
        let rendered = try XMLSample.render("\n  <L of:each=\"line\">{{ line.sku }}</L>\n", document: empty)
        #expect(XMLSample.body(rendered) == "<doc>\n</doc>")
    }
}
