import Foundation
import Logging
import OrderExport
import OrderImport
import OrderInbox
import OrderModel
import OrderStore

/// One home's engine: its config, mappings, database and clock, and the cycle pipeline.
///
/// Commands and (later) the daemon build exactly this; tests build it on temporary homes,
/// so what is tested is what runs.
public struct Engine: Sendable {
    public let home: Home
    public let config: EngineConfig
    public let database: OrderDatabase
    public let clock: any EngineClock
    /// The `actor` written in the history for commands run by a person.
    public let user: String
    /// Where the engine says what it did: a line per file, job run and output, with counts.
    public var logger: Logger

    /// Opens a home: reads the config and opens (migrating) the database.
    ///
    /// - Parameters:
    ///   - newDatabase: allows a new database (missing, 0 bytes, or without tables) in a home that has history;
    ///     without it the engine refuses, since it would forget every customer, order and imported file.
    ///   - busyWait: how long a write waits for another process's (an operator's command beside the
    ///     running engine waits for the engine's import to commit).
    public init(home: Home, clock: any EngineClock, user: String? = nil, logger: Logger? = nil, newDatabase: Bool = false,
                busyWait: OrderDatabase.BusyWait = OrderDatabase.BusyWait()) throws {
        self.home = home
        self.clock = clock
        self.logger = logger ?? Logger(label: "orderflow", factory: { _ in SwiftLogNoOpLogHandler() })
        self.user = user ?? ProcessInfo.processInfo.environment["USER"] ?? "operator"
        // Private by default, whatever the shell's umask: see `FileModes`.
        FileModes.usePrivateUmask()
        guard FileManager.default.fileExists(atPath: home.root.path) else {
            throw EngineError.config("no home at \(home.root.path); create one with 'orderflow init --home \(home.root.path)'")
        }
        config = try EngineConfig.load(from: home.configFile)
        let path = home.database(config).path
        let presence = OrderDatabase.presence(at: path)
        if presence != .existing, !newDatabase {
            let history = HomeHistory(home: home)
            if !history.isEmpty {
                let what = presence == .missing ? "does not exist" : presence == .empty ? "is empty (0 bytes; truncated?)" : "has no tables"
                throw EngineError.notPossible("""
                    the database \(path) \(what), but this home has history: \(history.summary). A new database would \
                    forget every customer, order and imported file (they would be imported again) and reuse outbox numbers. \
                    Restore the database from a backup, or correct 'database:' in orderflow.yaml if it names the wrong file; \
                    to start again with an empty database on purpose, run with --new-database (outbox numbers then continue \
                    after the highest found)
                    """)
            }
        }
        do {
            database = try OrderDatabase(path: path, cacheMB: config.cacheMB, busyWait: busyWait)
            // A new or restored database continues the outbox numbers the files already carry.
            try OutboxSequence.catchUp(database, outbox: home.outbox)
        } catch {
            throw EngineError.config("cannot open the database \(path): \(error)")
        }
        home.makePrivate(database: path)
    }

    /// An engine over a database the caller opened (`MappingPreview`'s trial database).
    init(home: Home, config: EngineConfig, database: OrderDatabase, clock: any EngineClock) {
        self.home = home; self.config = config; self.database = database; self.clock = clock
        user = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        logger = Logger(label: "orderflow", factory: { _ in SwiftLogNoOpLogHandler() })
    }

    /// Opens a home for the read-only commands (`status`, `jobs history`): a broken orderflow.yaml is
    /// returned as `problem` and the defaults are used, with the database its `database:` line names if
    /// that line can still be read.
    public static func openForReading(home: Home, clock: any EngineClock) throws -> (engine: Engine, problem: String?) {
        do {
            return (try Engine(home: home, clock: clock), nil)
        } catch let error as EngineError {
            guard case .config = error, FileManager.default.fileExists(atPath: home.root.path) else { throw error }
            var config = EngineConfig()
            let text = (try? String(contentsOf: home.configFile, encoding: .utf8)) ?? ""
            for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("database:") {
                let value = line.dropFirst("database:".count).trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
                if !value.isEmpty { config.database = value }
            }
            let path = home.database(config).path
            guard FileManager.default.fileExists(atPath: path) else { throw error }
            let database = try OrderDatabase(path: path, cacheMB: 16)
            let user = ProcessInfo.processInfo.environment["USER"] ?? "operator"
            return (Engine(home: home, config: config, database: database, clock: clock, user: user,
                           logger: Logger(label: "orderflow", factory: { _ in SwiftLogNoOpLogHandler() })), EngineError.oneLine(error))
        }
    }

    /// The same engine on another configuration (a running engine's reload): the database, clock and logger
    /// stay; a changed `database:` applies at the next start.
    public func reconfigured(_ config: EngineConfig) -> Engine {
        Engine(home: home, config: config, database: database, clock: clock, user: user, logger: logger)
    }

