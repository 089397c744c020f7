import Foundation
import Testing
import OrderEngine
import OrderExport
import TestSupport

/// Issue 13 §3: private files by default, a configurable outbox mode, no writing through a linked outbox folder.
@Suite(.serialized) struct FilePrivacyCycleTests {
    func mode(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions]) as? Int) ?? -1
    }

    func seed(_ home: TestHome) throws {
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,5,,"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "SKU1")]))
        try home.drop("orders", "bad.csv", "nonsense\n")
    }

    @Test func whatTheEngineKeepsIsPrivateWhateverTheUmask() throws {
        let home = try TestHome()
        try seed(home)
        // Dropped world-readable, as an SFTP server would.
        for url in home.allFiles() where url.path.contains("/inbox/") { chmod(url.path, 0o644) }
        let old = umask(0o022)
        defer { umask(old) }
        try home.cycle()
        #expect(mode(home.root.appendingPathComponent("orderflow.sqlite")) == 0o600)
        #expect(mode(home.home.archive) == 0o700 && mode(home.home.failed) == 0o700)
        #expect(mode(home.root.appendingPathComponent("archive/orders/o.csv")) == 0o600)
        #expect(mode(home.root.appendingPathComponent("failed/orders/bad.csv")) == 0o600)
        #expect(mode(home.root.appendingPathComponent("failed/orders/bad.csv.reason.txt")) == 0o600)
        // The outbox default: private too.
        #expect(mode(home.root.appendingPathComponent("outbox/picklists/PL-000001-MAIN.csv")) == 0o600)
        #expect(mode(home.root.appendingPathComponent("outbox/picklists")) == 0o700)
    }

    @Test func theOutboxModeIsConfigurableForACollector() throws {
        let home = try TestHome()
        try Data("outbox_mode: \"0640\"\n".utf8).write(to: home.home.configFile)
        try seed(home)
        try home.cycle()
        #expect(mode(home.root.appendingPathComponent("outbox/picklists/PL-000001-MAIN.csv")) == 0o640)
        #expect(mode(home.root.appendingPathComponent("outbox/picklists")) == 0o750)
        #expect(mode(home.home.outbox) == 0o750)
        #expect(mode(home.root.appendingPathComponent("archive/orders/o.csv")) == 0o600)
    }

    @Test(arguments: ["0777", "0400", "640x", "07640", "0755"])
    func anUnsafeOrMalformedOutboxModeIsRefused(text: String) throws {
        let home = try TestHome()
        try Data("outbox_mode: \"\(text)\"\n".utf8).write(to: home.home.configFile)
        #expect { try home.engine() } throws: { "\($0)".contains("outbox_mode '\(text)'") }
    }

    @Test func aSymlinkedOutboxFolderIsRefusedAndTheDocumentStaysPending() throws {
        let home = try TestHome()
        let elsewhere = home.root.appendingPathComponent("elsewhere", isDirectory: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let picklists = home.home.outbox.appendingPathComponent("picklists")
        try FileManager.default.removeItem(at: picklists)
        try FileManager.default.createSymbolicLink(at: picklists, withDestinationURL: elsewhere)
        try seed(home)
        let report = try home.cycle()
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        #expect(report.step("export")?.warnings.contains { $0.contains("symbolic link") } == true)
        #expect(try OrderQueries(engine: home.engine()).status().pendingOutputs >= 1)

        // Made a real folder again, the document is written on the next cycle.
        try FileManager.default.removeItem(at: picklists)
        try home.cycle(at: "2026-11-27T10:00:00Z")
        #expect(try home.outbox("picklists") == ["PL-000001-MAIN.csv"])
    }

    @Test func aSymlinkedOutboxIsRefused() throws {
        let home = try TestHome()
        let elsewhere = home.root.appendingPathComponent("elsewhere", isDirectory: true)
        try FileManager.default.moveItem(at: home.home.outbox, to: elsewhere)
        try FileManager.default.createSymbolicLink(at: home.home.outbox, withDestinationURL: elsewhere)
        try seed(home)
        try home.cycle()
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.appendingPathComponent("picklists").path).isEmpty)
        #expect(try OrderQueries(engine: home.engine()).status().pendingOutputs >= 1)
    }
}
