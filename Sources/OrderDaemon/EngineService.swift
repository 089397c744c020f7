import Foundation
import Logging
import OrderEngine
import OrderModel
import OrderInbox
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// The long-running engine (`orderflow run`) as a swift-service-lifecycle `Service`: it holds the home's
/// lock, polls the inbox and runs each job when it is due, until a graceful shutdown (SIGTERM, SIGINT, or
/// the service group's own trigger in a test).
///
/// A shutdown is graceful in the engine's sense too: the step in hand finishes (an import in hand rolls
/// back and its file stays claimed), outbox files already committed are written, then `run()` returns.
/// The loop is synchronous work (SQLite, files), so it runs on a thread of its own and the service only
/// waits for it: a cycle of minutes never holds one of the concurrency pool's few threads, and the
/// shutdown handler always has one to run on.
public struct EngineService: Service {
    /// How the service runs.
    public struct Options: Sendable {
        /// Runs what is due now (with the missed-run catch-up of a start), then returns.
        public var once: Bool
        /// Waits for another engine on the home to stop instead of failing, then takes over.
        public var standby: Bool
        /// Where the web console posts what people ask for; the loop answers between its steps.
        public var mailbox: EngineMailbox?
        public init(once: Bool = false, standby: Bool = false, mailbox: EngineMailbox? = nil) {
            self.once = once
            self.standby = standby
            self.mailbox = mailbox
        }
    }

    public let engine: Engine
    public let options: Options

    public init(engine: Engine, options: Options = Options()) {
        self.engine = engine
        self.options = options
    }

    public func run() async throws {
        let stop = StopToken()
        let logger = engine.logger
        try await withGracefulShutdownHandler {
            try await Self.onOwnThread { try loop(stop: stop) }
        } onGracefulShutdown: {
            logger.notice("stopping: finishing the step in hand")
            stop.stop()
        }
    }

    /// Takes the home's lock, then polls until `stop`.
    func loop(stop: StopToken) throws {
        let logger = engine.logger
        let lock: EngineLock
        do {
            lock = try EngineLock(home: engine.home)
        } catch let error as EngineError where options.standby {
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
        let once = options.once
        let runOptions = Engine.RunOptions(stop: stop, observations: once ? nil : InboxObservations())
        var startup = true
        var lastPollError: String? = nil
        while !stop.isStopped {
            // Configuration edits apply here, between cycles, and only once validated.
            if !once, case .applied(let next) = reloader.check(runner) { runner = next }
            // Pruning is housekeeping on the physical clock (once an hour of running), not business time.
            if lastPrune.map({ Date().timeIntervalSince($0) >= 3600 }) ?? true {
                lastPrune = Date()
                let cutoff = Timestamp(secondsSinceEpoch: runner.engine.clock.now.secondsSinceEpoch - Int64(JobRunner.defaultRetentionDays) * 86_400)
                if let pruned = try? runner.prune(before: cutoff), pruned > 0 {
                    logger.info("old job runs pruned", metadata: ["job.runs": "\(pruned)", "before": "\(cutoff)"])
                }
            }
            do {
                if !once {
                    options.mailbox.map { runner.answer($0, options: runOptions) }
                    try runner.answerRequests(options: runOptions)
                }
                try runner.tick(startup: startup, options: runOptions)
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
            // Sleep in short slices so a shutdown is answered at once.
            let until = Date().addingTimeInterval(runner.engine.config.inbox.pollInterval)
            var slices = 0
            while !stop.isStopped, Date() < until {
                Thread.sleep(forTimeInterval: min(0.05, max(0, until.timeIntervalSinceNow)))
                // A person's `jobs run NAME` is answered within a quarter of a second, not at the next poll.
                slices += 1
                if slices % 5 == 0, runner.hasRequests() { break }
                if options.mailbox?.hasLetters == true { break }
            }
        }
        if stop.isStopped { runner.publishPending() }
        options.mailbox?.refuseAll("the engine stopped before it could do this; nothing was changed")
        logger.notice("engine stopped", metadata: ["pid": "\(getpid())"])
    }

    /// Runs blocking `work` on a new thread and waits for it without holding a concurrency-pool thread.
    static func onOwnThread(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do { try work(); continuation.resume() } catch { continuation.resume(throwing: error) }
            }
            // The cycle's recursion (rule evaluation, XML) wants more than a secondary thread's default stack.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
