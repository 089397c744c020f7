import ArgumentParser
import OrderEngine
import OrderRules

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Preview the orders a rule expression matches; changes nothing.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The expression, e.g. \"customer.terms = 'PROFORMA' and order.total > 1000\".") var expression: String
    @Option(help: "Only orders with a line in this stage (default: every open stage).") var stage: String?
    @Option(help: "order (default) or line.") var scope = "order"

    func run() throws {
        guard let scope = Rule.Scope(rawValue: scope) else { throw ValidationError("--scope must be order or line") }
        let matches = try RuleQueries(engine: try global.existingEngine()).search(expression, stage: stage, scope: scope)
        if output.json { try Output.json(matches); return }
        print("\(matches.count) order(s) match")
        if matches.isEmpty { return }
        Output.table(["order_ref", "order_date", "customer_ref", "total", "stages"] + (scope == .line ? ["lines"] : []), matches.map {
            [$0.orderRef, $0.orderDate, $0.customerRef, $0.total, $0.stages.joined(separator: ",")]
                + (scope == .line ? [($0.lines ?? []).map(String.init).joined(separator: ",")] : [])
        })
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "The stages and the pipeline of steps and rules, with what each did in the last cycle.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let overview = try RuleQueries(engine: try global.existingEngine()).overview()
        if output.json { try Output.json(overview); return }
        print("Stages")
        Output.table(["stage", "kind", "description"], overview.stages.map { [$0.name, $0.builtIn ? "built-in" : "user", $0.description] }, indent: "  ")
        print("\nPipeline")
        Output.table(["#", "name", "kind", "last cycle", "what"], overview.pipeline.map { entry in
            let last = entry.lastCycle.map { $0.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") } ?? "-"
            return ["\(entry.position)", entry.name, entry.kind, last, entry.detail]
        }, indent: "  ")
    }
}
