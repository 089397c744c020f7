import Testing
import OrderModel

@Suite struct PaymentCardTests {
    @Test func keepsOnlyTheLastFourDigits() {
        let card = PaymentCard(rawNumber: "4111 1111 1111 1111")
        #expect(card.status == .valid)
        #expect(card.lastFour == "1111")
    }

    @Test(arguments: ["4111111111111112", "1234", "4111x11111111111", "41111111111111111111"])
    func flagsNumbersThatFailTheCheck(raw: String) {
        #expect(PaymentCard(rawNumber: raw).status == .invalid)
    }

    @Test func blankIsMissing() {
        #expect(PaymentCard(rawNumber: "  ").status == .missing)
    }

    @Test func expiryParsesMonthAndYear() {
        #expect(CardExpiry(parsing: "09/27") == CardExpiry(year: 2027, month: 9))
        #expect(CardExpiry(parsing: "9/2027") == CardExpiry(year: 2027, month: 9))
        #expect(CardExpiry(parsing: "13/27") == nil)
        #expect(CardExpiry(parsing: "0927") == nil)
        #expect(CardExpiry(year: 2026, month: 10) < CardExpiry(year: 2026, month: 11))
    }
}

@Suite struct CardNumberRedactorTests {
    @Test func masksLuhnValidNumbersInFreeTextKeepingLength() {
        let text = "call 4111-1111-1111-1111 or 5555 5555 5555 4444 now"
        let redacted = CardNumberRedactor.redact(text)
        #expect(redacted == "call ****-****-****-1111 or **** **** **** 4444 now")
        #expect(redacted.utf8.count == text.utf8.count)
    }

    @Test func leavesOrdinaryNumbersAlone() {
        // 4111111111111112 fails Luhn; phone numbers and short codes are not card numbers.
        for text in ["4111111111111112", "+44 113 496 0000", "order 123456", "2026-11-27"] {
            #expect(CardNumberRedactor.redact(text) == text)
        }
    }

    @Test func masksANumberThatEndsTheTextAndStopsAtATrailingSeparator() {
        #expect(CardNumberRedactor.redact("qty 12, card 4111 1111 1111 1111") == "qty 12, card **** **** **** 1111")
        #expect(CardNumberRedactor.redact("4111-1111-1111-1111- 7") == "****-****-****-1111- 7")
        #expect(CardNumberRedactor.redact("2026-11-27 12 34 56 78 90 12") == "2026-11-27 12 34 56 78 90 12")
    }

    @Test func masksKnownNumbersEvenWhenTheyFailLuhn() {
        var bytes = Array("a,4111111111111112,b,4006000000000000".utf8)
        #expect(CardNumberRedactor.redact(&bytes, known: ["4111111111111112"]))
        #expect(String(decoding: bytes, as: UTF8.self) == "a,************1112,b,4006000000000000")
    }
}
