import Foundation

/// What a home holds from earlier runs: files archived or failed, and the outbox numbers already used.
///
/// A file left in `processing/` is not history: it is imported when the engine starts, database new or not.
///
/// A database that is new (missing, or truncated to 0 bytes) in a home with history means the engine has lost
/// its memory: customers, orders, and the hashes that stop a file being imported twice. Opening it silently
/// would start the outbox numbers again at 1 and import old files again, so the engine refuses unless told.
struct HomeHistory {
    var archived = 0
    var failed = 0
    /// The highest outbox number in each outbox folder, with the file that carries it.
    var outbox: [String: OutboxSequence.Highest] = [:]

    init(home: Home) {
        archived = Self.files(under: home.archive)
        failed = Self.files(under: home.failed)
        outbox = OutboxSequence.highest(in: home.outbox)
    }

    var isEmpty: Bool { archived == 0 && failed == 0 && outbox.isEmpty }

    /// What was found, in words: "12 file(s) in archive/, outbox/picklists/PL-000041-MAIN.csv".
    var summary: String {
        var parts: [String] = []
        if archived > 0 { parts.append("\(archived) file(s) in archive/") }
        if failed > 0 { parts.append("\(failed) file(s) in failed/") }
        for (folder, highest) in outbox.sorted(by: { $0.key < $1.key }) {
            parts.append("outbox/\(folder)/\(highest.name) (number \(highest.number))")
        }
        return parts.joined(separator: ", ")
    }

    /// Regular files (not dot-files) anywhere under `folder`.
    static func files(under folder: URL) -> Int {
        guard let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                        options: [.skipsHiddenFiles]) else { return 0 }
        var count = 0
        for case let url as URL in walk where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            count += 1
        }
        return count
    }
}
