import ArgumentParser
import OrderEngine
import OrderModel

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "One order: header, lines with their stage and reason, and its full stage history.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The order_ref.") var ref: String

    func run() throws {
        let order = try OrderQueries(engine: try global.existingEngine()).order(ref)
        if output.json { try Output.json(order); return }
        print("order \(order.orderRef)  date \(order.orderDate)  customer \(order.customerRef)\(order.currency.map { "  currency \($0)" } ?? "")")
        print("payment \(order.paymentMethod ?? "(customer's terms)")\(order.cardLast4.map { "  card ending \($0)" } ?? "")  credit \(order.creditState)\(order.creditOverride ? " (released by hand)" : "")\(order.manualHold ? "  held by hand" : "")")
        let ship = ["name", "address1", "address2", "city", "postcode", "country"].compactMap { order.shipTo[$0] }.filter { !$0.isEmpty }
        print("ship to \(ship.isEmpty ? "(customer's address)" : ship.joined(separator: ", "))")
        print("from \(order.sourceFile) line \(order.sourceLine)")
        if !order.custom.isEmpty {
            print("custom " + order.custom.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "  "))
        }
        print("")
        let hasCustom = order.lines.contains { !$0.custom.isEmpty }
        Output.table(["line", "sku", "qty", "price", "stage", "reason", "ref"] + (hasCustom ? ["custom"] : []), order.lines.map {
            ["\($0.lineNo)", $0.sku, Self.quantity($0.quantity, $0.stockUnit) + Self.asWritten($0.quantityAsWritten, $0.unitAsWritten), $0.unitPrice ?? "-", $0.stage, $0.reason ?? "", $0.pickListRef ?? $0.poRef ?? ""]
                + (hasCustom ? [$0.custom.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")] : [])
        })
        if !order.nonStockLines.isEmpty {
            print("\nNon-stock lines (never allocated or picked; in the order's value)")
            let custom = order.nonStockLines.contains { !$0.custom.isEmpty }
            Output.table(["line", "sku", "qty", "price", "value"] + (custom ? ["custom"] : []), order.nonStockLines.map {
                [$0.lineNo.map(String.init) ?? $0.kind.rawValue, $0.sku ?? "-", "\($0.quantity)", $0.unitPrice, $0.value]
                    + (custom ? [$0.custom.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")] : [])
            }, indent: "  ")
        }
        print("\ntotal \(order.total ?? "too large to compute")")
        print("\nHistory")
        Output.table(["at", "line", "from", "to", "by", "reason"], order.history.map {
            [$0.at, $0.lineNo.map(String.init) ?? "", $0.from ?? "-", $0.to, $0.actor, $0.reason]
        }, indent: "  ")
    }

    /// `3` for a product kept in each (as always), `12.75 KGM` for one kept in another unit.
    static func quantity(_ quantity: Quantity, _ unit: String?) -> String {
        guard let unit, unit != "EA" else { return "\(quantity)" }
        return "\(quantity) \(unit)"
    }

    /// ` (1 CS as written)` after a quantity converted from another unit or written differently; nothing otherwise.
    static func asWritten(_ quantity: String?, _ unit: String?) -> String {
        guard quantity != nil || unit != nil else { return "" }
        return " (\([quantity, unit].compactMap { $0 }.joined(separator: " ")) as written)"
    }
}
