import ArgumentParser
import OrderEngine

struct OrdersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orders", abstract: "List orders, oldest first.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only orders with a line in this stage (e.g. back-order, held-for-credit).") var stage: String?
    @Option(help: "Only orders of this customer_ref.") var customer: String?
    @Option(help: "At most this many orders.") var limit: Int?

    func run() throws {
        let orders = try OrderQueries(engine: try global.existingEngine()).orders(stage: stage, customer: customer, limit: limit)
        if output.json { try Output.json(orders); return }
        if orders.isEmpty { print("no orders"); return }
        Output.table(["order_ref", "order_date", "customer_ref", "lines", "value", "stages"],
                     orders.map { [$0.orderRef, $0.orderDate, $0.customerRef, "\($0.lines)", $0.value, $0.stages.joined(separator: ",")] })
    }
}
