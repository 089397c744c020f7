import OrderImport
import OrderModel
import OrderStore

/// A product's units as stored: the unit its stock is kept in, the decimals a quantity of it may have, and
/// its own conversions. Every quantity a file writes (order lines, receipts, counts, despatches) becomes a
/// quantity in the stock unit here, or a rejection that names the field, what was found and what is allowed.
struct ProductUnits {
    var sku: String
    var stockUnit: String
    var decimals: Int
    var units: UnitConversions

    /// The product's units; nil when the sku is not in the product file (yet).
    static func load(sku: String, _ tx: StoreTransaction) throws -> ProductUnits? {
        guard let stored = try tx.productUnits(sku: sku) else { return nil }
        let units = stored.conversions.flatMap { try? UnitConversions.parse(productUnits: $0, stockUnit: stored.stockUnit).get() } ?? .none
        return ProductUnits(sku: sku, stockUnit: stored.stockUnit, decimals: stored.quantityDecimals, units: units)
    }

    /// Transitional, for callers still holding a GRDB connection.
    static func load(sku: String, _ db: StoreTransaction.TransitionalConnection) throws -> ProductUnits? {
        try load(sku: sku, StoreTransaction(db))
    }

    /// `quantity` written in `unit` (nil: the stock unit) as a quantity in the stock unit.
    /// - Parameter field: the quantity's field in the feed (`quantity`, `on_hand`, `quantity_despatched`).
    func stockQuantity(_ quantity: Quantity, unit: String?, home: UnitConversions, line: Int, field: String) -> Result<Quantity, RecordRejection> {
        let written = unit.map { "\(quantity) \($0)" } ?? "\(quantity)"
        switch home.convert(quantity, from: unit ?? stockUnit, to: stockUnit, product: units) {
        case .converted(let converted):
            guard converted.decimals <= decimals else {
                let inStock = unit == nil || unit == stockUnit ? "" : " (\(converted) \(stockUnit))"
                return .failure(RecordRejection(line: line, field: field,
                    message: "field \(field): quantity \(written)\(inStock) is finer than product \(sku) allows (\(Self.describe(decimals)) in \(stockUnit)); expected \(decimals == 0 ? "a whole number of \(stockUnit)" : "a quantity of \(stockUnit) with at most \(Self.describe(decimals))")",
                    sku: sku))
            }
            return .success(converted)
        case .unknownUnit:
            let allowed = home.units(convertibleTo: stockUnit, product: units).joined(separator: ", ")
            return .failure(RecordRejection(line: line, field: "unit",
                message: "field unit: found '\(unit ?? "")', expected a unit product \(sku) is kept in or converts from: \(allowed) (define conversions in the product file's units field or units: in orderflow.yaml)",
                sku: sku))
        case .tooFine:
            return .failure(RecordRejection(line: line, field: field,
                message: "field \(field): quantity \(written) in \(stockUnit) needs more than \(Quantity.maxDecimals) decimals, finer than product \(sku) allows (\(Self.describe(decimals)))",
                sku: sku))
        case .overflow:
            return .failure(RecordRejection(line: line, field: field,
                message: "field \(field): quantity \(written) in \(stockUnit) is beyond the engine's range", sku: sku))
        }
    }

    static func describe(_ decimals: Int) -> String { decimals == 1 ? "1 decimal" : "\(decimals) decimals" }
}

/// The units of the products an orders file names, each read once per file.
struct ProductUnitsCache {
    private var known: [String: ProductUnits?] = [:]

    mutating func units(_ sku: String, _ tx: StoreTransaction) throws -> ProductUnits? {
        if let found = known[sku] { return found }
        let loaded = try ProductUnits.load(sku: sku, tx)
        known[sku] = loaded
        return loaded
    }

    /// Transitional, for callers still holding a GRDB connection.
    mutating func units(_ sku: String, _ db: StoreTransaction.TransitionalConnection) throws -> ProductUnits? {
        try units(sku, StoreTransaction(db))
    }
}
