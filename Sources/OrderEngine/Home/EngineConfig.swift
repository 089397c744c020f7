import Foundation
import OrderModel
import OrderStore
import Yams

/// The home's `orderflow.yaml`: settings that are not per feed.
public struct EngineConfig: Sendable, Codable, Hashable {
    /// The SQLite file, relative to the home.
    public var database: String = "orderflow.sqlite"
    /// Warehouse of a product whose `warehouse` is blank.
    public var defaultWarehouse: String = "MAIN"
    /// Decimal places of the currency; amounts are stored in these minor units.
    public var currencyDecimals: Int = 2
    /// The time zone cron schedules are read in, unless a job names its own.
    public var timeZone: String = "UTC"
    /// The jobs the executor runs; none configured means one job, `cycle`, every 2 seconds.
    public var jobs: [JobConfig] = []
    /// How files are picked up from the inbox.
    public var inbox = InboxSettings()
    /// The shipment policy of orders whose customer and rules name none: part, complete or part-after:N.
    public var shipPolicy: ShipPolicy = .part
    /// A line larger than the stock available ships what there is and leaves a back-order line for the rest.
    public var splitLines = false
    /// `incremental` (default) re-examines only back orders whose stock gained or whose order changed;
    /// `full` re-examines every back order. Both give the same result; `full` is for checking that.
    public var allocationMode = "incremental"
    /// `on-pick-list` (default): a line is despatched when its pick list is written; `confirmed`: when the
    /// warehouse confirms it (inbox/despatches/).
    public var despatch = "on-pick-list"
    /// SQLite's page cache in MB for the cycle's work (the import of a file uses at most 64 MB of it,
    /// so a file of any size imports in bounded memory).
    public var cacheMB = OrderDatabase.defaultCacheMB

    /// Safe pickup of files that SFTP clients may still be writing.
    public struct InboxSettings: Sendable, Codable, Hashable {
        /// Seconds between polls of the inbox by `orderflow run`.
        public var pollInterval: Double = 2
        /// A file is taken once unchanged (size and modification time) for this many seconds.
        public var settle: Double = 2
        /// Name patterns of files being written (never taken).
        public var ignore: [String] = [".*", "*.tmp", "*.part", "*.filepart", "*.partial"]
        /// Files larger than this are rejected with a reason (bytes).
        public var maxFileSize: Int64 = 4 << 30
        /// At most this many files per poll, oldest first (0: no cap).
        public var maxFilesPerPoll: Int = 0
        /// An empty (0-byte) file is rejected with a reason.
        public var rejectEmpty = true

        enum CodingKeys: String, CodingKey {
            case pollInterval = "poll_interval", settle, ignore, maxFileSize = "max_file_size",
                 maxFilesPerPoll = "max_files_per_poll", rejectEmpty = "reject_empty"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try c.decodeIfPresent(String.self, forKey: .pollInterval) {
                guard let v = Self.seconds(text) else { throw EngineError.config("inbox.poll_interval '\(text)': write it like 2s or 500ms") }
                pollInterval = v
            }
            if let text = try c.decodeIfPresent(String.self, forKey: .settle) {
                guard let v = Self.seconds(text) else { throw EngineError.config("inbox.settle '\(text)': write it like 2s or 500ms") }
                settle = v
            }
            ignore = try c.decodeIfPresent([String].self, forKey: .ignore) ?? ignore
            if let text = try c.decodeIfPresent(String.self, forKey: .maxFileSize) {
                guard let v = Self.bytes(text) else { throw EngineError.config("inbox.max_file_size '\(text)': write it like 500MB or 2GB") }
                maxFileSize = v
            }
            maxFilesPerPoll = try c.decodeIfPresent(Int.self, forKey: .maxFilesPerPoll) ?? 0
            rejectEmpty = try c.decodeIfPresent(Bool.self, forKey: .rejectEmpty) ?? true
        }

        static func seconds(_ text: String) -> Double? {
            let t = text.trimmed.lowercased()
            if t.hasSuffix("ms"), let v = Double(t.dropLast(2)) { return v / 1000 }
            if t.hasSuffix("s"), let v = Double(t.dropLast()) { return v }
            if t.hasSuffix("m"), let v = Double(t.dropLast()) { return v * 60 }
            return Double(t)
        }

        static func bytes(_ text: String) -> Int64? {
            let t = text.trimmed.uppercased()
            for (suffix, factor) in [("GB", Int64(1) << 30), ("MB", Int64(1) << 20), ("KB", Int64(1) << 10), ("B", 1)] where t.hasSuffix(suffix) {
                return Int64(String(t.dropLast(suffix.count)).trimmed).map { $0 * factor }
            }
            return Int64(t)
        }
    }

