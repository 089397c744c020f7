import Foundation
import Testing
import OrderEngine
import TestSupport

/// A home without output mappings writes today's layouts byte for byte: the pick lists of two warehouses,
/// a purchase order as CSV and one as XML, the exception report and the back-order report of a scenario
/// with quotes, commas, a formula cell and accented text. The expected files were written by the engine
/// from before output mappings (`tools/outbox-scenario.sh` with a9fcb04).
@Suite struct StandardOutboxTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/outbox-standard")

    /// A home with the scenario's rules and files, dropped in the order the script drops them.
    static func scenario() throws -> TestHome {
        let home = try TestHome()
        try FileManager.default.removeItem(at: home.home.rulesFile)
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("rules.yaml"), to: home.home.rulesFile)
        for feed in ["customers", "products", "suppliers", "receipts", "orders"] {
            let folder = fixture.appendingPathComponent("inbox/\(feed)")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
                try home.copy(folder.appendingPathComponent(name), into: feed)
            }
        }
        return home
    }

    /// Every file under `folder`, by path relative to it (dot-files left out).
    static func files(in folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in walker where !url.lastPathComponent.hasPrefix(".") {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            found[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return found
    }

    @Test func aHomeWithoutOutputMappingsWritesTodaysLayoutsByteForByte() throws {
        let home = try Self.scenario()
        try home.cycle()
        let expected = try Self.files(in: Self.fixture.appendingPathComponent("expected"))
        let written = try Self.files(in: home.home.outbox)
        #expect(!expected.isEmpty)
        #expect(written.keys.sorted() == expected.keys.sorted())
        for (path, bytes) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(written[path] == bytes, "outbox/\(path) differs:\n\(String(decoding: written[path] ?? Data(), as: UTF8.self))")
        }
    }
}
