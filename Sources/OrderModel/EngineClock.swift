import Foundation

/// The one source of time for the engine: every rule, stamp and schedule asks it.
///
/// Tests and the `--now` option inject a `FixedClock`, so no test sleeps and every
/// time rule can be exercised at any instant.
public protocol EngineClock: Sendable {
    var now: Timestamp { get }
}

/// The machine's clock.
public struct SystemClock: EngineClock {
    public init() {}
    public var now: Timestamp { Timestamp(Date()) }
}

/// A clock that always reads the same instant (`--now`, tests).
public struct FixedClock: EngineClock {
    public let now: Timestamp
    public init(_ now: Timestamp) { self.now = now }
}

/// A clock that reads what it was last set to: one long-lived engine stepped through time
/// (the cycle benchmark's later cycles, as a running engine meets them).
public final class ManualClock: EngineClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Timestamp
    public init(_ now: Timestamp) { current = now }
    public var now: Timestamp { lock.withLock { current } }
    public func set(_ time: Timestamp) { lock.withLock { current = time } }
}
