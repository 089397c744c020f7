import Foundation
import OrderEngine
import OrderModel
#if canImport(Glibc)
import Glibc
#endif

/// The export step with the standard pick-list layout against the same pick list through an output mapping:
/// a benchmark, not a test.
///
/// Issue 16 asks that a pick list written through an output mapping cost at most 1.5 times the standard
/// layout. Both are measured from one state: `CycleBenchmark`'s workload is generated and cycled up to and
/// including `allocate`, the engine is closed (its database checkpointed) and the home is copied; each run
/// starts from a fresh copy of that home and runs the export step alone, alternating standard and mapped,
/// so that a machine that slows down in the middle charges both alike. The mapping writes the standard
/// pick list's 15 columns (`mappingText`).
public struct ExportBenchmark: Sendable {
    /// One timed export.
    public struct Run: Sendable, Codable {
        /// `standard` or `mapped`.
        public var variant: String
        /// The export step's own time, as its `StepReport` says.
        public var stepMilliseconds: Double
        /// The cycle that ran it, from opening the engine to its return (the step, opening the cycle, closing it).
        public var cycleMilliseconds: Double
        /// The process's CPU time (user and system) over that cycle: on a shared machine, what the wall clock
        /// measures besides the work is waiting for a core.
        public var cpuMilliseconds: Double
        /// Data rows in the pick-list files written (headers left out).
        public var pickListRows: Int
        public var pickLists: Int
    }

    public struct Result: Sendable, Codable {
        public var lines: Int
        public var orders: Int
        /// Lines in Picking when the export ran: what the pick lists hold.
        public var linesToPick: Int
        /// The cold cycle's steps before the export (import to allocate), in milliseconds: setting up, not measured.
        public var setupMilliseconds: Double
        public var runs: [Run]
        /// The fastest export step of each variant.
        public var standardMilliseconds: Double
        public var mappedMilliseconds: Double
        /// mapped ÷ standard: the issue's target is at most 1.5.
        public var ratio: Double
        /// Whether both variants wrote the same bytes in every pick-list file (they do once the mapping's
        /// columns read what the standard layout prints).
        public var sameBytes: Bool
    }

    /// The output mapping's name, and its file in the copied home's `mappings/outputs/`.
    public static let mappingName = "bench-pick-list"

    /// The standard pick list's 15 columns, as an output mapping: the one a new home ships (`pick-list-csv`),
    /// whose `ship_to.*` is the order's ship-to completed from its customer's, as the standard layout prints it,
    /// so the two variants write the same bytes.
    public static var mappingText: String { ShippedMappings.text("pick-list-csv") ?? "" }

    public let folder: URL
    public let lines: Int
    public let seed: UInt64
    /// Timed runs of each variant.
    public let repeats: Int
    public let keep: Bool

    public init(folder: URL, lines: Int, seed: UInt64 = 1, repeats: Int = 3, keep: Bool = false) {
        self.folder = folder
        self.lines = lines
        self.seed = seed
        self.repeats = max(1, repeats)
        self.keep = keep
    }

    /// The home cycled up to the export, kept to copy from.
    var baseFolder: URL { folder.appendingPathComponent("base", isDirectory: true) }
    /// The home each run exports from: a fresh copy of the base.
    var runFolder: URL { folder.appendingPathComponent("run", isDirectory: true) }
    /// The pick lists of the first run of each variant, to compare.
    func keptPickLists(_ variant: String) -> URL { folder.appendingPathComponent("pick-lists-\(variant)", isDirectory: true) }

    public func run() throws -> Result {
        let fm = FileManager.default
        try? fm.removeItem(at: folder)
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let (orders, toPick, setup) = try prepare()
        var runs: [Run] = []
        for round in 0..<repeats {
            for mapped in [false, true] {
                runs.append(try export(mapped: mapped, keepPickLists: round == 0))
            }
        }
        let same = try Self.sameFiles(keptPickLists("standard"), keptPickLists("mapped"))
        let standard = runs.filter { $0.variant == "standard" }.map(\.stepMilliseconds).min() ?? 0
        let mapped = runs.filter { $0.variant == "mapped" }.map(\.stepMilliseconds).min() ?? 0
        // Removed after measuring, as `CycleBenchmark` does (file creation after a mass deletion is slow on some file systems).
        if !keep { try? fm.removeItem(at: folder) }
        return Result(lines: lines, orders: orders, linesToPick: toPick, setupMilliseconds: setup, runs: runs,
                      standardMilliseconds: standard, mappedMilliseconds: mapped, ratio: mapped / max(standard, 0.001), sameBytes: same)
    }

