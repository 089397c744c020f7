import Foundation
import Testing
import TestSupport

/// The engine refuses to forget its history, and no input file stays stuck, run as an operator would.
@Suite struct HomeSafetyCommandLineTests {
    func run(_ arguments: [String]) throws -> CommandLineTests.Run { try CommandLineTests().run(arguments) }

    @Test func aTruncatedDatabaseIsRefusedUntilNewDatabaseIsGiven() throws {
        let home = try TestHome()
        let path = home.root.path
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,50,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("A", sku: "SKU1"), Sample.line("BAD", sku: "SKU1", qty: 0)]))
        #expect(try run(["cycle", "--home", path, "--now", "2026-11-27T08:00:00Z"]).status == 0)
        #expect(try home.outbox("exceptions") == ["EX-000001.csv"])
        let database = home.root.appendingPathComponent("orderflow.sqlite").path
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        #expect(truncate(database, 0) == 0)

        for command in [["cycle"], ["run", "--once"], ["jobs", "run", "cycle"], ["hold", "A", "--reason", "x"], ["status"]] {
            let refused = try run(command + ["--home", path])
            #expect(refused.status != 0, "\(command)")
            #expect(refused.stderr.contains("orderflow.sqlite is empty (0 bytes; truncated?), but this home has history"), "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains("--new-database"))
        }
        try home.drop("orders", "o2.csv", Sample.orders([Sample.line("B", customer: "C2", sku: "SKU2")]))
        let allowed = try run(["cycle", "--new-database", "--home", path, "--now", "2026-11-27T09:00:00Z"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        // The new database's exception report continues the numbers already in the outbox.
        #expect(try home.outbox("exceptions") == ["EX-000001.csv", "EX-000002.csv"])
        #expect(try run(["status", "--home", path]).status == 0)
    }

    @Test func anUnreadableFileEndsInFailedWithItsReasonAndIsNotRetried() throws {
        let home = try TestHome()
        let file = try home.drop("orders", "locked.csv", Sample.orders([Sample.line("L", sku: "SKU1")]))
        #expect(chmod(file.path, 0) == 0)
        var arguments = [CommandLineTests.executable.path, "cycle", "--home", home.root.path, "--now", "2026-11-27T09:00:00Z"]
        if getuid() == 0 {
            // Root reads a mode-000 file anyway: run the engine as nobody, in a home nobody owns, on a file root owns.
            let owner = Process()
            owner.executableURL = URL(fileURLWithPath: "/bin/chown")
            owner.arguments = ["-R", "65534:65534", home.root.path]
            try owner.run()
            owner.waitUntilExit()
            #expect(chown(file.path, 0, 0) == 0)
            arguments = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + arguments
        }
        func cycle() throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            let err = Pipe()
            process.standardError = err
            process.standardOutput = Pipe()
            try process.run()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
        }
        let (status, stderr) = try cycle()
        #expect(status == 0, "\(stderr)")
        #expect(home.exists("failed/orders/locked.csv"))
        #expect(try home.read("failed/orders/locked.csv.reason.txt").contains("cannot open the file: Permission denied"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.home.processing.appendingPathComponent("orders").path).isEmpty)
        // Moved as it came: still closed to everyone.
        #expect(try FileManager.default.attributesOfItem(atPath: home.root.appendingPathComponent("failed/orders/locked.csv").path)[.posixPermissions] as? Int == 0)
        let (again, stderrAgain) = try cycle()
        #expect(again == 0 && !stderrAgain.contains("locked.csv"), "\(stderrAgain)")
    }
}
