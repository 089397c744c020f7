import Foundation
import GRDB
import Testing
import OrderEngine
import TestSupport

@Suite struct EngineConfigTests {
    @Test(arguments: [32 << 20, 0])
    func theCacheSizeComesFromTheConfigAndIsBackAfterAnImport(largeFile: Int) throws {
        let home = try TestHome()
        try Data("cache_mb: 96\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        let engine = try home.engine()
        func cacheKiB() throws -> Int { try engine.database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0 } }
        #expect(try cacheKiB() == -96 * 1024)
        // With largeFile 0 every file counts as large and imports through the bounded cache.
        let report = try engine.runSteps([ImportStep(mappings: engine.loadMappings(), largeFile: largeFile)])
        #expect(report.step("import")?["files"] == 1)
        #expect(try cacheKiB() == -96 * 1024)
    }

    @Test func aCacheSizeOutOfRangeIsRefusedWithTheSettingsName() throws {
        let home = try TestHome()
        try Data("cache_mb: 2\n".utf8).write(to: home.home.configFile)
        #expect { try home.engine() } throws: { "\($0)".contains("cache_mb 2: expected a size in MB from 8 to 65536") }
    }
}
