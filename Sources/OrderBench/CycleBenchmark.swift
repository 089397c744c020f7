import Foundation
import OrderEngine
import OrderModel
import OrderStore
#if canImport(Glibc)
import Glibc
#endif

/// A whole-cycle benchmark on generated, realistic feeds: a benchmark, not a test.
///
/// Customers with a mix of terms and limits (some on stop, some tight), products with some
/// drop-ship and skewed popularity, orders of 1 to 10 lines, receipts covering part of the demand,
/// a share of credit holds and of vetting matches. It times each phase of one cold cycle, compares
/// the cold cycle and the import with the sqlite3 shell's `.import` of the same rows, and times the
/// cycle that follows one small receipt when the back-order book is large: in the benchmark's own
/// engine, and as a whole `orderflow cycle` process, since a scheduler pays for the process too.
public struct CycleBenchmark: Sendable {
    public struct Phase: Sendable, Codable {
        public var name: String
        public var milliseconds: Double
        public var rowsPerSecond: Double
        /// The process's peak resident memory when the step ended (steps only), in MB.
        public var peakResidentMB: Int = 0
    }

    public struct Result: Sendable, Codable {
        public var orders: Int
        public var lines: Int
        public var customers: Int
        public var products: Int
        public var phases: [Phase]
        /// Each step of the cold cycle, in pipeline order: where a phase's time goes.
        public var steps: [Phase]
        public var cycleMilliseconds: Double
        /// The sqlite3 shell that loaded the same rows; nil when none was found (then there are no ratios).
        public var sqliteShell: String?
        public var sqliteImportMilliseconds: Double?
        /// The cold cycle against sqlite3's `.import` of the same rows: the issue's target is stated in it.
        public var cycleRatio: Double?
        public var importRatio: Double?
        public var searchMilliseconds: Double
        public var backlogLines: Int
        public var receiptCycleMilliseconds: Double
        /// The receipt cycle's steps.
        public var receiptSteps: [Phase]
        /// A second receipt for the same skus, its cycle run as a fresh `orderflow cycle` process: wall clock
        /// from start to exit (startup, opening the home and database, the cycle, exit). Nil without an executable.
        public var processReceiptCycleMilliseconds: Double?
        /// Lines in back order when that process started.
        public var processBacklogLines: Int?
        /// That process's steps, as it reported them: the rest of its wall clock is startup, opening and exit.
        public var processReceiptSteps: [Phase]?
        /// The cycle after the cold one, with no new files: held orders of customers whose exposure changed are re-checked.
        public var followUpCycleMilliseconds: Double
        public var peakResidentMB: Double
        public var counts: [String: [String: Int]]
    }

    public let folder: URL
    public let lines: Int
    public let seed: UInt64

    /// Keep the scratch home afterwards, to look at it; by default it is removed once measured.
    public let keep: Bool

    /// The `orderflow` executable to time a whole `orderflow cycle` process with; nil skips that measure.
    public let executable: URL?

    /// The home's page cache (`cache_mb`), to measure what it buys; nil keeps the default.
    public let cacheMB: Int?

    public init(folder: URL, lines: Int, seed: UInt64 = 1, keep: Bool = false, executable: URL? = nil, cacheMB: Int? = nil) {
        self.cacheMB = cacheMB
        self.folder = folder
        self.lines = lines
        self.seed = seed
        self.keep = keep
        self.executable = executable
    }

    var customers: Int { max(10, min(10_000, lines / 30)) }
    var products: Int { max(20, min(20_000, lines / 15)) }

