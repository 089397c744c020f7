import Foundation

/// The console's sessions: a random id in a cookie, and behind it who is logged in and the CSRF token
/// every form must send back.
///
/// Kept in memory only: an engine restart logs everyone out, which is the safe side. The table is
/// bounded (the oldest session goes first) so that a client making sessions without end cannot grow it.
public final class Sessions: @unchecked Sendable {
    /// One browser's session.
    public struct Session: Sendable, Hashable {
        public var id: String
        /// Who is logged in; nil before login (on a console that needs one).
        public var user: String?
        /// Sent back in every POST form; compared in constant time.
        public var csrfToken: String
        /// Real time, for expiry.
        public var lastSeen: Date
    }

    /// Sessions idle longer than this are forgotten.
    public static let idleLimit: TimeInterval = 8 * 3600
    static let capacity = 10_000

    private let lock = NSLock()
    private var table: [String: Session] = [:]

    public init() {}

    /// The session a cookie names, if it is live; touching it keeps it alive.
    public func session(id: String?) -> Session? {
        guard let id else { return nil }
        return lock.withLock {
            guard var session = table[id] else { return nil }
            let now = Date()
            guard now.timeIntervalSince(session.lastSeen) < Self.idleLimit else {
                table[id] = nil
                return nil
            }
            session.lastSeen = now
            table[id] = session
            return session
        }
    }

    /// A new session, for `user` (nil: not logged in yet).
    public func start(user: String?) -> Session {
        let session = Session(id: Self.randomToken(), user: user, csrfToken: Self.randomToken(), lastSeen: Date())
        lock.withLock {
            if table.count >= Self.capacity, let oldest = table.values.min(by: { $0.lastSeen < $1.lastSeen }) {
                table[oldest.id] = nil
            }
            table[session.id] = session
        }
        return session
    }

    /// Ends a session (logout).
    public func end(id: String) {
        _ = lock.withLock { table.removeValue(forKey: id) }
    }

    /// 32 random bytes from the system's generator, as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Compares without stopping at the first difference, so timing does not tell how much matched.
    public static func tokensMatch(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
