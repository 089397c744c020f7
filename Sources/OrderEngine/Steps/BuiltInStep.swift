import OrderImport

/// The steps the engine provides, by the names `rules.yaml` and the jobs of `orderflow.yaml` use.
///
/// A name read from a file is parsed into this enum once, when the file is loaded, so a
/// mistyped step is refused there with its line and column instead of running as something else.
public enum BuiltInStep: String, CaseIterable, Sendable, Hashable {
    case `import`
    case creditCheck = "credit-check"
    case unknownProducts = "unknown-products"
    case dropShip = "drop-ship"
    case allocate
    case export
    case backOrderReport = "back-order-report"

    /// The names, in the order of the standard pipeline, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The step that runs it.
    public func makeStep(mappings: [Mapping]) -> any CycleStep {
        switch self {
        case .import: ImportStep(mappings: mappings)
        case .creditCheck: CreditCheckStep()
        case .unknownProducts: UnknownProductStep()
        case .dropShip: DropShipStep()
        case .allocate: AllocateStep()
        case .export: ExportStep(mappings: mappings)
        case .backOrderReport: BackOrderReportStep(mappings: mappings)
        }
    }
}
