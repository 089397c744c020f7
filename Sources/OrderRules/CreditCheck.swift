import OrderModel

/// The credit check: which orders may proceed and which are held, with the reason.
///
/// A pure function of the orders to check (oldest first), the customers and each
/// customer's exposure from orders that already passed, so it is tested without a
/// database and re-run every cycle for the orders it holds. An order that passes adds
/// its value to its customer's exposure before the next order is checked.
public struct CreditCheck: Sendable {
    public init() {}

    public struct Customer: Sendable, Hashable {
        public var terms: PaymentMethod
        public var creditLimit: Money
        public var balance: Money
        public var onStop: Bool
        /// The currency of the credit limit and balance; nil: the home's (`currency` in orderflow.yaml).
        public var currency: CurrencyCode?
        public init(terms: PaymentMethod, creditLimit: Money, balance: Money, onStop: Bool, currency: CurrencyCode? = nil) {
            self.terms = terms; self.creditLimit = creditLimit; self.balance = balance; self.onStop = onStop
            self.currency = currency
        }
    }

    public struct Candidate: Sendable, Hashable {
        public var orderID: Int64
        public var customerRef: String
        public var orderDate: Timestamp
        public var paymentMethod: PaymentMethod?
        public var card: PaymentCard
        public var cardExpiry: CardExpiry?
        /// Sum of quantity × unit price over the order's lines; nil when it is too large to compute exactly.
        public var value: Money?
        /// A person released the order: the check is overridden.
        public var overridden: Bool
        /// The currency the order states; nil: its customer's.
        public var currency: CurrencyCode?
        public init(orderID: Int64, customerRef: String, orderDate: Timestamp, paymentMethod: PaymentMethod?,
                    card: PaymentCard, cardExpiry: CardExpiry?, value: Money?, overridden: Bool, currency: CurrencyCode? = nil) {
            self.orderID = orderID; self.customerRef = customerRef; self.orderDate = orderDate
            self.paymentMethod = paymentMethod; self.card = card; self.cardExpiry = cardExpiry
            self.value = value; self.overridden = overridden; self.currency = currency
        }
    }

    /// Why an order is held, as a stable code and a sentence for people.
    public struct Hold: Sendable, Hashable {
        public var code: String
        public var reason: String
        public init(code: String, reason: String) { self.code = code; self.reason = reason }
    }

    public enum Decision: Sendable, Hashable {
        case pass
        case hold(Hold)
    }

    /// Decides each candidate in the order given (oldest first).
    /// - Parameters:
    ///   - openExposure: per customer, the value of open lines of orders that already passed, in the customer's
    ///     currency; a customer missing here has none, a customer whose value is nil has more than can be computed.
    ///   - rates: the home currency and the rates that let an order in another currency than its customer's be
    ///     checked against the customer's credit; without a rate such an order is held.
    public func decide(
        _ candidates: [Candidate],
        customers: [String: Customer],
        openExposure: [String: Money?],
        money: MoneyFormat = .standard,
        rates: CurrencyRates = .none
    ) -> [Decision] {
        var exposure = openExposure
        return candidates.map { order in
            let open: Money? = switch exposure[order.customerRef] { case .none: .zero; case .some(let known): known }
            let customer = customers[order.customerRef]
            let decision = decide(order, customer: customer, open: open, money: money, rates: rates)
            if case .pass = decision {
                // An overflow makes the exposure unknown: the customer's later orders are then held, not passed blindly.
                var value: Money? = nil
                if let customer, case .value(let found, _) = valueForCredit(order, customer: customer, rates: rates, money: money) {
                    value = found
                }
                exposure[order.customerRef] = .some(open.flatMap { open in value.flatMap { try? open + $0 } })
            }
            return decision
        }
    }

    /// The order's value in its customer's currency, with the words that say how it was converted (empty when
    /// it was not); a hold when the currencies differ and no rate is given.
    enum CreditValue {
        /// nil: too large to compute.
        case value(Money?, note: String)
        case hold(Hold)
    }

