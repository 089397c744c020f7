import Foundation
import Logging
@testable import OrderConsole
import OrderEngine
import OrderStore
import Testing
import TestSupport

/// The stage totals are read again in the background after the history moves, so views find them ready.
struct StageTotalsWarmerTests {
    /// Polls until `condition` holds, at most five seconds.
    func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func aCycleThatMovesLinesHasItsTotalsReadBeforeAnyoneViewsThem() async throws {
        let home = try HealthPageTests.home()
        let console = try HealthPageTests.console(home)
        let database = console.engine.database
        let warmer = StageTotalsWarmer(cache: console.stageTotalsCache, database: database, interval: .milliseconds(10),
                                       logger: Logger(label: "test"))
        let running = Task { try await warmer.run() }
        defer { running.cancel() }

        let before = try database.historyMark()
        #expect(try await eventually { console.stageTotalsCache.totals(keptAt: before) != nil })

        try home.drop("orders", "more.csv", Sample.orders([Sample.line("C-1", sku: "S1", qty: 3)]))
        try home.cycle(at: "2026-11-27T10:00:00Z")
        let after = try database.historyMark()
        #expect(after != before)
        #expect(try await eventually { console.stageTotalsCache.totals(keptAt: after) != nil })
        // What was kept is what a fresh read says, the new order's line counted.
        let kept = try #require(console.stageTotalsCache.totals(keptAt: after))
        #expect(Set(kept) == Set(try database.stageTotals()))
        #expect(kept.map(\.lines).reduce(0, +) == 3)
    }

    @Test func cancellingTheWarmerEndsItWithoutAnError() async throws {
        let home = try HealthPageTests.home()
        let console = try HealthPageTests.console(home)
        let warmer = StageTotalsWarmer(cache: console.stageTotalsCache, database: console.engine.database,
                                       interval: .seconds(60), logger: Logger(label: "test"))
        let running = Task { try await warmer.run() }
        try await Task.sleep(for: .milliseconds(50))
        running.cancel()
        try await running.value
    }
}
