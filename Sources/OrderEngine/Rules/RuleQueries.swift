import Foundation
import OrderModel
import OrderRules
import OrderStore

/// The Logic Builder's test button and its overview: `orderflow search` and `orderflow rules`.
public struct RuleQueries: Sendable {
    let engine: Engine
    public init(engine: Engine) { self.engine = engine }

    public struct Match: Codable, Sendable {
        public var orderRef: String
        public var orderDate: String
        public var customerRef: String
        public var stages: [String]
        public var total: String
        /// For a line search: the matching line numbers.
        public var lines: [Int]?
        enum CodingKeys: String, CodingKey { case orderRef = "order_ref", orderDate = "order_date", customerRef = "customer_ref", stages, total, lines }
    }

    /// Orders (in `stage`, or with any open line) that match `expression`; changes nothing.
    public func search(_ expression: String, stage: String?, scope: Rule.Scope) throws -> [Match] {
        let mappings = try engine.loadMappings()
        let catalog = RulesFile.catalog(mappings)
        let rule: Rule
        do {
            rule = try Rule(expression, scope: scope, catalog: catalog)
        } catch {
            throw EngineError.notPossible(error.located(source: expression, file: "search", line: 1, column: 1).description)
        }
        // A broken rules.yaml is reported as such (file, line, column), as the cycle would.
        let rules = try engine.loadRules(mappings: mappings)
        if let stage { try rules.requireStage(stage) }
        let today = engine.clock.now.day
        return try engine.database.read { tx in
            let loader = FactsLoader(tx: tx, catalog: catalog, money: engine.config.money, today: today)
            let open = Stage.open + [.dropShip] + rules.stages.map { Stage(rawValue: $0.name) }
            let ids = try loader.orderIDs(stages: stage.map { [Stage(rawValue: $0)] } ?? open, prefilter: scope == .order ? rule.prefilter : [])
            var matches: [Match] = []
            for order in try loader.load(ids) {
                var lineNumbers: [Int]? = nil
                switch scope {
                case .order: guard rule.matches(order, today: today) else { continue }
                case .line:
                    let lines = rule.matchingLines(order, today: today)
                    guard !lines.isEmpty else { continue }
                    lineNumbers = lines.compactMap(ProcessRuleStep.lineNo)
                }
                func text(_ key: String) -> String { if case .text(let t)? = order.order[key] { return t }; return "" }
                let stages = Set(order.lines.compactMap(ProcessRuleStep.stage).map(\.rawValue)).sorted()
                // The same formats as `orders`: the order date as stored, the total as money of the currency.
                let date = try tx.storedOrderDate(of: text("ref")) ?? order.order["date"].map(ProcessRuleStep.cell) ?? ""
                let total = order.order["total"].map(ProcessRuleStep.cell) ?? ""
                matches.append(Match(orderRef: text("ref"), orderDate: date, customerRef: text("customer_ref"), stages: stages,
                                     total: engine.config.money.parse(total).map(engine.config.money.format) ?? total, lines: lineNumbers))
            }
            return matches
        }
    }

    public struct Overview: Codable, Sendable {
        public struct StageInfo: Codable, Sendable {
            public var name: String
            public var builtIn: Bool
            public var description: String
            enum CodingKeys: String, CodingKey { case name, builtIn = "built_in", description }
        }
        public struct EntryInfo: Codable, Sendable {
            public var position: Int
            public var name: String
            public var kind: String
            public var detail: String
            /// What it did in the last cycle that ran it (matched orders for rules; counts for steps).
            public var lastCycle: [String: Int]?
            enum CodingKeys: String, CodingKey { case position, name, kind, detail, lastCycle = "last_cycle" }
        }
        public var stages: [StageInfo]
        public var pipeline: [EntryInfo]
    }

    static let builtInDescriptions: [String: String] = [
        "new": "imported, waiting for the credit check", "held-for-credit": "failed the credit check; re-checked every cycle",
        "order-vetting": "waiting for a person, or for an unknown product", "on-hold": "held by hand or by a rule until released",
        "drop-ship": "supplied direct by the supplier on a purchase order", "back-order": "waiting for stock, oldest first",
        "picking": "stock allocated, on the next pick list", "despatched": "on a written pick list", "cancelled": "cancelled by hand",
    ]

    public func overview() throws -> Overview {
        let mappings = try engine.loadMappings()
        let rules = try engine.loadRules(mappings: mappings)
        let ruleNames = rules.pipeline.compactMap { entry -> String? in
            guard case .rule(let rule) = entry else { return nil }
            return rule.name
        }
        let record = try engine.database.pipelineRecord(rules: ruleNames)
        let last = record.lastCycleSummaryJSON
            .flatMap { try? JSONDecoder().decode([String: [String: Int]].self, from: Data($0.utf8)) } ?? [:]
        var entries: [Overview.EntryInfo] = []
        for (i, entry) in rules.pipeline.enumerated() {
            switch entry {
            case .step(let step):
                entries.append(.init(position: i + 1, name: step.rawValue, kind: "step", detail: "built-in step", lastCycle: last[step.rawValue]))
            case .rule(let rule):
                let run = record.ruleRuns[rule.name]
                let action: String = switch rule.action {
                case .move(let to, _): "move to \(to)"
                case .hold: "hold"
                case .release: "release to new"
                case .output(let folder, _): "write to outbox/\(folder)"
                case .shipPolicy(let policy): "set ship policy \(policy)"
                }
                entries.append(.init(position: i + 1, name: rule.name, kind: "rule",
                                     detail: "\(rule.scope.rawValue)s in \(rule.stages.map(\.rawValue).joined(separator: ", ")) where \(rule.search.source) -> \(action)",
                                     lastCycle: run.map { ["matched": $0.matched, "acted": $0.acted] }))
            }
        }
        let stages = Stage.builtIn.map { Overview.StageInfo(name: $0.rawValue, builtIn: true, description: Self.builtInDescriptions[$0.rawValue] ?? "") }
            + rules.stages.map { Overview.StageInfo(name: $0.name, builtIn: false, description: $0.description) }
        return Overview(stages: stages, pipeline: entries)
    }
}
