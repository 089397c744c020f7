/// How many of one unit of measure make another: `1 CS = 12 EA`, `1 KGM = 1000 GRM`.
///
/// A line may be written in any unit the sender uses; the engine keeps every quantity in the product's
/// stock unit, so a conversion turns the written quantity into stock units exactly (thousandths, no
/// floating point). A product's own conversions (its feed's `units` field) come first, then the home's
/// (`units:` in orderflow.yaml), which are also read backwards (`1 KGM = 1000 GRM` makes 500 GRM 0.5 KGM).
/// Unit codes compare in capitals: `kg` and `KG` are one unit (map local names such as `Stk` in the mapping).
public struct UnitConversions: Sendable, Hashable {
    /// One unit of `from` is `factor` units of `to`.
    public struct Rule: Sendable, Hashable {
        public var from: String
        public var to: String
        public var factor: Quantity
        public init(from: String, to: String, factor: Quantity) {
            self.from = UnitConversions.normalized(from); self.to = UnitConversions.normalized(to); self.factor = factor
        }
    }

    public var rules: [Rule]
    public init(_ rules: [Rule] = []) { self.rules = rules }
    public static let none = UnitConversions()

    /// A unit code as the engine keeps it: trimmed, in capitals.
    public static func normalized(_ unit: String) -> String { unit.trimmed.uppercased() }

    /// What converting a written quantity to the stock unit gave.
    public enum Outcome: Sendable, Hashable {
        case converted(Quantity)
        /// No conversion leads from the written unit to the stock unit.
        case unknownUnit
        /// The converted quantity would need more than 3 decimals (e.g. 1 GRM in a stock unit of KGM × 1000).
        case tooFine
        case overflow
    }

    /// `quantity` written in `unit`, in `stockUnit`: first a product's own conversions (`product`), then these.
    public func convert(_ quantity: Quantity, from unit: String, to stockUnit: String, product: UnitConversions = .none) -> Outcome {
        let from = Self.normalized(unit), to = Self.normalized(stockUnit)
        if from.isEmpty || from == to { return .converted(quantity) }
        for table in [product, self] {
            if let rule = table.rules.first(where: { $0.from == from && $0.to == to }) {
                return Self.scale(quantity, by: rule.factor.thousandths, over: 1000)
            }
        }
        if let rule = rules.first(where: { $0.from == to && $0.to == from }), rule.factor.thousandths > 0 {
            return Self.scale(quantity, by: 1000, over: rule.factor.thousandths)
        }
        return .unknownUnit
    }

    /// The units `stockUnit` can be written in (for a rejection's "expected").
    public func units(convertibleTo stockUnit: String, product: UnitConversions = .none) -> [String] {
        let to = Self.normalized(stockUnit)
        var found = [to]
        for rule in product.rules + rules where rule.to == to && !found.contains(rule.from) { found.append(rule.from) }
        for rule in rules where rule.from == to && !found.contains(rule.to) { found.append(rule.to) }
        return found
    }

    /// `quantity × numerator / denominator` in thousandths, exactly or not at all.
    static func scale(_ quantity: Quantity, by numerator: Int64, over denominator: Int64) -> Outcome {
        guard denominator > 0, numerator >= 0 else { return .unknownUnit }
        let product = quantity.thousandths.magnitude.multipliedFullWidth(by: UInt64(numerator))
        // The quotient fits 64 bits only when the high half is below the divisor.
        guard product.high < UInt64(denominator) else { return .overflow }
        let (quotient, remainder) = UInt64(denominator).dividingFullWidth((high: product.high, low: product.low))
        guard remainder == 0 else { return .tooFine }
        guard quotient <= UInt64(Int64.max) else { return .overflow }
        return .converted(Quantity(thousandths: quantity.thousandths < 0 ? -Int64(quotient) : Int64(quotient)))
    }

    /// Parses a product feed's conversions, `CS=12;BX=6` (one CS is 12 stock units); blank is none.
    /// - Returns: the rules, or the entry that is not `UNIT=NUMBER` with a positive number of at most 3 decimals.
    public static func parse(productUnits text: String, stockUnit: String) -> Result<UnitConversions, ParseFailure> {
        var rules: [Rule] = []
        for entry in text.split(separator: ";") {
            let parts = entry.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, !String(parts[0]).trimmed.isEmpty,
                  let factor = Quantity.parse(String(parts[1])), factor > .zero else {
                return .failure(ParseFailure(entry: String(entry).trimmed))
            }
            rules.append(Rule(from: String(parts[0]), to: stockUnit, factor: factor))
        }
        return .success(UnitConversions(rules))
    }

    /// An entry of a conversions field that is not `UNIT=NUMBER`.
    public struct ParseFailure: Error, Sendable, Hashable {
        public var entry: String
    }
}