    public func run() throws -> Result {
        let home = Home(folder.path)
        try? FileManager.default.removeItem(at: folder)
        try home.initialize()
        if let cacheMB {
            let config = try String(contentsOfFile: home.configFile.path, encoding: .utf8)
            try config.replacingOccurrences(of: "cache_mb: \(OrderDatabase.defaultCacheMB)", with: "cache_mb: \(cacheMB)")
                .write(toFile: home.configFile.path, atomically: true, encoding: .utf8)
        }
        var random = SeededGenerator(seed: seed)
        let orderCount = try generate(home, random: &random)
        // The benchmark's engine is closed before the process runs, as a scheduled `orderflow cycle` finds the database.
        var result = try runInProcess(home, orders: orderCount)
        if let executable {
            let (milliseconds, steps) = try processCycle(executable, home: home, now: "2026-12-01T09:30:00Z")
            result.processReceiptCycleMilliseconds = milliseconds
            result.processReceiptSteps = steps
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        result.peakResidentMB = Double(usage.ru_maxrss) / 1024
        // Removed after measuring, not before: on ext4 without a journal, files created within minutes of a
        // mass deletion take far longer (the kernel skips recently freed inodes), which would be charged to export.
        if !keep { try? FileManager.default.removeItem(at: folder) }
        return result
    }

    /// The cold, follow-up and one-receipt cycles in one engine, then a second receipt for the same skus
    /// left in the inbox for a process to cycle; the engine (and its database) is closed on return.
    func runInProcess(_ home: Home, orders orderCount: Int) throws -> Result {
        // One engine throughout, as a running engine meets the later cycles: its connection and page cache stay warm.
        let clock = ManualClock(Timestamp(iso8601: "2026-12-01T08:00:00Z")!)
        try Self.settle(home)
        let engine = try Engine(home: home, clock: clock)

        let started = ContinuousClock.now
        let report = try engine.runCycle()
        let cycle = Self.milliseconds(ContinuousClock.now - started)
        // A benchmark of a cycle that lost work would measure nothing: every line imported, none left unrouted.
        let (imported, unrouted) = (try engine.database.importedLineCount(), try engine.database.lineCount(in: .new))
        guard imported == lines, unrouted == 0 else {
            throw EngineError.notPossible("the cold cycle imported \(imported) of \(lines) lines and left \(unrouted) in new (\(report.counts)); see \(folder.path)")
        }
        let phases: [(String, [String])] = [
            ("import", ["import"]), ("rules", ["credit-check", "unknown-products", "proforma-vetting"]),
            ("allocation", ["drop-ship", "allocate"]), ("export", ["export"]),
        ]
        let phaseResults = phases.map { name, steps in
            let ms = report.steps.filter { steps.contains($0.step) }.map(\.milliseconds).reduce(0, +)
            return Phase(name: name, milliseconds: ms, rowsPerSecond: Double(lines) / max(ms / 1000, 0.000_001))
        }
        let stepResults = report.steps.map {
            Phase(name: $0.step, milliseconds: $0.milliseconds, rowsPerSecond: Double(lines) / max($0.milliseconds / 1000, 0.000_001),
                  peakResidentMB: $0.peakResidentMB)
        }
        let search = report.steps.first { $0.step == "proforma-vetting" }?.milliseconds ?? 0
        let shell = Self.sqliteShell()
        let sqlite = try shell.flatMap { try sqliteImport(home, shell: $0) }
        let importMS = phaseResults[0].milliseconds

        // The cold cycle's despatches changed most customers' exposure: the next cycle re-checks their held
        // orders, as a running engine would a few seconds later. Timed on its own, before the receipt.
        let followUpStarted = ContinuousClock.now
        clock.set(Timestamp(iso8601: "2026-12-01T08:30:00Z")!)
        _ = try engine.runCycle()
        let followUp = Self.milliseconds(ContinuousClock.now - followUpStarted)

        // A large back-order book, then one receipt for 10 skus: the cycle should cost what changed.
        let backlog = try dropReceipt(engine, named: "late.csv", ref: "BENCH-R2")
        clock.set(Timestamp(iso8601: "2026-12-01T09:00:00Z")!)
        let second = ContinuousClock.now
        let receiptReport = try engine.runCycle()
        let receiptCycle = Self.milliseconds(ContinuousClock.now - second)

        // The same again for a process to cycle: the skus first in order still wait for most of their back orders.
        var processBacklog: Int?
        if executable != nil { processBacklog = try dropReceipt(engine, named: "late-2.csv", ref: "BENCH-R3") }
        return Result(orders: orderCount, lines: lines, customers: customers, products: products, phases: phaseResults, steps: stepResults,
                      cycleMilliseconds: cycle, sqliteShell: shell?.path, sqliteImportMilliseconds: sqlite,
                      cycleRatio: sqlite.map { cycle / max($0, 0.001) }, importRatio: sqlite.map { importMS / max($0, 0.001) },
                      searchMilliseconds: search, backlogLines: backlog, receiptCycleMilliseconds: receiptCycle,
                      receiptSteps: receiptReport.steps.map { Phase(name: $0.step, milliseconds: $0.milliseconds, rowsPerSecond: 0) },
                      processReceiptCycleMilliseconds: nil, processBacklogLines: processBacklog, processReceiptSteps: nil,
                      followUpCycleMilliseconds: followUp, peakResidentMB: 0, counts: report.counts)
    }

    /// Writes a receipt of 5 units for each of the first 10 skus (in sku order) with lines in back order,
    /// settled; returns the lines in back order before it.
    func dropReceipt(_ engine: Engine, named name: String, ref: String) throws -> Int {
        let (backlog, skus) = try engine.database.backOrderBacklog(skuLimit: 10)
        let receipt = "receipt_ref,sku,quantity,warehouse,received_at\n" + skus.map { "\(ref),\($0),5,," }.joined(separator: "\n") + "\n"
        try Data(receipt.utf8).write(to: engine.home.inbox.appendingPathComponent("receipts/\(name)"))
        try Self.settle(engine.home)
        return backlog
    }

    /// Runs `orderflow cycle --home <home> --now <now> --json` as a fresh process and returns its wall clock,
    /// start to exit, and the steps it reported. Its standard error is the benchmark's.
    func processCycle(_ executable: URL, home: Home, now: String) throws -> (milliseconds: Double, steps: [Phase]) {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["cycle", "--home", home.root.path, "--now", now, "--json"]
        let output = Pipe()
        process.standardOutput = output
        let started = ContinuousClock.now
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = Self.milliseconds(ContinuousClock.now - started)
        let command = "\(executable.path) cycle --home \(home.root.path)"
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw EngineError.notPossible("'\(command)' ended with status \(process.terminationStatus) (its message is above); see \(folder.path)")
        }
        struct Printed: Decodable { var steps: [StepReport] }
        guard let report = try? JSONDecoder().decode(Printed.self, from: printed) else {
            throw EngineError.notPossible("'\(command) --json' printed no cycle report; found: \(String(decoding: printed.prefix(200), as: UTF8.self))")
        }
        return (elapsed, report.steps.map { Phase(name: $0.step, milliseconds: $0.milliseconds, rowsPerSecond: 0) })
    }