    enum CodingKeys: String, CodingKey {
        case database
        case defaultWarehouse = "default_warehouse"
        case currencyDecimals = "currency_decimals"
        case timeZone = "time_zone"
        case jobs
        case inbox
        case shipPolicy = "ship_policy"
        case splitLines = "split_lines"
        case allocationMode = "allocation_mode"
        case despatch
        case cacheMB = "cache_mb"
    }

    /// One job as written in the config.
    public struct JobConfig: Sendable, Codable, Hashable {
        public var name: String
        public var every: String?
        public var cron: String?
        public var timeZone: String?
        /// Pipeline entries by name; absent or `[all]` means the whole pipeline.
        public var steps: [String]?
        /// `run-once` (default): a run missed while the engine was down runs once at start-up; `skip`: it does not.
        public var missed: String?
        /// `write` (default): a report step this job names writes its file even when empty (the header alone); `skip`: not.
        public var emptyReports: String?
        enum CodingKeys: String, CodingKey { case name, every, cron, timeZone = "time_zone", steps, missed, emptyReports = "empty_reports" }
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        database = try c.decodeIfPresent(String.self, forKey: .database) ?? database
        defaultWarehouse = try c.decodeIfPresent(String.self, forKey: .defaultWarehouse) ?? defaultWarehouse
        currencyDecimals = try c.decodeIfPresent(Int.self, forKey: .currencyDecimals) ?? currencyDecimals
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? timeZone
        jobs = try c.decodeIfPresent([JobConfig].self, forKey: .jobs) ?? []
        inbox = try c.decodeIfPresent(InboxSettings.self, forKey: .inbox) ?? InboxSettings()
        if let text = try c.decodeIfPresent(String.self, forKey: .shipPolicy) {
            guard let policy = ShipPolicy(parsing: text) else {
                throw EngineError.config("ship_policy '\(text)': expected part, complete or part-after:N (days)")
            }
            shipPolicy = policy
        }
        splitLines = try c.decodeIfPresent(Bool.self, forKey: .splitLines) ?? false
        allocationMode = try c.decodeIfPresent(String.self, forKey: .allocationMode) ?? "incremental"
        guard ["incremental", "full"].contains(allocationMode) else {
            throw EngineError.config("allocation_mode '\(allocationMode)': expected incremental or full")
        }
        despatch = try c.decodeIfPresent(String.self, forKey: .despatch) ?? "on-pick-list"
        guard ["on-pick-list", "confirmed"].contains(despatch) else {
            throw EngineError.config("despatch '\(despatch)': expected on-pick-list or confirmed")
        }
        cacheMB = try c.decodeIfPresent(Int.self, forKey: .cacheMB) ?? cacheMB
        guard (8...65_536).contains(cacheMB) else {
            throw EngineError.config("cache_mb \(cacheMB): expected a size in MB from 8 to 65536")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(database, forKey: .database)
        try c.encode(defaultWarehouse, forKey: .defaultWarehouse)
        try c.encode(currencyDecimals, forKey: .currencyDecimals)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(shipPolicy.description, forKey: .shipPolicy)
    }

    public var money: MoneyFormat { MoneyFormat(fractionDigits: currencyDecimals) }

    /// Reads the config; a home without one uses the defaults.
    public static func load(from url: URL) throws(EngineError) -> EngineConfig {
        guard let data = FileManager.default.contents(atPath: url.path) else { return EngineConfig() }
        let text = String(decoding: data, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return EngineConfig() }
        let known = Set(["database", "default_warehouse", "currency_decimals", "time_zone", "jobs", "inbox", "ship_policy",
                         "split_lines", "allocation_mode", "despatch", "cache_mb"])
        do {
            if let node = try Yams.compose(yaml: text), let map = node.mapping {
                for (key, _) in map where !known.contains(key.string ?? "") {
                    let mark = key.mark.map { ":\($0.line):\($0.column)" } ?? ""
                    throw EngineError.config("\(url.lastPathComponent)\(mark): unknown setting '\(key.string ?? "?")'; expected one of \(known.sorted().joined(separator: ", "))")
                }
            }
            let config = try YAMLDecoder().decode(EngineConfig.self, from: text)
            guard (0...4).contains(config.currencyDecimals) else {
                throw EngineError.config("\(url.lastPathComponent): currency_decimals must be 0 to 4, found \(config.currencyDecimals)")
            }
            guard !config.defaultWarehouse.isEmpty else {
                throw EngineError.config("\(url.lastPathComponent): default_warehouse must not be blank")
            }
            return config
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.config("\(url.lastPathComponent): \(error)")
        }
    }
}
