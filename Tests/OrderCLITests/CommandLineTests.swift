import Foundation
import Testing
import TestSupport

/// Runs the real `orderflow` executable, as a user or a scheduler would.
@Suite struct CommandLineTests {
    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        // The test bundle sits in the build folder beside the executable it depends on.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("orderflow").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("orderflow")
    }

    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func theSampleDropRunsThroughACycleAndOrderJSONTellsTheStory() throws {
        let home = try TestHome()
        let path = home.root.path
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1"), Sample.account("TIGHT", limit: "5.00")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1", price: "2.50")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,10,,"]))
        try home.drop("orders", "o.csv", Sample.orders([
            Sample.line("SO-1", sku: "SKU1", qty: 4, card: "", shipName: "Dock 7"),
            Sample.line("SO-2", customer: "TIGHT", sku: "SKU1", qty: 4),
        ]))
        let cycle = try run(["cycle", "--home", path, "--now", "2026-11-27T08:00:00Z"])
        #expect(cycle.status == 0, "\(cycle.stderr)")
        #expect(cycle.stdout.contains("cycle 1 at 2026-11-27T08:00:00Z"))
        #expect(cycle.stdout.contains("credit-check     checked 2, passed 1, held 1, released 0"))
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv"])

        let order = try run(["order", "SO-1", "--json", "--home", path])
        #expect(order.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(order.stdout.utf8)) as? [String: Any])
        #expect(json["order_ref"] as? String == "SO-1")
        let lines = try #require(json["lines"] as? [[String: Any]])
        #expect(lines.first?["stage"] as? String == "despatched")
        #expect(lines.first?["pick_list_ref"] as? String == "PL-000001")
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.map { $0["to"] as? String } == ["new", "picking", "despatched"])
        #expect(history.allSatisfy { $0["at"] as? String == "2026-11-27T08:00:00Z" })

        let held = try run(["orders", "--stage", "held-for-credit", "--json", "--home", path])
        let heldOrders = try #require(try JSONSerialization.jsonObject(with: Data(held.stdout.utf8)) as? [[String: Any]])
        #expect(heldOrders.map { $0["order_ref"] as? String } == ["SO-2"])

        let release = try run(["release", "SO-2", "--home", path, "--now", "2026-11-27T09:00:00Z"])
        #expect(release.status == 0)
        _ = try run(["cycle", "--home", path, "--now", "2026-11-27T10:00:00Z"])
        let status = try run(["status", "--json", "--home", path])
        let stages = try #require((try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["stages"] as? [[String: Any]])
        #expect(stages.map { $0["stage"] as? String } == ["despatched"])
        #expect(try run(["status", "--home", path]).stdout.contains("Last cycles"))

        let receipt = try run(["receipt", "R1", "--home", path])
        #expect(receipt.status == 0, "\(receipt.stderr)")
        #expect(receipt.stdout.contains("receipt R1  from receipts/r.csv"))
        #expect(receipt.stdout.contains("SKU1  SO-1   1     4    despatched"), "\(receipt.stdout)")
        let receiptJSON = try #require(try JSONSerialization.jsonObject(with: Data(run(["receipt", "R1", "--json", "--home", path]).stdout.utf8)) as? [String: Any])
        let funded = try #require((receiptJSON["lines"] as? [[String: Any]])?.first?["funded"] as? [[String: Any]])
        #expect(funded.map { $0["order_ref"] as? String } == ["SO-1", "SO-2"])
        let unknown = try run(["receipt", "R9", "--home", path])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no receipt 'R9' was imported"))
    }

    /// A file refused before its import (empty, too large) or as a duplicate gets its line in the cycle's output too.
    @Test func anEmptyAndADuplicateFileEachGetALine() throws {
        let home = try TestHome()
        try home.drop("orders", "empty.csv", "")
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        _ = try run(["cycle", "--home", home.root.path])
        try home.drop("customers", "again.csv", Sample.customers([Sample.account("C1")]))
        let second = try run(["cycle", "--home", home.root.path])
        let first = try String(contentsOf: home.root.appendingPathComponent("failed/orders/empty.csv.reason.txt"), encoding: .utf8)
        #expect(first.contains("the file is empty (0 bytes)"))
        #expect(second.stdout.contains("file customers/again.csv: 0 record(s), 0 rejected, duplicate: identical content to customers/c.csv"))
        try home.drop("orders", "empty2.csv", "")
        let third = try run(["cycle", "--home", home.root.path])
        #expect(third.stdout.contains("file orders/empty2.csv: 0 record(s), 0 rejected, failed: the file is empty (0 bytes); nothing to import"))
    }

    @Test func mistakesGetAClearMessageAndAFailingExitStatus() throws {
        let home = try TestHome()
        _ = try run(["cycle", "--home", home.root.path])
        let unknown = try run(["order", "NOPE", "--home", home.root.path])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no order 'NOPE'"))

        let badTime = try run(["cycle", "--home", home.root.path, "--now", "yesterday"])
        #expect(badTime.status != 0)
        #expect(badTime.stderr.contains("--now 'yesterday' is not an ISO 8601 time"))

        try Data("feed: orders\nfields:\n  order_ref: a\n  colour: b\n".utf8).write(to: home.home.mappings.appendingPathComponent("bad.yaml"))
        let broken = try run(["cycle", "--home", home.root.path])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("mappings/bad.yaml:4:3: unknown field 'colour' for feed orders"))
    }

    @Test func initCreatesAWorkingHomeAndNeverOverwrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-init-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try run(["init", "--home", dir.path])
        #expect(first.status == 0)
        #expect(first.stdout.contains("mappings/orders.yaml"))
        let second = try run(["init", "--home", dir.path])
        #expect(second.stdout.contains("nothing to create"))
    }
}

