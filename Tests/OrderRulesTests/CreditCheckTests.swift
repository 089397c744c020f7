import Foundation
import Testing
import OrderModel
import OrderRules

@Suite struct CreditCheckTests {
    let day = Timestamp(iso8601: "2026-11-26")!

    func candidate(_ id: Int64, customer: String = "C", method: PaymentMethod? = nil, value: Int64,
                   card: PaymentCard = PaymentCard(rawNumber: ""), expiry: CardExpiry? = nil, overridden: Bool = false) -> CreditCheck.Candidate {
        CreditCheck.Candidate(orderID: id, customerRef: customer, orderDate: day, paymentMethod: method, card: card,
                              cardExpiry: expiry, value: Money(minorUnits: value), overridden: overridden)
    }

    let account = CreditCheck.Customer(terms: .account, creditLimit: Money(minorUnits: 1000), balance: Money(minorUnits: 200), onStop: false)

    @Test func passingOrdersUseUpTheLimitInTheOrderGiven() {
        let decisions = CreditCheck().decide([candidate(1, value: 500), candidate(2, value: 400), candidate(3, value: 300)],
                                             customers: ["C": account], openExposure: [:])
        // 200 + 500 = 700 ok; + 400 = 1100 > 1000 held; + 300 = 1000 ok (held orders do not count).
        #expect(decisions[0] == .pass)
        guard case .hold(let hold) = decisions[1] else { Issue.record("expected a hold"); return }
        #expect(hold.code == "credit-limit")
        #expect(hold.reason == "exposure 11.00 (balance 2.00 + open orders 5.00 + this order 4.00) exceeds the credit limit 10.00")
        #expect(decisions[2] == .pass)
    }

    @Test func openExposureFromEarlierCyclesCounts() {
        let decisions = CreditCheck().decide([candidate(1, value: 100)], customers: ["C": account],
                                             openExposure: ["C": Money(minorUnits: 750)])
        #expect(decisions[0] != .pass)
    }

    @Test func cardRules() {
        let card = CreditCheck.Customer(terms: .card, creditLimit: .zero, balance: .zero, onStop: false)
        let valid = PaymentCard(rawNumber: "4111111111111111")
        let cases: [(CreditCheck.Candidate, String?)] = [
            (candidate(1, value: 1), "card-missing"),
            (candidate(2, value: 1, card: PaymentCard(rawNumber: "4111111111111112"), expiry: CardExpiry(year: 2027, month: 1)), "card-invalid"),
            (candidate(3, value: 1, card: valid), "card-expiry-missing"),
            (candidate(4, value: 1, card: valid, expiry: CardExpiry(year: 2026, month: 10)), "card-expired"),
            (candidate(5, value: 1, card: valid, expiry: CardExpiry(year: 2026, month: 11)), nil),
        ]
        let decisions = CreditCheck().decide(cases.map(\.0), customers: ["C": card], openExposure: [:])
        for ((_, code), decision) in zip(cases, decisions) {
            switch decision {
            case .pass: #expect(code == nil)
            case .hold(let hold): #expect(hold.code == code)
            }
        }
    }

    @Test func theOrdersPaymentMethodOverridesTheTermsAndProformaPasses() {
        let decisions = CreditCheck().decide([candidate(1, method: .proforma, value: 1_000_000), candidate(2, method: .card, value: 1)],
                                             customers: ["C": account], openExposure: [:])
        #expect(decisions[0] == .pass)
        #expect(decisions[1] != .pass)
    }

    @Test func unknownAndStoppedCustomersAreHeldUnlessReleasedByHand() {
        var stopped = account
        stopped.onStop = true
        let decisions = CreditCheck().decide(
            [candidate(1, customer: "X", value: 1), candidate(2, customer: "S", value: 1), candidate(3, customer: "S", value: 1, overridden: true)],
            customers: ["S": stopped], openExposure: [:])
        #expect(decisions[0] == .hold(.init(code: "unknown-customer", reason: "customer X is not in the customer file")))
        #expect(decisions[1] == .hold(.init(code: "on-stop", reason: "customer S is on stop")))
        #expect(decisions[2] == .pass)
    }

