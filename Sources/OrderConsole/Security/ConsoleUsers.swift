import Foundation
import HummingbirdBcrypt
import OrderEngine
import OrderExport

/// The people who may log in to the console: `console-users` in the home, one `name:hash` a line.
///
/// Hashes are bcrypt (salted, cost 12: about a quarter of a second each on this kind of machine), so a
/// stolen file does not give the passwords away cheaply. The file is written private (0600) and
/// atomically by `orderflow console-user`; the engine only reads it, at each login, so a user added or
/// removed applies at once.
public struct ConsoleUsers: Sendable {
    /// The file's place in a home.
    public static func file(in home: Home) -> URL { home.root.appendingPathComponent("console-users") }

    /// bcrypt's cost: 2^12 rounds.
    static let cost: UInt8 = 12

    public let url: URL
    /// Name to bcrypt hash.
    public private(set) var hashes: [String: String]

    /// Reads the file; a missing file is no users.
    /// - Throws: `ConsoleError.usersFile` for a line that is not `name:hash`.
    public init(home: Home) throws(ConsoleError) {
        url = Self.file(in: home)
        hashes = [:]
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  line[line.index(after: colon)...].hasPrefix("$2") else {
                throw .usersFile("\(url.path):\(index + 1): expected 'name:bcrypt-hash' as 'orderflow console-user add' writes it")
            }
            hashes[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
    }

    public var isEmpty: Bool { hashes.isEmpty }

    /// Whether `password` is `name`'s. Slow on purpose (bcrypt); an unknown name costs the same.
    public func verify(name: String, password: String) -> Bool {
        guard let hash = hashes[name] else {
            _ = Bcrypt.verify(password, hash: Self.decoy)
            return false
        }
        return Bcrypt.verify(password, hash: hash)
    }

    /// Verified against when the name is unknown, so the time taken does not tell which names exist.
    static let decoy = "$2b$12$C6UzMDM.H6dfI/f/IKxGhu1k0wT8hN8r3o9Gx1X7hN8r3o9Gx1X7e"

    /// Adds or replaces a user; `password` must be at least 12 characters.
    public mutating func set(name: String, password: String) throws(ConsoleError) {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw .user("a user name is 1 to 64 letters, digits, '.', '_', '-' or '@'; found '\(name)'")
        }
        guard password.count >= 12 else { throw .user("the password must have at least 12 characters; it has \(password.count)") }
        guard password.utf8.count <= 72 else { throw .user("bcrypt reads at most 72 bytes of a password; this one has \(password.utf8.count)") }
        hashes[name] = Bcrypt.hash(password, cost: Self.cost)
    }

    /// Removes a user; false when there was none.
    public mutating func remove(name: String) -> Bool {
        hashes.removeValue(forKey: name) != nil
    }

    /// Writes the file atomically, private to the engine's user.
    public func save() throws {
        let text = "# orderflow console users: name:bcrypt-hash. Edit with 'orderflow console-user'.\n"
            + hashes.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)\n" }.joined()
        try AtomicFileWriter(mode: .privateFile).replace(Array(text.utf8), in: url.deletingLastPathComponent(), name: url.lastPathComponent)
    }
}
