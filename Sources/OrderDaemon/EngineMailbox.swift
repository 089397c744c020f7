import Foundation
import OrderEngine
import OrderModel

/// What the web console asks of the running engine, done on the engine's own thread between its steps.
///
/// A person's action in the browser (release, hold, cancel, run a job now) is not a second writer beside
/// the engine: it is posted here, the engine's loop takes it at its next pause (within a quarter of a
/// second while idle, after the step in hand otherwise), does it on the engine's own connection and
/// answers. So an action never meets "database is locked", and it lands between cycles, never inside one.
public final class EngineMailbox: @unchecked Sendable {
    /// One thing a person asks for.
    public enum Request: Sendable, Hashable {
        case release(order: String)
        case hold(order: String, reason: String)
        case cancel(order: String)
        case runJob(String)
    }

    /// What came of it.
    public enum Answer: Sendable {
        /// Done; the message says what changed.
        case done(String)
        /// A job ran (with whatever outcome it had).
        case ran(JobRun)
        /// Not done, and why (an order that is not held, a job that does not exist).
        case refused(String)
    }

    struct Letter {
        var request: Request
        var person: String
        var reply: @Sendable (Answer) -> Void
    }

    private let lock = NSLock()
    private var letters: [Letter] = []

    public init() {}

    /// Whether anything waits (the engine cuts its sleep short).
    public var hasLetters: Bool {
        lock.withLock { !letters.isEmpty }
    }

    /// Posts `request` from `person` and waits for the engine's answer.
    public func ask(_ request: Request, from person: String) async -> Answer {
        await withCheckedContinuation { (continuation: CheckedContinuation<Answer, Never>) in
            lock.withLock { letters.append(Letter(request: request, person: person, reply: { continuation.resume(returning: $0) })) }
        }
    }

    /// Takes what waits, oldest first.
    func takeAll() -> [Letter] {
        lock.withLock {
            defer { letters.removeAll() }
            return letters
        }
    }

    /// Answers everything waiting as refused (the engine is stopping).
    func refuseAll(_ reason: String) {
        for letter in takeAll() { letter.reply(.refused(reason)) }
    }
}

extension JobRunner {
    /// Does what the console asked, on the engine's connection; each action is one transaction with its
    /// history, stamped with the person (`user:<name>`).
    func answer(_ mailbox: EngineMailbox, options: Engine.RunOptions) {
        for letter in mailbox.takeAll() {
            let engine = engine.acting(as: letter.person)
            let answer: EngineMailbox.Answer
            do {
                switch letter.request {
                case .release(let ref): answer = .done(try OrderActions(engine: engine).release(ref).message)
                case .hold(let ref, let reason): answer = .done(try OrderActions(engine: engine).hold(ref, reason: reason).message)
                case .cancel(let ref): answer = .done(try OrderActions(engine: engine).cancel(ref).message)
                case .runJob(let name):
                    let job = try job(named: name)
                    // Recorded as a request answered at once, so the history says who asked.
                    let id = try engine.database.requestJobRun(job.name, at: engine.clock.now, by: Actor.user(letter.person).description)
                    let run = try run(job, trigger: .manual, options: options)
                    try engine.database.answerJobRequest(id, at: engine.clock.now, runID: run.id, error: nil)
                    answer = .ran(run)
                }
                engine.logger.notice("console action", metadata: ["action": "\(letter.request)", "actor": "\(Actor.user(letter.person))"])
            } catch {
                answer = .refused(EngineError.oneLine(error))
            }
            letter.reply(answer)
        }
    }
}