    /// Generates `CycleBenchmark`'s workload in the base home and runs the cold cycle's steps before the export;
    /// the engine is closed on return, so the database is whole in its file.
    func prepare() throws -> (orders: Int, linesToPick: Int, milliseconds: Double) {
        let home = Home(baseFolder.path)
        _ = try home.initialize()
        let workload = CycleBenchmark(folder: baseFolder, lines: lines, seed: seed)
        var random = SeededGenerator(seed: seed)
        let orders = try workload.generate(home, random: &random)
        try CycleBenchmark.settle(home)
        let engine = try Engine(home: home, clock: ManualClock(Self.now))
        let mappings = try engine.loadMappings()
        let pipeline = engine.pipeline(mappings: mappings, rules: try engine.loadRules(mappings: mappings))
        guard let allocate = pipeline.firstIndex(where: { $0.name == BuiltInStep.allocate.rawValue }) else {
            throw EngineError.notPossible("the generated home's pipeline has no allocate step; see \(home.rulesFile.path)")
        }
        let report = try engine.runSteps(Array(pipeline[...allocate]))
        let (imported, unrouted) = (try engine.database.importedLineCount(), try engine.database.lineCount(in: .new))
        let toPick = try engine.database.lineCount(in: .picking)
        guard imported == lines, unrouted == 0, toPick > 0 else {
            throw EngineError.notPossible("the cycle up to allocate imported \(imported) of \(lines) lines, left \(unrouted) in new and \(toPick) to pick (\(report.counts)); see \(folder.path)")
        }
        return (orders, toPick, report.steps.map(\.milliseconds).reduce(0, +))
    }

    /// Copies the base home, names the mapping for every pick list when `mapped`, and runs the export step alone.
    func export(mapped: Bool, keepPickLists: Bool) throws -> Run {
        let fm = FileManager.default
        try? fm.removeItem(at: runFolder)
        try fm.copyItem(at: baseFolder, to: runFolder)
        let home = Home(runFolder.path)
        if mapped {
            try fm.createDirectory(at: home.outputMappings, withIntermediateDirectories: true)
            try Data(Self.mappingText.utf8).write(to: home.outputMappings.appendingPathComponent("\(Self.mappingName).yaml"))
            let config = try String(contentsOf: home.configFile, encoding: .utf8)
            try Data((config + "\noutputs:\n  pick_list: \(Self.mappingName)\n").utf8).write(to: home.configFile)
        }
        let variant = mapped ? "mapped" : "standard"
        let cpuBefore = Self.cpuMilliseconds()
        let started = ContinuousClock.now
        let report: CycleReport
        do {
            // The engine (and its database) is closed before the files are counted.
            let engine = try Engine(home: home, clock: ManualClock(Self.now))
            guard engine.config.outputs.pickList == (mapped ? Self.mappingName : "standard") else {
                throw EngineError.notPossible("the \(variant) run's orderflow.yaml names pick-list mapping '\(engine.config.outputs.pickList)'; see \(home.configFile.path)")
            }
            report = try engine.runSteps([engine.builtInStep(.export, mappings: try engine.loadMappings())])
        }
        let cycle = CycleBenchmark.milliseconds(ContinuousClock.now - started)
        let cpu = Self.cpuMilliseconds() - cpuBefore
        guard let step = report.step(BuiltInStep.export.rawValue) else {
            throw EngineError.notPossible("the \(variant) export reported no export step; see \(runFolder.path)")
        }
        guard step.warnings.isEmpty else {
            throw EngineError.notPossible("the \(variant) export warned: \(step.warnings.joined(separator: "; ")); see \(runFolder.path)")
        }
        let written = home.outbox.appendingPathComponent(OutboxFolder.pickLists, isDirectory: true)
        let rows = try Self.dataRows(in: written)
        if keepPickLists {
            try? fm.removeItem(at: keptPickLists(variant))
            try fm.copyItem(at: written, to: keptPickLists(variant))
        }
        return Run(variant: variant, stepMilliseconds: step.milliseconds, cycleMilliseconds: cycle, cpuMilliseconds: cpu, pickListRows: rows,
                   pickLists: step["pick lists"])
    }

    /// The business time of the setup cycle and of every export: the generated orders are dated before it.
    static let now = Timestamp(iso8601: "2026-12-01T08:00:00Z") ?? Timestamp(secondsSinceEpoch: 1_796_112_000)

    /// The process's CPU time so far, user and system, in milliseconds.
    static func cpuMilliseconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1000 + Double(t.tv_usec) / 1000 }
        return ms(usage.ru_utime) + ms(usage.ru_stime)
    }

    /// Data rows of the CSV files in `folder`: lines less one header each (no field of this workload holds a line break).
    static func dataRows(in folder: URL) throws -> Int {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }
        return try names.reduce(0) { sum, name in
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            return sum + max(0, bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } - 1)
        }
    }

    /// Whether the two folders hold the same files with the same bytes.
    static func sameFiles(_ a: URL, _ b: URL) throws -> Bool {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: a.path).sorted()
        guard names == (try fm.contentsOfDirectory(atPath: b.path).sorted()) else { return false }
        return try names.allSatisfy { try Data(contentsOf: a.appendingPathComponent($0)) == Data(contentsOf: b.appendingPathComponent($0)) }
    }
}
