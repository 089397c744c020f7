import Foundation
import OrderEngine
import OrderImport
import OrderModel

/// One thing the fuzzer feeds bytes to: a reader or loader that takes files from outside.
///
/// Each target takes the bytes exactly as a user or a partner system would hand them over
/// (a file dropped in the inbox, a mapping, `rules.yaml`, `orderflow.yaml`, a rule typed at
/// the command line), so a crash reproducer is a file that crashes the engine as it is.
/// A target returns normally on every input, accepted or refused: only a trap is a finding.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// An orders file through the standard mapping (`mappings/orders.yaml`): decoding, validation, assembly.
    case csv
    /// A CSV file through every other CSV mapping: the other feeds, `fill_down`, transforms, dialects, UTF-16.
    case csvMappings = "csv-mappings"
    /// An XML file through the XML mappings of `examples/` (UBL orders, goods receipts).
    case xml
    /// A rule expression, parsed, type-checked and evaluated on a sample order.
    case rule
    /// A mapping file (`mappings/*.yaml`); when it loads, the sample file of its format is read through it.
    case mapping
    /// A `rules.yaml`.
    case rules
    /// An `orderflow.yaml`.
    case config
    /// An output mapping (`mappings/outputs/*.yaml`); when it loads, a sample document of its kind is rendered through it.
    case outputMapping = "output-mapping"

    /// Runs one input.
    /// - Returns: what became of it, one line per mapping or scope (the replay prints it).
    @discardableResult
    func run(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        switch self {
        case .csv: FeedFuzzer.standardOrders.run(bytes)
        case .csvMappings: FeedFuzzer.otherCSV.run(bytes)
        case .xml: FeedFuzzer.xml.run(bytes)
        case .rule: RuleFuzzer.shared.run(bytes)
        case .mapping: LoaderFuzzer.mapping(bytes)
        case .rules: LoaderFuzzer.rules(bytes)
        case .config: LoaderFuzzer.config(bytes)
        case .outputMapping: OutputMappingFuzzer.run(bytes)
        }
    }

    /// Loads what the target needs before the first input, so a broken checkout fails at once, not as a "crash".
    func prepare() {
        FeedReader.prepare()
        switch self {
        case .csv: _ = FeedFuzzer.standardOrders
        case .csvMappings: _ = FeedFuzzer.otherCSV
        case .xml: _ = FeedFuzzer.xml
        case .rule: _ = RuleFuzzer.shared
        case .mapping, .rules, .config: _ = Repository.samples
        case .outputMapping: _ = OutputMappingFuzzer.sample
        }
    }

    /// The committed seed corpus of this target.
    var seedFolder: URL { Repository.root.appendingPathComponent("Tests/Fixtures/fuzz-corpus/\(rawValue)", isDirectory: true) }
    /// Inputs that once crashed this target, replayed in CI.
    var crashFolder: URL { Repository.root.appendingPathComponent("Tests/Fixtures/fuzz-crashes/\(rawValue)", isDirectory: true) }
}
