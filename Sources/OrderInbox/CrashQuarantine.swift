import CCrashGuard
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Remembers which file the engine is importing, so that a file that crashed it is set aside, not retried.
///
/// Just before a claimed file's import, `processing/.importing` is written (atomically) with the file's
/// place in `processing/`, and the crash guard is armed: a crash signal renames the marker to
/// `processing/.crashed` (with the signal number) as the process dies. The next start finds
/// `.crashed` before it imports the leftovers in `processing/` and sends that file to `failed/` with
/// the reason. A SIGKILL runs no handler: `.importing` stays, nothing is set aside, and the file is
/// imported again, as after any interrupted run. The marker is removed when the import ends normally
/// (committed, rejected or rolled back).
public struct CrashQuarantine {
    public let folders: InboxFolders

    public init(folders: InboxFolders) { self.folders = folders }

    public var importing: URL { folders.processing.appendingPathComponent(".importing") }
    public var crashed: URL { folders.processing.appendingPathComponent(".crashed") }

    /// What a crash left: the claimed file (`<mapping>/<claim name>` under `processing/`) and the signal.
    public struct Crash: Sendable, Hashable {
        public var claimPath: String
        public var signal: Int32?

        /// `signal 4 (SIGILL)`, or `a signal` when the marker does not say.
        public var signalText: String {
            guard let signal else { return "a signal" }
            let name: String? = switch signal {
            case SIGILL: "SIGILL"
            case SIGTRAP: "SIGTRAP"
            case SIGSEGV: "SIGSEGV"
            case SIGBUS: "SIGBUS"
            case SIGFPE: "SIGFPE"
            case SIGABRT: "SIGABRT"
            default: nil
            }
            return name.map { "signal \(signal), \($0)" } ?? "signal \(signal)"
        }

        /// The reason written beside the file in `failed/` and into the exception report.
        public var reason: String {
            "the engine crashed while importing this file (\(signalText)); it was set aside so that it cannot crash the engine again; fix the file and drop it again"
        }
    }

    /// Installs the signal handlers once per process.
    private static let installed: Bool = orderflow_crashguard_install() == 0

    /// The test hook: a file whose name contains this text makes the import trap (see README, "Invariants").
    private static let crashOn: String? = ProcessInfo.processInfo.environment["ORDERFLOW_TEST_CRASH_ON"].flatMap { $0.isEmpty ? nil : $0 }

    /// The marker's text for a claimed file: its place under `processing/`.
    public static func claimPath(_ file: Inbox.Claimed) -> String { "\(file.mapping.name)/\(file.claimName)" }

    /// Records that `file` is about to be imported and arms the guard.
    public func begin(_ file: Inbox.Claimed) {
        guard Self.installed else { return }
        // Written beside and renamed over, so the marker is never half written. Without a marker there is
        // nothing to rename: the file is then retried after a crash, as before.
        let temporary = folders.processing.appendingPathComponent(".importing.tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let bytes = Array((Self.claimPath(file) + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary, importing.path) == 0 else { unlink(temporary); return }
        _ = orderflow_crashguard_arm(importing.path, crashed.path)
    }

    /// The import ended normally: disarms the guard and removes the marker.
    public func end() {
        orderflow_crashguard_disarm()
        unlink(importing.path)
    }

    /// Traps when the test hook names this file; never set outside the tests.
    public func crashIfTestHookMatches(_ file: Inbox.Claimed) {
        if let text = Self.crashOn, file.name.contains(text) { orderflow_crashguard_trap() }
    }

    /// The crash a previous run left, if any.
    public func crash() -> Crash? {
        guard let data = FileManager.default.contents(atPath: crashed.path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard let path = lines.first, !path.isEmpty else { return Crash(claimPath: "", signal: nil) }
        let signal = lines.dropFirst().first { $0.hasPrefix("signal=") }.flatMap { Int32($0.dropFirst(7)) }
        return Crash(claimPath: path, signal: signal)
    }

    /// Removes the crash marker once its file has been dealt with.
    public func clearCrash() {
        unlink(crashed.path)
    }
}
