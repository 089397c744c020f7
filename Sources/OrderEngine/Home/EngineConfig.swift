import Foundation
import OrderInbox
import OrderExport
import OrderImport
import OrderModel
import OrderStore

/// The home's `orderflow.yaml`: settings that are not per feed.
///
/// Loaded by walking the YAML node tree (`ConfigReader`), so that every wrong type, value out of
/// range and unknown key is reported with its line and column; every setting is optional.
public struct EngineConfig: Sendable, Hashable {
    /// The SQLite file, relative to the home.
    public var database: String = "orderflow.sqlite"
    /// Warehouse of a product whose `warehouse` is blank.
    public var defaultWarehouse: String = "MAIN"
    /// Decimal places of the currency; amounts are stored in these minor units.
    public var currencyDecimals: Int = 2
    /// The home's currency: what customers without a `currency` of their own keep their credit in. Unset,
    /// an order's currency is compared only with a customer that states one.
    public var currency: CurrencyCode?
    /// One unit of each other currency in the home currency (`currency_rates: { EUR: 0.8612 }`), so that
    /// an order in another currency than its customer's is credit-checked instead of held.
    public var currencyRates: [CurrencyCode: Decimal] = [:]
    /// Unit conversions for every product (`units: { KGM: 1000 GRM }`), after a product's own.
    public var units: UnitConversions = .none
    /// The time zone cron schedules are read in, unless a job names its own.
    public var timeZone: String = "UTC"
    /// The jobs the executor runs; none configured means one job, `cycle`, every poll interval.
    public var jobs: [JobConfig] = []
    /// How files are picked up from the inbox.
    public var inbox = InboxSettings()
    /// The shipment policy of orders whose customer and rules name none: part, complete or part-after:N.
    public var shipPolicy: ShipPolicy = .part
    /// A line larger than the stock available ships what there is and leaves a back-order line for the rest.
    public var splitLines = false
    /// Which back orders each allocation re-examines.
    public var allocationMode = AllocationMode.incremental
    /// When a line counts as despatched.
    public var despatch = DespatchMode.onPickList
    /// SQLite's page cache in MB for the cycle's work (the import of a file uses at most 64 MB of it,
    /// so a file of any size imports in bounded memory).
    public var cacheMB = OrderDatabase.defaultCacheMB
    /// The permissions of published outbox files (`outbox_mode: "0640"`); their folders get the same
    /// with search (x) added where read is given. Private (0600) unless a collector account needs more.
    public var outboxMode = FileModes.Mode.privateFile

    /// Which output mapping writes each document (`outputs:`); a home without the section writes today's layouts.
    public var outputs = Outputs()

    /// The output mapping of each document the engine writes, by name: `standard` is the built-in layout,
    /// any other name is `mappings/outputs/NAME.yaml`. A supplier names its purchase orders' mapping in its
    /// `po_format`, a rule its output's in rules.yaml; the rest are named here.
    public struct Outputs: Sendable, Hashable {
        /// Every warehouse's pick list, unless `warehousePickLists` names another.
        public var pickList = Outputs.standard
        /// A warehouse's own pick-list mapping, by warehouse code.
        public var warehousePickLists: [String: String] = [:]
        public var exceptionReport = Outputs.standard
        public var backOrderReport = Outputs.standard

        /// The built-in layout's name.
        public static let standard = "standard"

        public init() {}

        /// The pick-list mapping of a warehouse.
        public func pickList(for warehouse: String) -> String { warehousePickLists[warehouse] ?? pickList }

        /// Whether `name` can name an output mapping: a plain file name, lower-case letters, digits, `-` and `_`,
        /// starting with a letter or digit, at most 64 characters (it becomes `mappings/outputs/NAME.yaml`).
        public static func isValidName(_ name: String) -> Bool {
            guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
            func plain(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) }
            return plain(first) && name.unicodeScalars.allSatisfy { plain($0) || $0 == "-" || $0 == "_" }
        }
    }

    /// The name the operator knows the file by, in every message about it.
    public static let fileName = "orderflow.yaml"

    /// `incremental` (default) re-examines only back orders whose stock gained or whose order changed;
    /// `full` re-examines every back order. Both give the same result; `full` is for checking that.
    public enum AllocationMode: String, CaseIterable, Sendable, Hashable {
        case incremental, full
    }

    /// `on-pick-list` (default): a line is despatched when its pick list is written; `confirmed`: when the
    /// warehouse confirms it (inbox/despatches/).
    public enum DespatchMode: String, CaseIterable, Sendable, Hashable {
        case onPickList = "on-pick-list"
        case confirmed
    }

    /// Safe pickup of files that SFTP clients may still be writing (the inbox watcher's settings).
    public typealias InboxSettings = OrderInbox.InboxSettings

    /// One job as written in the config (already checked; see `ConfigReader`).
    public struct JobConfig: Sendable, Hashable {
        public var name: String
        /// The interval in whole seconds, written `every: 30s`, `5m`, `2h`.
        public var every: String?
        public var cron: String?
        public var timeZone: String?
        /// Pipeline entries by name; absent or `[all]` means the whole pipeline.
        public var steps: [String]?
        /// `run-once` (default): a run missed while the engine was down runs once at start-up; `skip`: it does not.
        public var missed: String?
        /// `write` (default): a report step this job names writes its file even when empty (the header alone); `skip`: not.
        public var emptyReports: String?
        /// Where each step name is written, for the check against the pipeline once `rules.yaml` is read.
        public var stepLocations: [String: SourceLocation] = [:]

        public init(name: String, every: String? = nil, cron: String? = nil, timeZone: String? = nil, steps: [String]? = nil,
                    missed: String? = nil, emptyReports: String? = nil) {
            self.name = name; self.every = every; self.cron = cron; self.timeZone = timeZone; self.steps = steps; self.missed = missed
            self.emptyReports = emptyReports
        }

        /// A job's interval: whole seconds from 1 s to 31 days.
        public static let everyRange: ClosedRange<Int> = 1...(31 * 86_400)
    }

    public init() {}

    public var money: MoneyFormat { MoneyFormat(fractionDigits: currencyDecimals) }
    public var rates: CurrencyRates { CurrencyRates(home: currency, rates: currencyRates) }

    /// Reads the config; a home without one uses the defaults.
    /// - Throws: `EngineError.config` listing every mistake, each with its line and column.
    public static func load(from url: URL) throws(EngineError) -> EngineConfig {
        let (config, issues) = read(from: url)
        guard issues.isEmpty else { throw .config(issues.map(\.description).joined(separator: "\n")) }
        return config
    }

    /// Reads the config and every mistake in it (for `orderflow check`, which lists them all).
    /// The config returned holds the defaults where a value was refused.
    public static func read(from url: URL) -> (config: EngineConfig, issues: [ConfigIssue]) {
        let file = url.lastPathComponent
        guard FileManager.default.fileExists(atPath: url.path) else { return (EngineConfig(), []) }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return (EngineConfig(), [ConfigIssue(file: file, location: nil, subject: "", message: "cannot be read (check its permissions)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (EngineConfig(), [ConfigIssue(file: file, location: nil, subject: "", message: "is not UTF-8 text")])
        }
        return parse(yaml: text, file: file)
    }

    /// Parses the text of a config file.
    public static func parse(yaml text: String, file: String = fileName) -> (config: EngineConfig, issues: [ConfigIssue]) {
        var reader = ConfigReader(file: file)
        let config = reader.config(yaml: text)
        return (config, reader.issues)
    }
}
