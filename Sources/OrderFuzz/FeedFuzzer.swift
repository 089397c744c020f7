import Foundation
import OrderImport
import OrderModel

/// Reads fuzzed bytes as an inbox file through mappings, the way the engine's import does:
/// the header check of a waiting file, then every record mapped, decoded into the feed's
/// typed input, orders assembled whole, card numbers found and the file masked for its archive.
///
/// Only the database writes are left out, so the target needs no SQLite and runs thousands
/// of files a second.
struct FeedFuzzer: Sendable {
    let mappings: [Mapping]
    /// The scratch file name: its extension matters to nobody, but a reproducer is easier to read with it.
    let fileName: String

    static let standardOrders = FeedFuzzer(mappings: [Repository.mapping("mappings/orders.yaml")], fileName: "input.csv")

    static let otherCSV = FeedFuzzer(mappings: [
        "mappings/customers.yaml", "mappings/products.yaml", "mappings/suppliers.yaml", "mappings/receipts.yaml",
        "mappings/stock.yaml", "mappings/despatches.yaml", "mappings/cancellations.yaml",
        "examples/erp-eu/erp-orders.yaml", "examples/shop/shop-orders.yaml",
    ].map(Repository.mapping), fileName: "input.csv")

    static let xml = FeedFuzzer(mappings: [
        Repository.mapping("examples/ubl/ubl-orders.yaml"), Repository.mapping("examples/goods-receipt/goods-receipts.yaml"),
    ], fileName: "input.xml")

    /// Conversions like a home's and a product's, for the quantities read.
    static let units = UnitConversions([.init(from: "KGM", to: "GRM", factor: 1000), .init(from: "TNE", to: "KGM", factor: 1000)])
    static let cases = UnitConversions([.init(from: "CS", to: "EA", factor: 12), .init(from: "BX", to: "EA", factor: Quantity(thousandths: 2_500))])

    func run(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        let path = ScratchFolder.write(bytes, name: fileName)
        return mappings.map { "\($0.file): \(Self.read(path, through: $0))" }
    }

    /// What the importer does with one file and one mapping, minus the database.
    /// - Returns: the records and rejections seen, or why the file is refused whole.
    @discardableResult
    static func read(_ path: String, through mapping: Mapping) -> String {
        let file: InputFile
        do { file = try InputFile(path: path) } catch { return "file refused: \(error.reason)" }
        let reader = FeedReader(mapping: mapping)
        let decoder = RecordDecoder()
        var assembler = OrderAssembler()
        var records = 0, rejections = 0
        var cards: Set<String> = []
        func complete(_ outcome: Result<OrderInput, OrderRejection>?) {
            if case .failure(let rejection)? = outcome { rejections += rejection.reportedProblems.count }
        }
        /// A quantity as written, in every unit the engine might convert it to (the importer's conversion, minus the product lookup).
        func convert(_ quantity: Quantity, unit: String?) {
            for stock in ["EA", "KGM", "GRM"] { _ = Self.units.convert(quantity, from: unit ?? stock, to: stock, product: Self.cases) }
        }
        func reject(_ rejection: RecordRejection) {
            if mapping.feed == .orders, rejection.orderRef != nil { complete(assembler.add(rejection)) } else { rejections += 1 }
            _ = rejection.description
        }
        do {
            try reader.checkHeader(file)
            try reader.read(file) { outcome in
                switch outcome {
                case .failure(let rejection):
                    reject(rejection)
                case .success(let record):
                    records += 1
                    for value in record.values { cards.formUnion(CardNumberRedactor.cardNumbers(in: value)) }
                    do throws(RecordRejection) {
                        switch mapping.feed {
                        case .orders:
                            let line = try decoder.orderLine(record)
                            convert(line.quantity, unit: line.unit)
                            if let price = line.unitPrice { _ = try? LineValue.of(line.quantity, at: price) }
                            complete(assembler.add(line))
                        case .customers: _ = try decoder.customer(record)
                        case .products:
                            let product = try decoder.product(record)
                            _ = Self.units.convert(12, from: "CS", to: product.stockUnit, product: product.units)
                        case .suppliers: _ = try decoder.supplier(record)
                        case .receipts: let r = try decoder.receipt(record); convert(r.quantity, unit: r.unit)
                        case .stock: let c = try decoder.stockCount(record); convert(c.onHand, unit: c.unit)
                        case .despatches: let d = try decoder.despatch(record); convert(d.quantity, unit: d.unit)
                        case .cancellations: _ = try decoder.cancellation(record)
                        }
                    } catch {
                        reject(error)
                    }
                }
            }
            complete(assembler.finish())
        } catch {
            return "file refused: \(error)"
        }
        // The archived copy is masked with the card numbers the records held.
        var archived = Array(file.bytes)
        CardNumberRedactor.redact(&archived, known: cards)
        return "\(records) records, \(rejections) problems"
    }
}