    @Test func theCreditCheckHoldsAnOrderWhoseValueCannotBeComputed() {
        let day0 = Timestamp(iso8601: "2026-11-26")!
        let customer = CreditCheck.Customer(terms: .account, creditLimit: Money(minorUnits: .max), balance: Money(minorUnits: 10),
                                            onStop: false)
        func candidate(_ id: Int64, _ value: Money?) -> CreditCheck.Candidate {
            CreditCheck.Candidate(orderID: id, customerRef: "C", orderDate: day0, paymentMethod: nil, card: PaymentCard(rawNumber: ""),
                                  cardExpiry: nil, value: value, overridden: false)
        }
        let decisions = CreditCheck().decide([candidate(1, Money(minorUnits: .max)), candidate(2, nil), candidate(3, Money(minorUnits: 5))],
                                             customers: ["C": customer], openExposure: [:])
        for decision in decisions.prefix(2) {
            guard case .hold(let hold) = decision else { Issue.record("expected a hold, got \(decision)"); continue }
            #expect(hold.code == "value-too-large")
            #expect(hold.reason.contains("too large to compute"))
        }
        // The held orders added nothing to the exposure: the next order is checked as usual.
        #expect(decisions.last == .pass)
        // An exposure already beyond what can be computed holds the customer's next order too.
        let next = CreditCheck().decide([candidate(4, Money(minorUnits: 5))], customers: ["C": customer], openExposure: ["C": nil])
        #expect(next.first.map { if case .hold(let h) = $0 { h.code == "value-too-large" } else { false } } == true)
    }
}

/// An order in another currency than its customer's credit is held unless orderflow.yaml gives a rate.
@Suite struct CreditCheckCurrencyTests {
    let day = Timestamp(iso8601: "2026-11-26")!
    let gbp = CurrencyCode("GBP")!, eur = CurrencyCode("EUR")!

    func order(_ id: Int64, value: Int64, currency: String?, customer: String = "C") -> CreditCheck.Candidate {
        CreditCheck.Candidate(orderID: id, customerRef: customer, orderDate: day, paymentMethod: nil, card: PaymentCard(rawNumber: ""),
                              cardExpiry: nil, value: Money(minorUnits: value), overridden: false, currency: currency.flatMap(CurrencyCode.init))
    }

    func customer(limit: Int64, currency: CurrencyCode? = nil) -> CreditCheck.Customer {
        CreditCheck.Customer(terms: .account, creditLimit: Money(minorUnits: limit), balance: .zero, onStop: false, currency: currency)
    }

    @Test func anOrderInAnotherCurrencyWithoutARateIsHeldSayingWhichRateIsMissing() {
        let decisions = CreditCheck().decide([order(1, value: 100, currency: "EUR"), order(2, value: 100, currency: "GBP"), order(3, value: 100, currency: nil)],
                                             customers: ["C": customer(limit: 100_000)], openExposure: [:],
                                             rates: CurrencyRates(home: gbp))
        #expect(decisions[0] == .hold(CreditCheck.Hold(code: "currency-mismatch", reason:
            "the order is in EUR but customer C's credit is in GBP, and orderflow.yaml gives no rate for EUR (currency_rates)")))
        #expect(decisions[1] == .pass)
        #expect(decisions[2] == .pass, "an order that states no currency is in its customer's")
    }

    @Test func withARateTheOrderIsCheckedInTheCustomersCurrencyAndAddsToTheExposureConverted() {
        let rates = CurrencyRates(home: gbp, rates: [eur: Decimal(string: "0.86")!])
        // 100.00 EUR = 86.00 GBP: within 90.00; a second 10.00 EUR (8.60 GBP) makes 94.60 > 90.00.
        let decisions = CreditCheck().decide([order(1, value: 10_000, currency: "EUR"), order(2, value: 1_000, currency: "EUR")],
                                             customers: ["C": customer(limit: 9_000)], openExposure: [:], rates: rates)
        #expect(decisions[0] == .pass)
        #expect(decisions[1] == .hold(CreditCheck.Hold(code: "credit-limit", reason:
            "exposure 94.60 (balance 0.00 + open orders 86.00 + this order 8.60 (10.00 EUR at 0.86)) exceeds the credit limit 90.00")))
    }

    @Test func aCustomerInTheOrdersCurrencyNeedsNoRate() {
        let decisions = CreditCheck().decide([order(1, value: 100, currency: "EUR")], customers: ["C": customer(limit: 1_000, currency: eur)],
                                             openExposure: [:], rates: CurrencyRates(home: gbp))
        #expect(decisions == [.pass])
    }
}