    /// The same engine acting for another person: their name goes into the history (`user:<name>`).
    public func acting(as user: String) -> Engine {
        Engine(home: home, config: config, database: database, clock: clock, user: user, logger: logger)
    }

    init(home: Home, config: EngineConfig, database: OrderDatabase, clock: any EngineClock, user: String, logger: Logger) {
        self.home = home; self.config = config; self.database = database; self.clock = clock; self.user = user; self.logger = logger
    }

    /// Loads and checks every mapping; the engine refuses to import through a broken one.
    public func loadMappings() throws(EngineError) -> [Mapping] {
        do {
            return try MappingLoader().loadFolder(home.mappings)
        } catch {
            throw EngineError.mappings(error.description)
        }
    }

    /// The rules file, checked against the fields the mappings define.
    public func loadRules(mappings: [Mapping]) throws(EngineError) -> RulesFile {
        try RulesFile.load(home: home, catalog: RulesFile.catalog(mappings))
    }

    /// The pipeline of `rules.yaml` as steps, in order.
    public func pipeline(mappings: [Mapping], rules: RulesFile) -> [any CycleStep] {
        let catalog = RulesFile.catalog(mappings)
        return rules.pipeline.map { entry -> any CycleStep in
            switch entry {
            case .rule(let rule): ProcessRuleStep(rule: rule, catalog: catalog, mappings: mappings)
            case .step(let step): builtInStep(step, mappings: mappings)
            }
        }
    }

    /// The step that runs a built-in step of the pipeline or of a job.
    public func builtInStep(_ step: BuiltInStep, mappings: [Mapping]) -> any CycleStep {
        step.makeStep(mappings: mappings)
    }

    /// Runs one full cycle: finish what a previous run left pending, then every step of the pipeline in order.
    public func runCycle(observer: (any ImportObserver)? = nil, options: RunOptions = RunOptions()) throws -> CycleReport {
        let mappings = try loadMappings()
        return try runSteps(pipeline(mappings: mappings, rules: try loadRules(mappings: mappings)), observer: observer, options: options)
    }

    /// Runs the allocation step alone (or previews it: `dryRun` rolls everything back).
    ///
    /// A preview takes no engine lock: it runs in one transaction that is rolled back (its cycle row too),
    /// so it works beside the running engine and leaves nothing behind.
    public func allocate(dryRun: Bool) throws -> (StepReport, [AllocateStep.Preview]) {
        if dryRun {
            return try database.rehearse { tx in
                let cycleID = try tx.startCycle(at: clock.now, finished: true)
                let context = CycleContext(engine: self, cycleID: cycleID, now: clock.now)
                return try AllocateStep(dryRun: true).allocate(tx, context)
            }
        }
        let cycleID = try database.write { tx in try tx.startCycle(at: clock.now, finished: true) }
        return try AllocateStep().allocate(CycleContext(engine: self, cycleID: cycleID, now: clock.now))
    }

    /// Writes the outbox files the database holds as pending, outside any cycle (a stopping engine, before it exits).
    public func publishPending() {
        _ = OutboxPublisher(context: CycleContext(engine: self, cycleID: 0, now: clock.now)).publishPending()
    }

    /// The process's peak resident memory so far, in MB.
    static func peakResidentMB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss / 1024
    }

    /// What a long-running engine passes to each cycle.
    public struct RunOptions: Sendable {
        /// Set by SIGTERM/SIGINT: the step in hand finishes (an import in hand rolls back), the rest waits.
        public var stop: StopToken?
        /// The daemon's memory of inbox files between polls.
        public var observations: InboxObservations?
        /// The real clock, for physical facts such as how long an inbox file has been unchanged; business
        /// time (`--now`) never measures a file's age. Tests step a `ManualClock` instead of sleeping.
        public var fileClock: any EngineClock
        /// How long an orders import writes before it commits and lets a waiting writer (an operator's
        /// command) in; the import stays all or nothing (`ImportInProgress`). Tests set `.zero` to commit
        /// at every batch.
        public var importCommitInterval: Duration
        public init(stop: StopToken? = nil, observations: InboxObservations? = nil, fileClock: any EngineClock = SystemClock(),
                    importCommitInterval: Duration = .milliseconds(250)) {
            self.stop = stop
            self.observations = observations
            self.fileClock = fileClock
            self.importCommitInterval = importCommitInterval
        }
    }

    /// Runs the given steps as one cycle (the default pipeline, a job's steps, a benchmark's).
    public func runSteps(_ steps: [any CycleStep], observer: (any ImportObserver)? = nil, options: RunOptions = RunOptions()) throws -> CycleReport {
        let now = clock.now
        let cycleID = try database.startCycle(at: now)
        let context = CycleContext(engine: self, cycleID: cycleID, now: now, observer: observer, options: options)
        // An orders import the process did not finish (killed between its commits) is taken back before any
        // step can see its orders; the file is still in processing/ and is imported again whole.
        for taken in try database.takeBackUnfinishedImports() {
            logger.notice("unfinished import taken back; the file is imported again",
                          metadata: ["source_file.id": "\(taken.sourceFileID)", "orders": "\(taken.orders)"])
        }
        var reports: [StepReport] = []
        // Outbox files committed by an interrupted run are written before anything new.
        let recovered = OutboxPublisher(context: context).publishPending(recovering: true)
        for step in steps {
            if options.stop?.isStopped == true {
                logger.notice("cycle stopped before its next step", metadata: ["cycle.id": "\(cycleID)", "step.name": "\(step.name)"])
                break
            }
            // Wall time is measured, never used for business rules: those read `clock`.
            let started = ContinuousClock.now
            var report: StepReport
            do {
                report = try step.run(context)
            } catch {
                // A failed cycle is recorded as failed, with its error, so `status` tells it from a good one.
                let message = "\(step.name): \(EngineError.oneLine(error))"
                try? database.failCycle(cycleID, at: clock.now, error: message)
                throw error
            }
            report.step = step.name
            let elapsed = ContinuousClock.now - started
            report.milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            report.peakResidentMB = Self.peakResidentMB()
            reports.append(report)
        }
        let report = CycleReport(cycleID: cycleID, startedAt: now, steps: reports,
                                 recoveredOutputs: recovered.written, outputFailures: recovered.failures)
        let summary = String(decoding: try JSONEncoder().encode(report.counts), as: UTF8.self)
        try database.finishCycle(cycleID, at: clock.now, summary: summary)
        return report
    }
}

