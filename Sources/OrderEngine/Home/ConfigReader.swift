import Foundation
import OrderExport
import OrderImport
import OrderInbox
import OrderJobs
import OrderModel
import Yams

/// The walk over `orderflow.yaml`'s nodes: every value checked for type and range, every mistake
/// kept with its line and column, and the walk carried on so that all of them are reported at once.
struct ConfigReader {
    let file: String
    private(set) var issues: [ConfigIssue] = []

    init(file: String) { self.file = file }

    static let topKeys = ["database", "default_warehouse", "currency_decimals", "currency", "currency_rates", "units", "time_zone", "ship_policy", "split_lines",
                          "allocation_mode", "despatch", "cache_mb", "outbox_mode", "outputs", "inbox", "jobs"]
    static let inboxKeys = ["poll_interval", "settle", "ignore", "max_file_size", "max_files_per_poll", "reject_empty"]
    static let outputKeys = ["pick_list", "warehouse_pick_lists", "exception_report", "back_order_report"]
    static let jobKeys = ["name", "every", "cron", "time_zone", "steps", "missed", "empty_reports"]
    /// Any instant will do to ask whether a cron expression ever fires: the answer does not depend on it.
    static let cronReference = Timestamp(secondsSinceEpoch: 946_684_800)

    mutating func config(yaml: String) -> EngineConfig {
        var config = EngineConfig()
        let root: Node
        do throws(MappingError) {
            guard let node = try YAMLNodes.compose(yaml, file: file) else { return config }
            root = node
        } catch {
            issues.append(ConfigIssue(file: file, location: error.location, subject: "", message: error.message))
            return config
        }
        if YAMLNodes.isNull(root) { return config }
        var ratesNode: Node?
        defer { issues.sort { ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0) } }
        for (key, _, value) in entries(root, of: nil, known: Self.topKeys) {
            switch key {
            case "database":
                if let v = text(value, key) { config.database = v }
            case "default_warehouse":
                if let v = text(value, key) { config.defaultWarehouse = v }
            case "currency_decimals":
                if let v = integer(value, key, in: 0...4, expected: "a whole number of decimal places from 0 to 4") { config.currencyDecimals = v }
            case "currency":
                if let v = currency(value, key) { config.currency = v }
            case "currency_rates":
                ratesNode = value
                config.currencyRates = rates(value)
            case "units":
                config.units = units(value)
            case "time_zone":
                if let v = timeZone(value, key) { config.timeZone = v }
            case "ship_policy":
                guard let v = text(value, key) else { break }
                guard let policy = ShipPolicy(parsing: v) else {
                    fail(value, key, "expected part, complete or part-after:N (N days in back order)")
                    break
                }
                config.shipPolicy = policy
            case "split_lines":
                if let v = bool(value, key) { config.splitLines = v }
            case "allocation_mode":
                if let v = choice(value, key, EngineConfig.AllocationMode.self) { config.allocationMode = v }
            case "despatch":
                if let v = choice(value, key, EngineConfig.DespatchMode.self) { config.despatch = v }
            case "cache_mb":
                if let v = integer(value, key, in: 8...65_536, expected: "a size in MB from 8 to 65536") { config.cacheMB = v }
            case "outbox_mode":
                guard let v = scalarText(value, key) else { break }
                guard let mode = FileModes.Mode(octal: v) else {
                    fail(value, key, "expected file permissions in octal from \"0600\" to \"0666\" with the owner able to read and write, e.g. \"0640\" for a group-readable collector")
                    break
                }
                config.outboxMode = mode
            case "outputs":
                config.outputs = outputs(value)
            case "inbox":
                config.inbox = inbox(value)
            case "jobs":
                config.jobs = jobs(value)
            default:
                break
            }
        }
        if let ratesNode, !config.currencyRates.isEmpty {
            if let home = config.currency {
                if let own = config.currencyRates[home], own != 1 {
                    fail(ratesNode, "currency_rates", "gives \(home) a rate of \(own), but \(home) is the home currency (currency), worth 1; remove it")
                }
            } else {
                fail(ratesNode, "currency_rates", "says what each currency is worth in the home currency: give that currency too, e.g. currency: GBP")
            }
        }
        return config
    }

    /// `outputs`: which output mapping writes each document (see `EngineConfig.Outputs`).
    mutating func outputs(_ node: Node) -> EngineConfig.Outputs {
        var outputs = EngineConfig.Outputs()
        if YAMLNodes.isNull(node) { return outputs }
        for (key, _, value) in entries(node, of: "outputs", known: Self.outputKeys) {
            let setting = "outputs.\(key)"
            switch key {
            case "pick_list": if let name = mappingName(value, setting) { outputs.pickList = name }
            case "exception_report": if let name = mappingName(value, setting) { outputs.exceptionReport = name }
            case "back_order_report": if let name = mappingName(value, setting) { outputs.backOrderReport = name }
            case "warehouse_pick_lists":
                if YAMLNodes.isNull(value) { break }
                guard let map = value.mapping else {
                    fail(value, setting, "expected a mapping of warehouse to output mapping, e.g. { WH2: wms-b }")
                    break
                }
                for (warehouse, name) in map {
                    guard let code = warehouse.scalar?.string, !code.isEmpty else {
                        fail(warehouse, setting, "expected a warehouse code")
                        continue
                    }
                    if let mapping = mappingName(name, "\(setting).\(code)") { outputs.warehousePickLists[code] = mapping }
                }
            default: break
            }
        }
        return outputs
    }

    /// An output mapping's name: `standard` (the built-in layout) or the name of `mappings/outputs/NAME.yaml`.
    mutating func mappingName(_ node: Node, _ setting: String) -> String? {
        guard let name = text(node, setting) else { return nil }
        guard EngineConfig.Outputs.isValidName(name) else {
            fail(node, setting, "expected 'standard' or the name of an output mapping in mappings/outputs/ (lower-case letters, digits, - and _)")
            return nil
        }
        return name
    }

    mutating func currency(_ node: Node, _ setting: String) -> CurrencyCode? {
        guard let text = text(node, setting) else { return nil }
        guard let code = CurrencyCode(text) else {
            fail(node, setting, "expected a three-letter ISO 4217 currency code, e.g. GBP, EUR or USD")
            return nil
        }
        return code
    }

    /// `currency_rates`: a mapping of currency code to what one unit of it is worth in the home currency,
    /// an exact decimal above 0 (never read as a binary floating-point number).
    mutating func rates(_ node: Node) -> [CurrencyCode: Decimal] {
        if YAMLNodes.isNull(node) { return [:] }
        guard let map = node.mapping else {
            fail(node, "currency_rates", "expected a mapping of currency code to rate, e.g. { EUR: 0.8612, USD: 0.7891 }")
            return [:]
        }
        var rates: [CurrencyCode: Decimal] = [:]
        for (key, value) in map {
            guard let name = key.scalar?.string, let code = CurrencyCode(name) else {
                fail(key, "currency_rates", "expected a three-letter ISO 4217 currency code, e.g. EUR")
                continue
            }
            let setting = "currency_rates.\(code)"
            guard rates[code] == nil else {
                fail(key, setting, "is given twice; keep one")
                continue
            }
            guard let text = scalarText(value, setting) else { continue }
            let plain = text.trimmingCharacters(in: .whitespaces)
            let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  parts[0].count <= 9, parts.count == 1 || parts[1].count <= 12,
                  let rate = Decimal(string: plain, locale: Locale(identifier: "en_US_POSIX")), rate > 0 else {
                fail(value, setting, "expected what one \(code) is worth in the home currency: a decimal above 0 with a dot and at most 12 decimal places, e.g. 0.8612")
                continue
            }
            rates[code] = rate
        }
        return rates
    }

    /// `units`: the home's unit conversions, each unit to how many of another one it is,
    /// `{ KGM: 1000 GRM, CS: 12 EA }` (read both ways: 500 GRM is 0.5 KGM).
    mutating func units(_ node: Node) -> UnitConversions {
        if YAMLNodes.isNull(node) { return .none }
        let example = "e.g. { KGM: 1000 GRM, CS: 12 EA }"
        guard let map = node.mapping else {
            fail(node, "units", "expected a mapping of unit to what one of it is in another unit, \(example)")
            return .none
        }
        var rules: [UnitConversions.Rule] = []
        for (key, value) in map {
            guard let name = key.scalar?.string, !name.trimmed.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "=" || $0 == ";" }) else {
                fail(key, "units", "expected a unit code without blanks, \(example)")
                continue
            }
            let from = UnitConversions.normalized(name)
            let setting = "units.\(from)"
            guard !rules.contains(where: { $0.from == from }) else {
                fail(key, setting, "is given twice; keep one")
                continue
            }
            guard let text = scalarText(value, setting) else { continue }
            let parts = text.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let factor = Quantity.parse(String(parts[0])), factor > .zero else {
                fail(value, setting, "expected how many of another unit one \(from) is: a number above 0 with at most 3 decimals, a space and the unit, e.g. 1000 GRM")
                continue
            }
            let to = UnitConversions.normalized(String(parts[1]))
            guard to != from else {
                fail(value, setting, "converts \(from) into itself; name another unit, e.g. 1000 GRM")
                continue
            }
            rules.append(UnitConversions.Rule(from: from, to: to, factor: factor))
        }
        return UnitConversions(rules)
    }

    // MARK: - Sections

    mutating func inbox(_ node: Node) -> EngineConfig.InboxSettings {
        var settings = EngineConfig.InboxSettings()
        if YAMLNodes.isNull(node) { return settings }
        for (key, _, value) in entries(node, of: "inbox", known: Self.inboxKeys) {
            let setting = "inbox.\(key)"
            switch key {
            case "poll_interval":
                if let v = duration(value, setting, in: EngineConfig.InboxSettings.pollIntervalRange, bounds: "from 100ms to 24h",
                                    zero: "must be more than 0 (a poll with no pause spins the CPU)") {
                    settings.pollInterval = v
                }
            case "settle":
                if let v = duration(value, setting, in: EngineConfig.InboxSettings.settleRange, bounds: "from 0s to 24h", zero: "") {
                    settings.settle = v
                }
            case "ignore":
                guard let list = value.sequence else {
                    fail(value, setting, "expected a list of name patterns, e.g. [\".*\", \"*.tmp\"]")
                    break
                }
                var patterns: [String] = []
                for item in list { if let p = text(item, setting) { patterns.append(p) } }
                settings.ignore = patterns
            case "max_file_size":
                guard let v = scalarText(value, setting) else { break }
                switch ConfigValues.bytes(v) {
                case .success(let bytes): settings.maxFileSize = bytes
                case .failure(let problem):
                    let reason: String = switch problem {
                    case .negative, .zero: "must be more than 0"
                    case .outOfRange, .notFinite: "is too large to count in bytes"
                    default: "is not a size"
                    }
                    fail(value, setting, "\(reason); expected a size such as 500MB, 4GB or 1048576 (bytes)")
                }
            case "max_files_per_poll":
                if let v = integer(value, setting, in: 0...Int.max, expected: "a whole number from 0 (0: no cap)") { settings.maxFilesPerPoll = v }
            case "reject_empty":
                if let v = bool(value, setting) { settings.rejectEmpty = v }
            default:
                break
            }
        }
        return settings
    }

    mutating func jobs(_ node: Node) -> [EngineConfig.JobConfig] {
        if YAMLNodes.isNull(node) { return [] }
        guard let list = node.sequence else {
            fail(node, "jobs", "expected a list of jobs, each with a name and 'every' or 'cron'")
            return []
        }
        var jobs: [EngineConfig.JobConfig] = []
        var seen: [String: SourceLocation] = [:]
        for (index, item) in list.enumerated() {
            guard item.mapping != nil else {
                fail(item, "jobs[\(index + 1)]", "expected a job: name, and 'every' or 'cron'")
                continue
            }
            // Two jobs of one name are reported even when either is wrong in another way.
            if let nameNode = item["name"], let name = nameNode.scalar?.string, !YAMLNodes.isNull(nameNode) {
                if let first = seen[name] {
                    issues.append(ConfigIssue(file: file, location: YAMLNodes.location(nameNode), subject: "job '\(name)'",
                                              message: "a second job of this name (the first is at line \(first.line)); give each job its own name"))
                    continue
                }
                seen[name] = YAMLNodes.location(nameNode)
            }
            if let job = job(item, index: index) { jobs.append(job) }
        }
        return jobs
    }

    mutating func job(_ node: Node, index: Int) -> EngineConfig.JobConfig? {
        let fields = entries(node, of: "a job", known: Self.jobKeys)
        func value(_ key: String) -> Node? { fields.first { $0.0 == key }?.2 }
        guard let nameNode = value("name") else {
            fail(node, "jobs[\(index + 1)]", "needs 'name:'")
            return nil
        }
        guard let name = text(nameNode, "job name") else { return nil }
        var ok = true
        var job = EngineConfig.JobConfig(name: name)
        let what = "job '\(name)'"
        switch (value("every"), value("cron")) {
        case (let every?, nil):
            if let text = scalarText(every, "\(what) every") {
                switch ConfigValues.wholeSeconds(text, in: EngineConfig.JobConfig.everyRange) {
                case .success(let seconds): job.every = "\(seconds)s"
                case .failure(let problem):
                    ok = false
                    let reason: String = switch problem {
                    case .zero, .negative: "must be more than 0"
                    case .notFinite, .outOfRange: "is out of range"
                    case .notWholeSeconds: "is not a whole number of seconds"
                    case .notUnderstood: "is not an interval"
                    }
                    fail(every, "\(what) every", "\(reason); expected whole seconds from 1s to 31 days, like 30s, 5m or 2h")
                }
            } else { ok = false }
        case (nil, let cron?):
            if let text = scalarText(cron, "\(what) cron") {
                do {
                    let expression = try CronExpression(text)
                    // A date that no month has (31 FEB) parses but would never run: say so now.
                    if expression.next(after: Self.cronReference, in: TimeZone(identifier: "UTC") ?? .current) == nil {
                        ok = false
                        fail(cron, "\(what) cron", "never runs: no month has that day; choose a day the month has")
                    } else {
                        job.cron = text
                    }
                } catch {
                    ok = false
                    let example = error.field == nil ? ", e.g. \"0 6 * * MON-FRI\"" : ""
                    issues.append(ConfigIssue(file: file, location: cronLocation(cron, text: text, field: error.field),
                                              subject: "\(what) cron '\(text)'", message: "\(error.message)\(example)"))
                }
            } else { ok = false }
        case (let every?, _?):
            ok = false
            fail(every, "\(what) every", "the job has 'cron' too; give either 'every' or 'cron'")
        case (nil, nil):
            ok = false
            issues.append(ConfigIssue(file: file, location: YAMLNodes.location(node), subject: what,
                                      message: "has neither 'every' (30s, 5m, 2h) nor 'cron' (\"0 6 * * MON-FRI\"); give one of them"))
        }
        if let zoneNode = value("time_zone") {
            if let zone = timeZone(zoneNode, "\(what) time_zone") { job.timeZone = zone } else { ok = false }
        }
        if let stepsNode = value("steps") {
            if !steps(stepsNode, what: what, into: &job) { ok = false }
        }
        if let missedNode = value("missed") {
            if let missed = scalarText(missedNode, "\(what) missed") {
                if ["run-once", "skip"].contains(missed) { job.missed = missed } else {
                    ok = false
                    fail(missedNode, "\(what) missed", "expected run-once or skip")
                }
            } else { ok = false }
        }
        if let emptyNode = value("empty_reports") {
            if let empty = scalarText(emptyNode, "\(what) empty_reports") {
                if ["write", "skip"].contains(empty) { job.emptyReports = empty } else {
                    ok = false
                    fail(emptyNode, "\(what) empty_reports", "expected write (a report with no lines is written with its header) or skip")
                }
            } else { ok = false }
        }
        return ok ? job : nil
    }

    /// A job's step names into `job.steps`: `[all]` (or nothing) for the whole pipeline, else each name once.
    /// - Returns: false when the list has a mistake (reported).
    mutating func steps(_ node: Node, what: String, into job: inout EngineConfig.JobConfig) -> Bool {
        if YAMLNodes.isNull(node) { return true }
        if let scalar = node.scalar {
            if scalar.string == "all" { return true }
            fail(node, "\(what) steps", "expected a list of pipeline entries, e.g. [allocate, export], or [all]")
            return false
        }
        guard let list = node.sequence else {
            fail(node, "\(what) steps", "expected a list of pipeline entries, e.g. [allocate, export], or [all]")
            return false
        }
        var names: [String] = []
        var ok = true
        for item in list {
            guard let name = text(item, "\(what) steps") else { ok = false; continue }
            if let first = job.stepLocations[name] {
                ok = false
                fail(item, "\(what) step", "is listed twice (first at line \(first.line), column \(first.column)); a job runs each step once")
                continue
            }
            if name == "all" && list.count > 1 {
                ok = false
                fail(item, "\(what) step", "'all' stands alone: write [all] for the whole pipeline, or list the steps")
                continue
            }
            job.stepLocations[name] = YAMLNodes.location(item)
            names.append(name)
        }
        guard ok else { return false }
        job.steps = names.isEmpty || names == ["all"] ? nil : names
        return true
    }

    // MARK: - Values

    mutating func fail(_ node: Node, _ setting: String, _ message: String) {
        let shown = YAMLNodes.shown(node)
        let subject = node.scalar != nil ? "\(setting) '\(shown)'" : "\(setting) (\(shown))"
        issues.append(ConfigIssue(file: file, location: YAMLNodes.location(node), subject: subject, message: message))
    }

    /// The keys of a mapping node; an unknown key is an issue, and is left out.
    mutating func entries(_ node: Node, of section: String?, known: [String]) -> [(String, Node, Node)] {
        guard let map = node.mapping else {
            let what = section ?? "the file"
            issues.append(ConfigIssue(file: file, location: YAMLNodes.location(node), subject: section.map { "\($0) (\(YAMLNodes.shown(node)))" } ?? "",
                                      message: "\(what) must be a mapping of settings (\(known.joined(separator: ", ")))"))
            return []
        }
        var out: [(String, Node, Node)] = []
        var seen: Set<String> = []
        for (key, value) in map {
            guard let name = key.scalar?.string, known.contains(name) else {
                let place = section.map { " in \($0)" } ?? ""
                issues.append(ConfigIssue(file: file, location: YAMLNodes.location(key), subject: "unknown setting '\(YAMLNodes.shown(key))'\(place)",
                                          message: "expected one of \(known.joined(separator: ", "))"))
                continue
            }
            guard seen.insert(name).inserted else {
                issues.append(ConfigIssue(file: file, location: YAMLNodes.location(key), subject: "setting '\(name)'",
                                          message: "is given twice; keep one"))
                continue
            }
            out.append((name, key, value))
        }
        return out
    }

    /// A single value written as text (a number or a word is text too); a list, a mapping or nothing is an issue.
    mutating func scalarText(_ node: Node, _ setting: String) -> String? {
        guard let scalar = node.scalar else {
            fail(node, setting, "expected a single value, not \(YAMLNodes.shown(node))")
            return nil
        }
        if YAMLNodes.isNull(node) {
            issues.append(ConfigIssue(file: file, location: YAMLNodes.location(node), subject: setting,
                                      message: "has no value; give one or remove the line"))
            return nil
        }
        return scalar.string
    }

    /// Non-blank text.
    mutating func text(_ node: Node, _ setting: String) -> String? {
        guard let value = scalarText(node, setting) else { return nil }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(node, setting, "must not be blank")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ setting: String) -> Bool? {
        guard scalarText(node, setting) != nil else { return nil }
        guard let value = node.bool else {
            fail(node, setting, "expected true or false")
            return nil
        }
        return value
    }

    mutating func integer(_ node: Node, _ setting: String, in range: ClosedRange<Int>, expected: String) -> Int? {
        guard let text = scalarText(node, setting) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            fail(node, setting, "expected \(expected)")
            return nil
        }
        return value
    }

    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, _ setting: String, _ type: Choice.Type) -> Choice?
    where Choice.RawValue == String {
        guard let text = scalarText(node, setting) else { return nil }
        guard let value = Choice(rawValue: text) else {
            let names = Choice.allCases.map(\.rawValue)
            fail(node, setting, "expected \(names.dropLast().joined(separator: ", ")) or \(names.last ?? "")")
            return nil
        }
        return value
    }

    mutating func duration(_ node: Node, _ setting: String, in range: ClosedRange<Double>, bounds: String, zero: String) -> Double? {
        guard let text = scalarText(node, setting) else { return nil }
        switch ConfigValues.seconds(text, in: range) {
        case .success(let seconds): return seconds
        case .failure(let problem):
            let reason: String = switch problem {
            case .notUnderstood: "is not a duration"
            case .notFinite: "is too large to be a duration"
            case .negative: range.lowerBound > 0 ? "must be more than 0" : "must not be negative"
            case .zero: zero
            case .outOfRange, .notWholeSeconds: "is out of range"
            }
            fail(node, setting, "\(reason); expected a duration \(bounds), like 2s, 500ms, 5m or 2h")
            return nil
        }
    }

    mutating func timeZone(_ node: Node, _ setting: String) -> String? {
        guard let name = text(node, setting) else { return nil }
        guard TimeZone(identifier: name) != nil else {
            fail(node, setting, "is not a time zone; use a name such as UTC or Europe/London")
            return nil
        }
        return name
    }

    /// The position of the cron field at fault, when the error names one.
    func cronLocation(_ node: Node, text: String, field: Int?) -> SourceLocation? {
        guard var at = YAMLNodes.location(node) else { return nil }
        guard let field, let scalar = node.scalar, scalar.style == .plain || scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        else { return at }
        if scalar.style != .plain { at.column += 1 }
        var index = 0
        var inField = false
        for (offset, character) in text.enumerated() {
            let blank = character == " " || character == "\t"
            if !blank && !inField {
                if index == field { at.column += offset; return at }
                index += 1
            }
            inField = !blank
        }
        return at
    }
}