    func valueForCredit(_ order: Candidate, customer: Customer, rates: CurrencyRates, money: MoneyFormat) -> CreditValue {
        guard let stated = order.currency, let credit = customer.currency ?? rates.home, stated != credit else {
            return .value(order.value, note: "")
        }
        guard let value = order.value else { return .value(nil, note: "") }
        guard let fromRate = rates.rate(stated), rates.rate(credit) != nil else {
            let missing = rates.rate(stated) == nil ? stated : credit
            return .hold(Hold(code: "currency-mismatch", reason:
                "the order is in \(stated) but customer \(order.customerRef)'s credit is in \(credit), and orderflow.yaml gives no rate for \(missing) (currency_rates)"))
        }
        guard let converted = rates.convert(value, from: stated, to: credit) else { return .value(nil, note: "") }
        return .value(converted, note: " (\(money.format(value)) \(stated) at \(fromRate)\(credit == rates.home ? "" : " / \(rates.rate(credit) ?? 1)"))")
    }

    /// The hold of an order whose value or exposure cannot be computed (an amount beyond Int64 minor units).
    static func tooLarge(_ order: Candidate, _ detail: String) -> Decision {
        .hold(Hold(code: "value-too-large", reason:
            "\(detail) is too large to compute exactly; check the order's quantities and prices"))
    }

    func decide(_ order: Candidate, customer: Customer?, open: Money?, money: MoneyFormat, rates: CurrencyRates = .none) -> Decision {
        if order.overridden { return .pass }
        guard let customer else {
            return .hold(Hold(code: "unknown-customer", reason: "customer \(order.customerRef) is not in the customer file"))
        }
        if customer.onStop {
            return .hold(Hold(code: "on-stop", reason: "customer \(order.customerRef) is on stop"))
        }
        let orderValue: Money?, converted: String
        switch valueForCredit(order, customer: customer, rates: rates, money: money) {
        case .hold(let hold): return .hold(hold)
        case .value(let found, let note): (orderValue, converted) = (found, note)
        }
        switch order.paymentMethod ?? customer.terms {
        case .card:
            switch order.card.status {
            case .missing:
                return .hold(Hold(code: "card-missing", reason: "payment by CARD but no card number was given"))
            case .invalid:
                let ending = order.card.lastFour.map { " ending \($0)" } ?? ""
                return .hold(Hold(code: "card-invalid", reason: "the card number\(ending) fails the Luhn check"))
            case .valid:
                break
            }
            let c = order.orderDate.components
            let orderMonth = CardExpiry(year: c.year, month: c.month)
            guard let expiry = order.cardExpiry else {
                return .hold(Hold(code: "card-expiry-missing", reason: "payment by CARD but no card expiry was given"))
            }
            if expiry < orderMonth {
                return .hold(Hold(code: "card-expired",
                    reason: "the card expired \(expiry), before the order month \(String(format: "%02d/%02d", c.month, c.year % 100))"))
            }
        case .account:
            guard let value = orderValue else { return Self.tooLarge(order, "the order's value") }
            guard let open else {
                return .hold(Hold(code: "value-too-large", reason:
                    "customer \(order.customerRef)'s open exposure (orders passed and not yet despatched) cannot be computed: it is too large, or holds orders in a currency orderflow.yaml gives no rate for (currency_rates)"))
            }
            let exposure: Money
            do { exposure = try customer.balance + open + value } catch { return Self.tooLarge(order, "the exposure of customer \(order.customerRef) (balance + open orders + this order)") }
            if exposure > customer.creditLimit {
                return .hold(Hold(code: "credit-limit", reason:
                    "exposure \(money.format(exposure)) (balance \(money.format(customer.balance)) + open orders \(money.format(open)) + this order \(money.format(value))\(converted)) exceeds the credit limit \(money.format(customer.creditLimit))"))
            }
        case .proforma:
            break
        }
        return .pass
    }
}
import Foundation
