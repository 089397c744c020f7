import ArgumentParser
import Foundation
import Logging
import OrderEngine
import OrderDaemon
import OrderConsole
import OrderModel
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the engine: poll the inbox and run each job when it is due, until SIGTERM or SIGINT.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Run what is due now (with the missed-run catch-up of a start) and exit.") var once = false
    @Flag(help: "If another engine runs on this home, wait and take over when it stops.") var standby = false
    @Option(help: "Log lines as text or json (one object per line) on standard error.") var logFormat = "text"
    @Option(help: "The least important level logged: trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(help: ArgumentHelp("Serve the web console on this address (127.0.0.1:8080; any address but loopback needs a console user).",
                               valueName: "host:port")) var http: String?
    @Flag(help: "Require a login on the console even on loopback.") var requireLogin = false

    func run() async throws {
        guard let format = LineLogHandler.Format(rawValue: logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; found '\(logLevel)'")
        }
        let clock = global.clock
        let logger = Logger(label: "orderflow") { _ in LineLogHandler(format: format, clock: clock, logLevel: level) }
        var engine = try global.engine(forPerson: false)
        engine.logger = logger
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var mailbox: EngineMailbox? = nil
        if let http, !once {
            let box = EngineMailbox()
            mailbox = box
            let console = try ConsoleServing.console(home: engine.home, clock: clock, user: engine.user, address: http,
                                                     requireLogin: requireLogin, mailbox: box, logger: logger)
            services.append(.init(service: console.makeApplication(logger: logger, onRunning: { port in
                logger.notice("console serving", metadata: ["console.url": "http://\(console.options.address.host):\(port)/"])
            })))
        }
        let service = EngineService(engine: engine, options: EngineService.Options(once: once, standby: standby, mailbox: mailbox))
        services.insert(.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup), at: 0)
        // SIGTERM and SIGINT end the service gracefully: the step in hand finishes, then `run` returns.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