/// What every step of one cycle shares.
public struct CycleContext: Sendable {
    public let engine: Engine
    public let cycleID: Int64
    /// The cycle's instant: every stamp of this cycle uses it.
    public let now: Timestamp
    /// Told about each input file as it is imported (progress on a terminal, a line per file).
    public var observer: (any ImportObserver)? = nil
    public var options = Engine.RunOptions()
    var logger: Logger { engine.logger }
    /// The store: steps read their working set and persist their decisions through it.
    public var store: OrderDatabase { engine.database }
    var money: MoneyFormat { engine.config.money }
}

/// Watches imports: a line per file for logs, progress for a person at a terminal.
public protocol ImportObserver: Sendable {
    func started(file: String, bytes: Int)
    func progress(file: String, bytesDone: Int, bytesTotal: Int, records: Int)
    func finished(file: String, records: Int, rejected: Int, outcome: String)
}

/// One named step of the cycle pipeline.
public protocol CycleStep: Sendable {
    var name: String { get }
    func run(_ context: CycleContext) throws -> StepReport
}

/// Counts from one step, in the order they are printed.
public struct StepReport: Sendable, Codable, Hashable {
    public var step: String
    public var counts: [Count]
    /// Problems that did not stop the step (an output that could not be written yet).
    public var warnings: [String] = []
    /// How long the step took, for the operator and the benchmark.
    public var milliseconds: Double = 0
    /// The process's peak resident memory when the step ended, in MB (the step that raised it is the one to
    /// look at when a large cycle needs too much memory).
    public var peakResidentMB: Int = 0

    public struct Count: Sendable, Codable, Hashable {
        public var name: String
        public var value: Int
    }

    public init(step: String, _ counts: KeyValuePairs<String, Int>, warnings: [String] = []) {
        self.step = step
        self.counts = counts.map { Count(name: $0.key, value: $0.value) }
        self.warnings = warnings
    }

    public subscript(_ name: String) -> Int { counts.first { $0.name == name }?.value ?? 0 }
}

/// What one cycle did.
public struct CycleReport: Sendable, Codable {
    public var cycleID: Int64
    public var startedAt: Timestamp
    public var steps: [StepReport]
    public var recoveredOutputs: Int
    public var outputFailures: [String]

    /// Counts by step and name; a step (or a count) that appears twice has its values added, never a trap.
    public var counts: [String: [String: Int]] {
        var result: [String: [String: Int]] = [:]
        for step in steps {
            for count in step.counts {
                let (sum, overflow) = result[step.step, default: [:]][count.name, default: 0].addingReportingOverflow(count.value)
                result[step.step, default: [:]][count.name] = overflow ? Int.max : sum
            }
            if result[step.step] == nil { result[step.step] = [:] }
        }
        return result
    }

    public func step(_ name: String) -> StepReport? { steps.first { $0.step == name } }

    /// A cycle that found nothing to do: no count above zero, no warning, no output recovered or failed.
    /// The daemon keeps such cycles out of the record (see `JobRunner.run`).
    public var isIdle: Bool {
        recoveredOutputs == 0 && outputFailures.isEmpty
            && steps.allSatisfy { step in step.warnings.isEmpty && step.counts.allSatisfy { $0.value == 0 } }
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
        }
        self = t
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
