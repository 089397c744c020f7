import ArgumentParser
import Dispatch
import Foundation
import Logging
import OrderEngine
import OrderModel
#if canImport(Glibc)
import Glibc
#endif

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the engine: poll the inbox and run each job when it is due, until SIGTERM or SIGINT.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Run what is due now (with the missed-run catch-up of a start) and exit.") var once = false
    @Flag(help: "If another engine runs on this home, wait and take over when it stops.") var standby = false
    @Option(help: "Log lines as text or json (one object per line) on standard error.") var logFormat = "text"
    @Option(help: "The least important level logged: trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func run() throws {
        guard let format = LineLogHandler.Format(rawValue: logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; found '\(logLevel)'")
        }
        let clock = global.clock
        let logger = Logger(label: "orderflow") { _ in LineLogHandler(format: format, clock: clock, logLevel: level) }
        let stop = StopToken()
        let signals = [SIGTERM, SIGINT].map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                logger.notice("stopping: finishing the step in hand", metadata: ["signal": "\(signalNumber == SIGTERM ? "TERM" : "INT")"])
                stop.stop()
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        var engine = try global.engine(forPerson: false)
        engine.logger = logger
        let lock: EngineLock
        do {
            lock = try EngineLock(home: engine.home)
        } catch let error as EngineError where standby {
            logger.notice("standby: another engine runs on this home; waiting to take over", metadata: ["reason": "\(error)"])
            guard let taken = try EngineLock.wait(home: engine.home, stop: stop) else { return }
            lock = taken
            logger.notice("standby: took over the home")
        }
        defer { withExtendedLifetime(lock) {} }

        var runner = try JobRunner(engine: engine)
        var reloader = ConfigurationReloader(home: engine.home)
        var lastPrune: Date? = nil
        let interrupted = try runner.recoverInterrupted()
        if interrupted > 0 { logger.warning("job runs interrupted by an earlier stop are marked failed", metadata: ["job.runs": "\(interrupted)"]) }
        logger.notice("engine started", metadata: [
            "home": "\(engine.home.root.path)", "pid": "\(getpid())",
            "jobs": "\(runner.jobs.map { "\($0.name) (\($0.schedule))" }.joined(separator: ", "))",
        ])
        let options = Engine.RunOptions(stop: stop, observations: once ? nil : InboxObservations())
        var startup = true
        var lastPollError: String? = nil
        while !stop.isStopped {
            // Configuration edits apply here, between cycles, and only once validated.
            if !once, case .applied(let next) = reloader.check(runner) { runner = next }
            if lastPrune.map({ Date().timeIntervalSince($0) >= 3600 }) ?? true {
                lastPrune = Date()
                let cutoff = Timestamp(secondsSinceEpoch: runner.engine.clock.now.secondsSinceEpoch - Int64(JobRunner.defaultRetentionDays) * 86_400)
                if let pruned = try? runner.prune(before: cutoff), pruned > 0 {
                    logger.info("old job runs pruned", metadata: ["job.runs": "\(pruned)", "before": "\(cutoff)"])
                }
            }
            do {
                if !once { try runner.answerRequests(options: options) }
                try runner.tick(startup: startup, options: options)
                lastPollError = nil
            } catch {
                // The same failure is logged once, not every poll.
                let message = EngineError.oneLine(error)
                if message != lastPollError {
                    logger.error("poll failed; retrying on each poll", metadata: ["error": "\(message)"])
                }
                lastPollError = message
            }
            startup = false
            if once { break }
            // Sleep in short slices so a signal is answered at once.
            let until = Date().addingTimeInterval(runner.engine.config.inbox.pollInterval)
            var slices = 0
            while !stop.isStopped, Date() < until {
                Thread.sleep(forTimeInterval: min(0.05, until.timeIntervalSinceNow))
                // A person's `jobs run NAME` is answered within a quarter of a second, not at the next poll.
                slices += 1
                if slices % 5 == 0, runner.hasRequests() { break }
            }
        }
        if stop.isStopped { runner.publishPending() }
        logger.notice("engine stopped", metadata: ["pid": "\(getpid())"])
    }
}
