import Foundation
import Logging
import OrderDaemon
import OrderEngine
import OrderModel
import ServiceLifecycle
import Testing
import TestSupport

/// The long-running engine as a service, in-process: a service group runs it, the test drops files and
/// shuts the group down, as SIGTERM would.
@Suite struct EngineServiceTests {
    func fastHome() throws -> TestHome {
        let home = try TestHome()
        try Data("inbox:\n  poll_interval: 100ms\n  settle: 0s\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,SKU1,100,,"]))
        return home
    }

    func group(_ service: EngineService) -> ServiceGroup {
        ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
    }

    /// Waits (on the real clock: the service polls files on it) until `condition` holds, for at most `seconds`.
    /// The limit is generous because the whole suite runs at once on two cores: the service group starts
    /// on the concurrency pool, which other suites' synchronous tests can hold for tens of seconds.
    func eventually(_ seconds: Double = 120, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test func aRunningServicePicksUpAFileDroppedWhileItRunsAndStopsOnAGracefulShutdown() async throws {
        let home = try fastHome()
        let group = group(EngineService(engine: try home.engine()))
        let running = Task { try await group.run() }
        try home.drop("orders", "late.csv", Sample.orders([Sample.line("LATE", sku: "SKU1")]))
        let despatched = try await eventually { (try? home.stages("LATE")) == [1: "despatched"] }
        #expect(despatched)
        await group.triggerGracefulShutdown()
        try await running.value
        // The lock is released with the service: another engine may take the home at once.
        #expect(EngineLock.holder(of: home.home) == nil)
        #expect(home.exists("archive/orders/late.csv"))
    }

    @Test func onceRunsWhatIsDueAndReturnsWithoutAShutdown() async throws {
        let home = try fastHome()
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("ONCE", sku: "SKU1")]))
        let service = EngineService(engine: try home.engine(), options: EngineService.Options(once: true))
        try await group(service).run()
        #expect(try home.stages("ONCE") == [1: "despatched"])
    }

    @Test func aServiceOnAHomeAnotherEngineHoldsFailsWithTheHolderNamed() async throws {
        let home = try fastHome()
        let lock = try EngineLock(home: home.home)
        defer { withExtendedLifetime(lock) {} }
        await #expect {
            try await group(EngineService(engine: try home.engine(), options: EngineService.Options(once: true))).run()
        } throws: { error in
            "\(error)".contains("another orderflow engine (pid \(getpid())) is running on")
        }
    }
}
