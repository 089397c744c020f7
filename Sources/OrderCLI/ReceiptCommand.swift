import ArgumentParser
import OrderEngine

struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt", abstract: "One imported receipt: its lines, their custom fields, and the order lines each one funded.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The receipt_ref.") var ref: String

    func run() throws {
        let receipt = try ReceiptQueries(engine: try global.existingEngine()).receipt(ref)
        if output.json { try Output.json(receipt); return }
        print("receipt \(receipt.receiptRef)  from \(receipt.sourceFile)")
        print("")
        let hasCustom = receipt.lines.contains { !$0.custom.isEmpty }
        Output.table(["line", "sku", "qty", "warehouse", "received", "free now"] + (hasCustom ? ["custom"] : []), receipt.lines.map {
            ["\($0.sourceLine)", $0.sku, "\($0.quantity)" + OrderCommand.asWritten($0.quantityAsWritten, $0.unitAsWritten), $0.warehouse, $0.receivedAt, $0.remaining.map { "\($0)" } ?? "-"]
                + (hasCustom ? [$0.custom.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")] : [])
        })
        let funded = receipt.lines.flatMap { line in line.funded.map { (line.sku, $0) } }
        print("\nFunded")
        if funded.isEmpty {
            print("  nothing yet: no order line has been allocated from this receipt")
        } else {
            Output.table(["sku", "order", "line", "qty", "stage now"], funded.map { sku, f in
                [sku, f.orderRef, f.part == 0 ? "\(f.lineNo)" : "\(f.lineNo).\(f.part)", "\(f.quantity)", f.stage]
            }, indent: "  ")
        }
    }
}
