import ArgumentParser
import Foundation
import OrderEngine
import OrderModel
import OrderStore

/// Options every command takes: which home, and what time the engine's clock reads.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The working home (inbox/, outbox/, mappings/, orderflow.yaml).", valueName: "dir"))
    var home: String = "."

    @Option(name: .long, help: ArgumentHelp("The engine's clock for this run, ISO 8601 (e.g. 2026-11-27T09:00:00Z); default: system time.", valueName: "time"))
    var now: String?

    @Flag(name: .long, help: ArgumentHelp("Allow a new, empty database in a home that has history (archive/, failed/, numbered outbox files); without it the engine refuses to start rather than forget what it knew."))
    var newDatabase = false

    func validate() throws {
        if let now, Timestamp(iso8601: now) == nil {
            throw ValidationError("--now '\(now)' is not an ISO 8601 time; write it like 2026-11-27 or 2026-11-27T09:00:00Z")
        }
    }

    var clock: any EngineClock {
        if let now, let t = Timestamp(iso8601: now) { return FixedClock(t) }
        return SystemClock()
    }

    /// The home's engine. A person's command waits up to two minutes for the running engine's write (an
    /// import of a large file is one transaction), saying so after a second; the daemon waits the default.
    func engine(forPerson: Bool = true) throws -> Engine {
        try Engine(home: Home(home), clock: clock, newDatabase: newDatabase,
                   busyWait: forPerson ? Self.operatorWait : OrderDatabase.BusyWait())
    }

    static let operatorWait = OrderDatabase.BusyWait(seconds: 120) {
        FileHandle.standardError.write(Data("waiting for the running engine to finish its write (an import or a cycle in hand)...\n".utf8))
    }

    /// The engine for a command that only reads: a folder with no home or no database is an error, never a new database.
    func existingEngine() throws -> Engine {
        try Home(home).requireDatabase()
        return try engine()
    }

    /// The engine for a read-only command that reports on health: a broken orderflow.yaml is said on
    /// standard error, not fatal; a folder with no home or no database is an error, never a new database.
    func engineForReading() throws -> Engine {
        try Home(home).requireDatabase()
        let (engine, problem) = try Engine.openForReading(home: Home(home), clock: clock)
        if let problem { FileHandle.standardError.write(Data("warning: \(problem); showing what the database holds\n".utf8)) }
        return engine
    }
}

/// `--json` for listing commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

enum Output {
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// A plain text table with a header row; columns padded to their widest cell.
    static func table(_ header: [String], _ rows: [[String]], indent: String = "") {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            indent + cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(header))
        for row in rows { print(line(row)) }
    }
}
