#if canImport(Glibc)
import Glibc
#endif

/// The permissions of what the engine writes: private by default.
///
/// The database, archive, failed and processing hold customers' names and addresses (and the
/// engine's view of every order): the engine sets its own umask (0077) at start, so everything it
/// creates is 0600 (files) and 0700 (folders) whatever the shell's umask was. Only the outbox is
/// meant for another account (a collector), and its mode is set explicitly from `outbox_mode`.
public enum FileModes {
    /// Permission bits (no file type, no set-id or sticky bits).
    public struct Mode: Sendable, Hashable, Codable, CustomStringConvertible {
        public var bits: mode_t
        public init(bits: mode_t) { self.bits = bits }

        public static let privateFile = Mode(bits: 0o600)
        public static let privateFolder = Mode(bits: 0o700)

        /// `"0640"` or `"640"`: read, write bits only, owner read and write required (the engine rereads
        /// a file it published to recognise a retry), nothing beyond 0666.
        public init?(octal text: String) {
            let digits = text.hasPrefix("0o") ? String(text.dropFirst(2)) : text
            guard (3...4).contains(digits.count), digits.allSatisfy({ ("0"..."7").contains($0) }),
                  let value = mode_t(digits, radix: 8), value & ~0o666 == 0, value & 0o600 == 0o600 else { return nil }
            bits = value
        }

        /// The mode of a folder holding files of this mode: search (x) wherever read (r) is given.
        public var folder: Mode { Mode(bits: bits | ((bits & 0o444) >> 2)) }

        public var description: String {
            let text = String(bits, radix: 8)
            return String(repeating: "0", count: max(0, 4 - text.count)) + text
        }
    }

    /// Makes everything this process creates private from now on (0600 files, 0700 folders).
    public static func usePrivateUmask() {
        umask(0o077)
    }
}
