import OrderModel
import OrderStore
import OrderRules

/// Step 2: the credit check, oldest order first, for new orders and the orders it holds.
///
/// Candidates are found through a partial index on orders that have not passed, so the
/// cost follows the orders waiting for the check, not the size of the order book.
public struct CreditCheckStep: CycleStep {
    public let name = "credit-check"
    public init() {}

    /// A candidate order as read: what the check decides on, and what its outcome is written with.
    struct Checked {
        var candidate: CreditCheck.Candidate
        var orderRef: String
        var wasHeld: Bool
        var heldCode: String?
    }

    public func run(_ context: CycleContext) throws -> StepReport {
        do {
            return try check(context, sums: .native)
        } catch is AmountSum.Overflow {
            // SQLite's SUM stops rather than wraps: again, summing exactly, so that only the orders whose
            // totals are beyond Int64 are held (as too large to compute) and the others are decided as usual.
            context.logger.warning("credit check: an order value or exposure is beyond what SQLite sums; checking again with exact sums")
        }
        do {
            return try check(context, sums: .split)
        } catch is AmountSum.Overflow {
            throw EngineError.notPossible("credit check: the order values of a customer add up beyond what the engine can hold (±\(Int64.max) minor units); nothing was changed; check the quantities and prices of the newest orders ('orderflow orders')")
        }
    }

    func check(_ context: CycleContext, sums: AmountSum) throws -> StepReport {
        try context.store.write { tx in
            var rows: [Checked] = []
            try tx.forEachCreditCandidate(sums: sums) { row in
                rows.append(Checked(
                    candidate: CreditCheck.Candidate(
                        orderID: row.orderID, customerRef: row.customerRef,
                        orderDate: Timestamp(iso8601: row.orderDate) ?? context.now,
                        paymentMethod: row.paymentMethod.flatMap(PaymentMethod.init(rawValue:)),
                        card: PaymentCard(status: row.cardStatus.flatMap(PaymentCard.Status.init(rawValue:)) ?? .missing, lastFour: row.cardLast4),
                        cardExpiry: row.cardExpiry.flatMap(CardExpiry.init(stored:)),
                        value: row.value,
                        overridden: row.overridden,
                        currency: row.currency.flatMap(CurrencyCode.init)),
                    orderRef: row.orderRef, wasHeld: row.creditState == .held, heldCode: row.heldCode))
            }
            guard !rows.isEmpty else {
                try tx.acknowledgeCreditChanges()
                return StepReport(step: name, ["checked": 0, "passed": 0, "held": 0, "released": 0])
            }
            // Customers and their open exposure, for the candidates' customers only.
            let refs = Array(Set(rows.map(\.candidate.customerRef)))
            let accounts = try tx.creditAccounts(of: refs)
            let customers = accounts.mapValues { account in
                CreditCheck.Customer(terms: PaymentMethod(rawValue: account.terms) ?? .account, creditLimit: account.creditLimit,
                                     balance: account.balance, onStop: account.onStop, currency: account.currency.flatMap(CurrencyCode.init))
            }
            var open: [String: Money?] = [:]
            for part in try tx.openCreditExposure(of: refs, sums: sums) {
                let ref = part.customerRef
                // Open orders in another currency count in the customer's, at the configured rate; without
                // one the exposure is unknown and the customer's account orders are held, not passed blindly.
                var value = part.value
                if let stated = part.currency.flatMap(CurrencyCode.init),
                   let credit = customers[ref]?.currency ?? context.engine.config.currency, let amount = value {
                    value = context.engine.config.rates.convert(amount, from: stated, to: credit)
                }
                let before: Money?? = open[ref]
                switch before {
                case .none: open[ref] = .some(value)
                case .some(let sum): open[ref] = .some(sum.flatMap { sum in value.flatMap { try? sum + $0 } })
                }
            }
            let decisions = CreditCheck().decide(rows.map(\.candidate), customers: customers, openExposure: open, money: context.money,
                                                 rates: context.engine.config.rates)
            // Each order's outcome, written set-based by the store (a few statements, not four per order).
            var outcomes: [CreditOutcome] = []
            var passed = 0, held = 0, released = 0
            var passedIDs: [Int64] = []
            for (checked, decision) in zip(rows, decisions) {
                let id = checked.candidate.orderID
                switch decision {
                case .pass:
                    passed += 1
                    passedIDs.append(id)
                    // Only an order with held lines has lines to bring back (a held line always has its code).
                    guard checked.heldCode != nil else { continue }
                    released += 1
                    let why = checked.candidate.overridden ? "released by hand: credit check overridden" : "credit check passed"
                    outcomes.append(CreditOutcome(orderID: id, orderRef: checked.orderRef, fromNew: false, fromHeld: true, to: .new, code: nil,
                                                  reason: why, newlyHeld: false))
                case .hold(let hold):
                    held += 1
                    // Held again for the same reason: only its new lines join the held ones, nothing is reported again.
                    let again = checked.wasHeld && checked.heldCode == hold.code
                    outcomes.append(CreditOutcome(orderID: id, orderRef: checked.orderRef, fromNew: true, fromHeld: !again, to: .heldForCredit,
                                                  code: hold.code, reason: "\(hold.code): \(hold.reason)", newlyHeld: !again))
                }
            }
            try tx.recordCreditOutcomes(outcomes, passed: passedIDs, at: context.now, cycleID: context.cycleID)
            return StepReport(step: name, ["checked": rows.count, "passed": passed, "held": held, "released": released])
        }
    }
}