    /// Dates every inbox file well before the clock, so it is settled.
    static func settle(_ home: Home) throws {
        let fm = FileManager.default
        for folder in try fm.contentsOfDirectory(atPath: home.inbox.path) {
            let dir = home.inbox.appendingPathComponent(folder)
            for name in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] {
                try fm.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: dir.appendingPathComponent(name).path)
            }
        }
    }

    /// Writes the feeds; returns the number of orders.
    func generate(_ home: Home, random: inout SeededGenerator) throws -> Int {
        var text = "customer_ref,name,terms,credit_limit,balance,on_stop,email,address1,address2,city,postcode,country\n"
        for i in 0..<customers {
            let roll = Int.random(in: 0..<100, using: &random)
            let terms = roll < 80 ? "ACCOUNT" : roll < 90 ? "CARD" : "PROFORMA"
            let limit = roll % 25 == 0 ? "200.00" : "1000000.00"
            text += "C\(i),Customer \(i),\(terms),\(limit),0,\(roll == 99 ? "Y" : "N"),c\(i)@example.com,\(i) High Street,,Leeds,LS1 1AA,GB\n"
        }
        try Data(text.utf8).write(to: home.inbox.appendingPathComponent("customers/customers.csv"))
        text = "supplier_ref,name,email,po_format\n" + (0..<20).map { "S\($0),Supplier \($0),s\($0)@example.com,\($0 % 2 == 0 ? "csv" : "xml")" }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: home.inbox.appendingPathComponent("suppliers/suppliers.csv"))
        text = "sku,description,category,unit_price,drop_ship,supplier_ref,supplier_cost,warehouse,bin_location\n"
        var receipts = "receipt_ref,sku,quantity,warehouse,received_at\n"
        for i in 0..<products {
            let dropShip = i % 20 == 7
            let category = i % 500 == 3 ? "Plasma TV" : "Category \(i % 40)"
            text += "P\(i),Product \(i),\(category),\(1 + i % 200).99,\(dropShip ? "Y" : "N"),\(dropShip ? "S\(i % 20)" : ""),\(dropShip ? "5.00" : ""),\(i % 3 == 0 ? "NORTH" : "MAIN"),B-\(i % 900)\n"
            if !dropShip && i % 10 < 7 { receipts += "R1,P\(i),\(Int.random(in: 5...60, using: &random)),,\n" }
        }
        try Data(text.utf8).write(to: home.inbox.appendingPathComponent("products/products.csv"))
        try Data(receipts.utf8).write(to: home.inbox.appendingPathComponent("receipts/receipts.csv"))

        var out: [UInt8] = []
        out.reserveCapacity(lines * 120)
        out += Array("order_ref,order_date,customer_ref,line_no,sku,quantity,unit_price,payment_method,card_number,card_expiry,ship_name,ship_address1,ship_address2,ship_city,ship_postcode,ship_country\n".utf8)
        var written = 0, order = 0
        while written < lines {
            order += 1
            let customer = Int.random(in: 0..<customers, using: &random)
            let count = min(lines - written, 1 + Int(Double.random(in: 0..<1, using: &random) * Double.random(in: 0..<1, using: &random) * 10))
            let day = 1 + order * 28 / max(1, lines / 3)
            for line in 1...count {
                // Skewed popularity: a few skus are ordered far more often than the rest.
                let u = Double.random(in: 0.000_001..<1, using: &random)
                let sku = min(products - 1, Int(Double(products) * u * u * u))
                let card = customer % 10 >= 8 ? "4111111111111111" : ""
                out += Array("SO\(order),2026-11-\(String(format: "%02d", min(28, day))),C\(customer),\(line),P\(sku),\(1 + Int.random(in: 0..<4, using: &random)),,,\(card),\(card.isEmpty ? "" : "12/28"),,,,,,\n".utf8)
            }
            written += count
        }
        try Data(out).write(to: home.inbox.appendingPathComponent("orders/orders.csv"))
        return order
    }

    /// The sqlite3 shell's `.import` of the same CSV rows (every file the cold cycle imported: customers,
    /// products, suppliers, receipts and orders, each into a plain table of its own), in one sqlite3
    /// process, timed; nil when the cycle archived no CSV file.
    func sqliteImport(_ home: Home, shell: URL) throws -> Double? {
        let fm = FileManager.default
        var imports: [String] = []
        for feed in ["customers", "products", "suppliers", "receipts", "orders"] {
            let archived = home.archive.appendingPathComponent(feed)
            for name in ((try? fm.contentsOfDirectory(atPath: archived.path)) ?? []).sorted() where name.hasSuffix(".csv") {
                imports.append(".import \(archived.appendingPathComponent(name).path) \(feed)_\(imports.count)")
            }
        }
        guard !imports.isEmpty else { return nil }
        let database = folder.appendingPathComponent("sqlite-import.db").path
        try? fm.removeItem(atPath: database)
        let process = Process()
        process.executableURL = shell
        process.arguments = [database, "-cmd", "PRAGMA journal_mode=WAL", "-cmd", ".mode csv"] + imports
        process.standardOutput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        return Self.milliseconds(ContinuousClock.now - started)
    }

    /// The sqlite3 shell on the PATH; nil when there is none (CI does not install it), and then no ratios.
    static func sqliteShell() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/sqlite3" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }.map { URL(fileURLWithPath: $0) }
    }

    static func milliseconds(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
}
