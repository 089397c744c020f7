import Foundation
import OrderModel
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

    enum CodingKeys: String, CodingKey {
        case database
        case defaultWarehouse = "default_warehouse"
        case currencyDecimals = "currency_decimals"
        case timeZone = "time_zone"
        case jobs
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
        enum CodingKeys: String, CodingKey { case name, every, cron, timeZone = "time_zone", steps, missed }
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        database = try c.decodeIfPresent(String.self, forKey: .database) ?? database
        defaultWarehouse = try c.decodeIfPresent(String.self, forKey: .defaultWarehouse) ?? defaultWarehouse
        currencyDecimals = try c.decodeIfPresent(Int.self, forKey: .currencyDecimals) ?? currencyDecimals
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? timeZone
        jobs = try c.decodeIfPresent([JobConfig].self, forKey: .jobs) ?? []
    }

    public var money: MoneyFormat { MoneyFormat(fractionDigits: currencyDecimals) }

    /// Reads the config; a home without one uses the defaults.
    public static func load(from url: URL) throws(EngineError) -> EngineConfig {
        guard let data = FileManager.default.contents(atPath: url.path) else { return EngineConfig() }
        let text = String(decoding: data, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return EngineConfig() }
        let known = Set(["database", "default_warehouse", "currency_decimals", "time_zone", "jobs"])
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
