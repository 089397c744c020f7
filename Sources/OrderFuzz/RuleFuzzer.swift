import Foundation
import OrderEngine
import OrderImport
import OrderRules

/// Feeds fuzzed text to the rule language as a user types it: a condition of either scope and
/// a value expression (an output column), each parsed, type-checked and, when it compiles,
/// evaluated on sample orders, one ordinary and one with extreme numbers and dates.
struct RuleFuzzer: Sendable {
    let catalog: FieldCatalog
    let orders: [OrderFacts]
    /// 2026-11-27 as the rule language counts days.
    static let today: Int64 = 20_784

    static let shared = RuleFuzzer()

    init() {
        // The custom fields of every mapping the repository ships, as the engine's catalog holds them.
        let mappings = ["mappings/orders.yaml", "mappings/customers.yaml", "mappings/products.yaml",
                        "examples/ubl/ubl-orders.yaml", "examples/erp-eu/erp-orders.yaml", "examples/shop/shop-orders.yaml"]
            .map(Repository.mapping)
        catalog = RulesFile.catalog(mappings)
        orders = [Self.sample(catalog, number: Decimal(string: "1234.5") ?? 1, date: Self.today - 3, text: "SO-1001"),
                  Self.sample(catalog, number: Decimal(string: "-99999999999999999999999999999999999999") ?? -1,
                              date: 2_932_896, text: "")]
    }

    /// An order with every catalog field filled, two lines, one without a product.
    static func sample(_ catalog: FieldCatalog, number: Decimal, date: Int64, text: String) -> OrderFacts {
        func values(_ entity: String) -> [String: Value] {
            var result: [String: Value] = [:]
            for (name, type) in catalog.fields[entity] ?? [:] {
                switch type {
                case .number: result[name] = .number(number)
                case .text: result[name] = .text(text)
                case .date: result[name] = .date(date)
                case .bool: result[name] = .bool(true)
                }
            }
            return result
        }
        let lines = [LineFacts(lineID: 1, line: values("line"), product: values("product")),
                     LineFacts(lineID: 2, line: [:], product: nil)]
        return OrderFacts(orderID: 1, order: values("order"), customer: values("customer"), lines: lines)
    }

    func run(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        let source = String(decoding: bytes, as: UTF8.self)
        var outcomes: [String] = []
        for scope in [Rule.Scope.order, .line] {
            do {
                let rule = try Rule(source, scope: scope, catalog: catalog)
                var matched: [String] = []
                for order in orders {
                    if scope == .order {
                        matched.append("\(rule.matches(order, today: Self.today))")
                    } else {
                        matched.append("\(rule.matchingLines(order, today: Self.today).count) lines")
                    }
                }
                outcomes.append("\(scope.rawValue) condition: \(matched.joined(separator: ", "))")
            } catch {
                outcomes.append("\(scope.rawValue) condition: \(error.message)")
            }
            do {
                let rule = try Rule(value: source, scope: scope, catalog: catalog)
                let values = orders.map { rule.value($0, line: scope == .line ? $0.lines.first : nil, today: Self.today).description }
                outcomes.append("\(scope.rawValue) value: \(values.joined(separator: ", "))")
            } catch {
                outcomes.append("\(scope.rawValue) value: \(error.message)")
            }
        }
        return outcomes
    }
}
