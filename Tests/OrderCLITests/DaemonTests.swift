import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The real daemon in real processes: signals, locks, takeover. Waits are bounded polls for an
/// observable event (a log line, a file), never fixed sleeps standing in for time rules.
@Suite(.serialized) struct DaemonTests {
    final class Daemon {
        let process = Process()
        let log: URL
        init(home: TestHome, arguments: [String] = []) throws {
            log = home.root.appendingPathComponent("daemon-\(UUID().uuidString.prefix(6)).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = CommandLineTests.executable
            process.arguments = ["run", "--home", home.root.path] + arguments
            let handle = try FileHandle(forWritingTo: log)
            process.standardError = handle
            process.standardOutput = handle
            try process.run()
        }
        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Polls until `condition` holds, at most `seconds`.
        func waitFor(_ what: String, seconds: Double = 30, _ condition: () -> Bool) throws {
            let deadline = Date().addingTimeInterval(seconds)
            while !condition() {
                guard Date() < deadline else { throw DaemonError(message: "timed out waiting for \(what); log:\n\(output)") }
                usleep(50_000)
            }
        }
        func waitForLog(_ text: String, seconds: Double = 30) throws { try waitFor("'\(text)'", seconds: seconds) { output.contains(text) } }
        func exitStatus(within seconds: Double) throws -> Int32 {
            try waitFor("exit", seconds: seconds) { !process.isRunning }
            return process.terminationStatus
        }
        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    struct DaemonError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    func fastHome() throws -> TestHome {
        let home = try TestHome()
        try Data("inbox:\n  poll_interval: 200ms\n  settle: 500ms\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,1000000,,"]))
        return home
    }

    @Test func aSecondEngineOnTheSameHomeRefusesAndAStandbyTakesOverWhenTheFirstDies() throws {
        let home = try fastHome()
        let first = try Daemon(home: home)
        try first.waitForLog("engine started")
        let refused = try CommandLineTests().run(["cycle", "--home", home.root.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("another orderflow engine (pid \(first.process.processIdentifier)) is running on"))

        let standby = try Daemon(home: home, arguments: ["--standby"])
        try standby.waitForLog("standby: another engine runs on this home; waiting to take over")
        kill(first.process.processIdentifier, SIGKILL)
        try standby.waitForLog("standby: took over the home")
        try home.drop("orders", "after.csv", Sample.orders([Sample.line("AFTER", sku: "SKU1")]))
        try standby.waitFor("the order to be despatched") { (try? home.stages("AFTER")) == [1: "despatched"] }
        kill(standby.process.processIdentifier, SIGTERM)
        #expect(try standby.exitStatus(within: 20) == 0)
        #expect(standby.output.contains("engine stopped"))
    }

    @Test func sigtermInTheMiddleOfAnImportStopsCleanlyAndNothingIsLost() throws {
        let home = try fastHome()
        let lines = (1...40_000).map { Sample.line("BIG\($0)", sku: "SKU1") }
        try home.drop("orders", "big.csv", Sample.orders(lines))
        let daemon = try Daemon(home: home)
        try daemon.waitForLog("file.name=orders/big.csv")
        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(try daemon.exitStatus(within: 30) == 0)
        #expect(daemon.output.contains("stopping: finishing the step in hand"))
        // The file is either imported and archived, or still claimed in processing/: never lost, never half-imported.
        let archived = home.exists("archive/orders/big.csv")
        let processing = (try? FileManager.default.contentsOfDirectory(atPath: home.home.processing.appendingPathComponent("orders").path)) ?? []
        #expect(archived || processing.count == 1)
        let again = try CommandLineTests().run(["cycle", "--home", home.root.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(home.exists("archive/orders/big.csv"))
        let orders = try CommandLineTests().run(["orders", "--json", "--home", home.root.path])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(orders.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 40_000)
    }
}

@Suite struct LogFormatTests {
    @Test func jsonLogsAreOneObjectPerLineWithDottedKeys() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        let result = try CommandLineTests().run(["run", "--once", "--log-format", "json", "--home", home.root.path,
                                                 "--now", "2026-11-27T09:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.allSatisfy { $0 != nil })
        let imported = try #require(lines.compactMap { $0 }.first { $0["message"] as? String == "file imported" })
        #expect(imported["file.name"] as? String == "customers/c.csv")
        // Counts are JSON numbers, text stays text.
        #expect(imported["file.records"] as? Int == 1)
        #expect(imported["time"] as? String == "2026-11-27T09:00:00Z")
        #expect(lines.compactMap { $0 }.contains { $0["message"] as? String == "job run" && $0["import.files"] as? Int == 1 })
    }

    @Test func logLevelLeavesOutTheLessImportantLines() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        let result = try CommandLineTests().run(["run", "--once", "--log-level", "notice", "--home", home.root.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("engine started"))
        #expect(!result.stderr.contains("file imported"))
        let wrong = try CommandLineTests().run(["run", "--once", "--log-level", "loud", "--home", home.root.path])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("--log-level must be one of"))
    }
}

@Suite struct PolishTests {
    let cli = CommandLineTests()

    @Test func aBrokenRulesFileIsAOneLineError() throws {
        let home = try TestHome()
        try Data("pipeline:\n  - import\n  - name: broken\n".utf8).write(to: home.home.rulesFile)
        let result = try cli.run(["cycle", "--home", home.root.path])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("Error: rules: rules.yaml:2:5: "))
        #expect(result.stderr.hasSuffix("; fix rules.yaml, then run again; nothing was changed\n"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func ordersAndSearchPrintTheSameDateAndMoney() throws {
        let home = try TestHome()
        let path = home.root.path
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1", price: "2.50")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("SO-1", sku: "SKU1", qty: 4)]))
        #expect(try cli.run(["cycle", "--home", path, "--now", "2026-11-27T09:00:00Z"]).status == 0)
        let orders = try cli.run(["orders", "--json", "--home", path])
        let search = try cli.run(["search", "order.total > 0", "--stage", "back-order", "--json", "--home", path])
        let order = try #require((try JSONSerialization.jsonObject(with: Data(orders.stdout.utf8)) as? [[String: Any]])?.first)
        let match = try #require((try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]])?.first, "\(search.stdout)\(search.stderr)")
        #expect(match["order_date"] as? String == order["order_date"] as? String)
        #expect(match["total"] as? String == order["value"] as? String)
        #expect(match["total"] as? String == "10.00")
    }

    @Test func versionIsPrinted() throws {
        let result = try cli.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("orderflow "))
    }

    @Test func aMistypedCommandGetsADidYouMean() throws {
        let result = try cli.run(["stauts"])
        #expect(result.status != 0)
        #expect(result.stderr == "Error: unknown command 'stauts'; did you mean 'status'?\n")
        let nested = try cli.run(["jobs", "hsitory"])
        #expect(nested.stderr == "Error: unknown command 'hsitory'; did you mean 'history'?\n")
        let far = try cli.run(["frobnicate"])
        #expect(far.stderr.hasPrefix("Error: unknown command 'frobnicate'; the commands are init, cycle, status"))
    }
}