@Suite struct MappingCommandLineTests {
    func run(_ arguments: [String]) throws -> CommandLineTests.Run { try CommandLineTests().run(arguments) }

    @Test func checkReportsMappingMistakesAndWaitingFilesItCannotRead() throws {
        let home = try TestHome()
        #expect(try run(["check", "--home", home.root.path]).stdout == "ok: 8 mapping(s), 6 output mapping(s), 0 file(s) waiting\n")
        try home.drop("orders", "bad-header.csv", "order,date\nA,2026-11-26\n")
        try home.drop("stray", "x.csv", "a\n")
        let result = try run(["check", "--home", home.root.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("inbox/orders/bad-header.csv: the header row lacks 'order_ref' (mapped to order_ref at mappings/orders.yaml:12)"))
        #expect(result.stdout.contains("inbox/stray/x.csv: no mapping reads it (no mapping has inbox: stray); it stays in the inbox"))
        try Data("feed: orders\nfields: { order_ref: a }\n".utf8).write(to: home.home.mappings.appendingPathComponent("zz.yaml"))
        let broken = try run(["check", "--home", home.root.path])
        #expect(broken.stdout.contains("mappings/zz.yaml:2:9: feed orders needs a source for order_date, customer_ref, line_no, sku, quantity"))
    }

    @Test func mappingTestShowsRecordsAndRejectionsWithoutTouchingTheDatabase() throws {
        let home = try TestHome()
        let file = home.root.appendingPathComponent("try.csv")
        try Data(Sample.receipts(["R1,SKU1,5,MAIN,", "R2,SKU2,0,MAIN,"]).utf8).write(to: file)
        let result = try run(["mapping", "test", "receipts", file.path, "--home", home.root.path, "--json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["record_count"] as? Int == 1)
        let rejections = try #require(json["rejections"] as? [[String: Any]])
        #expect(rejections.first?["message"] as? String == "field quantity: found '0', expected a number greater than 0, e.g. 3 or 12.75")
        #expect(rejections.first?["line"] as? Int == 3)
        #expect(!FileManager.default.fileExists(atPath: home.root.appendingPathComponent("orderflow.sqlite").path))
        let table = try run(["mapping", "test", "receipts", file.path, "--home", home.root.path])
        #expect(table.stdout.contains("1 record(s) would import through mappings/receipts.yaml; showing 1"))
        #expect(table.stdout.contains("  line 3: field quantity: found '0', expected a number greater than 0, e.g. 3 or 12.75"))
    }

    /// A broken mapping given by path is named as given, with its line and column, and no usage text.
    @Test func mappingTestNamesABrokenMappingFileAsGiven() throws {
        let home = try TestHome()
        let mapping = home.root.appendingPathComponent("mine.yaml")
        try Data("feed: orders\nfields:\n  order_ref: { column: A, sequence: per_ordr }\n".utf8).write(to: mapping)
        let file = home.root.appendingPathComponent("o.csv")
        try Data("A\n1\n".utf8).write(to: file)
        let result = try run(["mapping", "test", mapping.path, file.path, "--home", home.root.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: \(mapping.path):3:"))
        #expect(!result.stderr.contains("Usage"))
        let missing = try run(["mapping", "test", "nosuch", file.path, "--home", home.root.path])
        #expect(missing.stderr.contains("cannot read the mapping"))
        #expect(!missing.stderr.contains("Usage"))
    }
}

extension CommandLineTests {
    /// `order REF` shows a weighed line in its unit and what the file wrote; JSON has exact numbers.
    @Test func anOrderOfDecimalQuantitiesShowsUnitsAndExactNumbers() throws {
        let home = try TestHome()
        let path = home.root.path
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.productHeader + ",stock_unit,quantity_decimals,units\n"
            + Sample.product("KG-1", price: "4.00") + ",KGM,2,\n" + Sample.product("LBL-1", price: "0.0425") + ",EA,0,CS=12\n")
        try home.drop("orders", "o.csv", Sample.orderHeader + ",unit\n"
            + "SO-1,2026-11-26,C1,1,KG-1,12.75,,,,,,,,,,,\n" + "SO-1,2026-11-26,C1,2,LBL-1,1,,,,,,,,,,,CS\n")
        #expect(try run(["cycle", "--home", path, "--now", "2026-11-27T08:00:00Z"]).status == 0)
        let table = try run(["order", "SO-1", "--home", path])
        #expect(table.stdout.contains("1     KG-1   12.75 KGM"), "\(table.stdout)")
        #expect(table.stdout.contains("2     LBL-1  12 (1 CS as written)  0.0425"), "\(table.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run(["order", "SO-1", "--json", "--home", path]).stdout.utf8)) as? [String: Any])
        let lines = try #require(json["lines"] as? [[String: Any]])
        #expect(lines.map { ($0["quantity"] as? NSNumber)?.stringValue } == ["12.75", "12"])
        #expect(lines.map { $0["stock_unit"] as? String } == ["KGM", "EA"])
        #expect(lines.map { $0["unit_price"] as? String } == ["4.00", "0.0425"])
    }
}
