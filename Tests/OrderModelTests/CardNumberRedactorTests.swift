import Testing
import OrderModel

/// The masking rule of issue 13 §3: separators, markup, encodings, neighbours, card fields.
@Suite struct CardNumberRedactorRuleTests {
    @Test func masksNumbersSeparatedByDots() {
        #expect(CardNumberRedactor.redact("Mr 4111.1111.1111.1111 Smith") == "Mr ****.****.****.1111 Smith")
        // Prices and quantities with a decimal point are left alone.
        #expect(CardNumberRedactor.redact("12.50 3 1999.99") == "12.50 3 1999.99")
    }

    @Test func masksANumberSplitByXMLMarkupKeepingTheBytes() {
        let cases = [
            ("<n>4111<!-- x -->111111111111</n>", "<n>****<!-- x -->********1111</n>"),
            ("<n><![CDATA[4111]]>11111111111<![CDATA[1]]></n>", "<n><![CDATA[****]]>********111<![CDATA[1]]></n>"),
            ("<n>4111<?pi x?>111111111111 1</n>", "<n>****<?pi x?>********1111 1</n>"),
            ("<n>&#52;&#x31;11111111111111</n>", "<n>*********************1111</n>"),
        ]
        for (text, expected) in cases {
            var bytes = Array(text.utf8)
            #expect(CardNumberRedactor.redact(&bytes))
            #expect(String(decoding: bytes, as: UTF8.self) == expected)
        }
    }

    @Test func scansTheTextOfACommentThatSplitsARun() {
        var bytes = Array("12<!--4111111111111111-->34".utf8)
        #expect(CardNumberRedactor.redact(&bytes))
        #expect(String(decoding: bytes, as: UTF8.self) == "12<!--************1111-->34")
    }

    @Test func findsACardNumberWrittenNextToAnotherNumber() {
        #expect(CardNumberRedactor.redact("qty 2 4111 1111 1111 1111") == "qty 2 **** **** **** 1111")
        #expect(CardNumberRedactor.redact("call 0800 123 4111-1111-1111-1111") == "call 0800 123 ****-****-****-1111")
        // Short groups (dates, phone numbers written in pairs) never form a card number.
        #expect(CardNumberRedactor.redact("2026-11-27 12 34 56 78 90 12") == "2026-11-27 12 34 56 78 90 12")
    }

    @Test func masksUTF16InItsOwnEncoding() {
        for little in [true, false] {
            let text = "a,4111 1111 1111 1111,b\n"
            var bytes: [UInt8] = little ? [0xFF, 0xFE] : [0xFE, 0xFF]
            for unit in text.utf16 {
                bytes += little ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
            }
            let count = bytes.count
            #expect(CardNumberRedactor.redactUTF16(&bytes, littleEndian: little))
            #expect(bytes.count == count)
            let units = stride(from: 2, to: bytes.count, by: 2).map {
                little ? UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 : UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
            }
            #expect(String(decoding: units, as: UTF16.self) == "a,**** **** **** 1111,b\n")
        }
    }

    @Test func aCardFieldIsMaskedEvenWhenItFailsLuhn() {
        #expect(CardNumberRedactor.maskingCardField("4111 1111 1111 1112") == "**** **** **** 1112")
        #expect(CardNumberRedactor.maskingCardField("12") == "12")
    }

    @Test func listsTheCardNumbersOfFreeText() {
        #expect(CardNumberRedactor.cardNumbers(in: "x 4111.1111.1111.1111 y 5555 5555 5555 4444") == ["4111111111111111", "5555555555554444"])
    }

    @Test func needsRedactionSaysWhetherAnythingWouldBeMasked() {
        let plain = Array("SO-1,2026-11-27,12.50\n".utf8), card = Array("SO-1,4111111111111111\n".utf8)
        plain.withUnsafeBufferPointer { #expect(!CardNumberRedactor.needsRedaction($0)) }
        card.withUnsafeBufferPointer { #expect(CardNumberRedactor.needsRedaction($0)) }
    }
}
