import Foundation
import OrderOutput
import OrderRules
import Testing

/// A template's mistakes are found when its mapping loads, each at the line and column of the template's
/// text (the loader places them in the YAML file).
@Suite struct XMLTemplateErrorTests {
    @Test func refusesADoctypeWithEntitiesBeforeParsing() throws {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <lolz>&lol3;</lolz>
            """
        let error = try #require(XMLSample.parseError(laughs))
        #expect((error.line, error.column) == (2, 1))
        #expect(error.message.contains("DOCTYPE"))
    }

    @Test func refusesAnExternalEntity() throws {
        let xxe = "<!DOCTYPE d SYSTEM \"file:///etc/passwd\"><d>&ent;</d>"
        let error = try #require(XMLSample.parseError(xxe))
        #expect((error.line, error.column) == (1, 1))
        // An entity reference without a declaration is not well-formed XML: never read from anywhere.
        let undeclared = try #require(XMLSample.parseError("<d>\n  &passwd;</d>"))
        #expect(undeclared.line == 2)
        #expect(undeclared.message.contains("not well-formed"))
    }

    @Test func reportsLibxml2sPositionForMalformedXML() throws {
        let error = try #require(XMLSample.parseError("<a>\n  <b>text</c>\n</a>"))
        #expect(error.line == 2)
        #expect(error.column == 14)
        #expect(error.message.contains("not well-formed"))
        let undeclaredPrefix = try #require(XMLSample.parseError("<a>\n <x:b/></a>"))
        #expect(undeclaredPrefix.line == 2)
        #expect(try #require(XMLSample.parseError("")).message.contains("empty"))
        let undeclaredControl = try #require(XMLSample.parseError("<a>\n <b of:each=\"line\"/></a>"))
        #expect(undeclaredControl.line == 2)
        #expect(undeclaredControl.message.contains("xmlns:of=\"urn:orderflow:output\""), "\(undeclaredControl)")
    }

    @Test func placesAnExpressionMistakeInTextAtItsCharacter() throws {
        let text = """
            <d xmlns:of="urn:orderflow:output">
              <a>{{ order.ref }}</a>
              <b>total: {{ order.ref }} and {{ order.nope }}</b>
            </d>
            """
        let error = try #require(XMLSample.parseError(text))
        #expect((error.line, error.column) == (3, 36))
        #expect(error.message.contains("order.nope") || error.message.contains("nope"))
    }

    @Test func placesAnExpressionMistakeInAnAttributeAtItsCharacter() throws {
        let text = """
            <d xmlns:of="urn:orderflow:output">
              <a
                 code="x{{ supplier.ref + 1 }}"/>
            </d>
            """
        let error = try #require(XMLSample.parseError(text))
        #expect(error.line == 3)
        #expect(error.column > 17 && error.column < 35)
    }

    @Test func aLineFieldOutsideARepeatedElementIsAMistakeAtItsPlace() throws {
        let text = "<d xmlns:of=\"urn:orderflow:output\">\n  <s>{{ line.sku }}</s>\n</d>"
        let error = try #require(XMLSample.parseError(text))
        #expect((error.line, error.column) == (2, 9))
    }

    @Test func placesAConditionMistakeInTheAttribute() throws {
        let text = "<d xmlns:of=\"urn:orderflow:output\">\n  <s of:if=\"order.ref = \">x</s>\n</d>"
        let error = try #require(XMLSample.parseError(text))
        #expect(error.line == 2)
        #expect(error.column >= 13)
    }

    @Test(arguments: [
        ("<d xmlns:of=\"urn:orderflow:output\"><s of:each=\"lines\"/></d>", "of:each=\"lines\""),
        ("<d xmlns:of=\"urn:orderflow:output\"><s of:each=\"line\"><t of:each=\"line\"/></s></d>", "already repeats"),
        ("<d xmlns:of=\"urn:orderflow:output\" of:each=\"line\"/>", "root"),
        ("<d xmlns:of=\"urn:orderflow:output\"><s of:unless=\"true\"/></d>", "of:unless"),
        ("<d xmlns:of=\"urn:orderflow:output\"><of:loop/></d>", "of:loop"),
        ("<d xmlns:of=\"urn:orderflow:output\"><s of:if=\"{{ order.ref }}\"/></d>", "without {{ }}"),
    ])
    func refusesControlAttributesItDoesNotKnow(text: String, expected: String) throws {
        let error = try #require(XMLSample.parseError(text))
        #expect(error.message.contains(expected), "\(error)")
        #expect(error.line == 1)
    }
}
