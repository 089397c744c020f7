import Foundation
import OrderModel

/// The newest files in `failed/` with the reason the engine wrote beside each, for the console's Health page.
///
/// Read from the folder, not the database, so every kind of failure shows (a file that crashed the reader
/// and was quarantined has no database row). Times are the files' real modification times.
public struct FailedFile: Sendable, Hashable {
    /// The feed folder it came from (`orders`, `receipts`, ...).
    public var feed: String
    public var name: String
    /// When it was moved to failed/ (real time).
    public var at: Date
    /// The reason file's text, card numbers masked, at most 2,000 characters.
    public var reason: String

    /// The `limit` newest failed files of `home`.
    public static func newest(in home: Home, limit: Int) -> [FailedFile] {
        let fm = FileManager.default
        var found: [FailedFile] = []
        guard let feeds = try? fm.contentsOfDirectory(atPath: home.failed.path) else { return [] }
        for feed in feeds where !feed.hasPrefix(".") {
            let folder = home.failed.appendingPathComponent(feed)
            guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names where name.hasSuffix(".reason.txt") && !name.hasPrefix(".") {
                let path = folder.appendingPathComponent(name).path
                var info = stat()
                guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                let at = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
                found.append(FailedFile(feed: feed, name: String(name.dropLast(".reason.txt".count)), at: at, reason: path))
            }
        }
        found.sort { ($0.at, $0.name) > ($1.at, $1.name) }
        return found.prefix(limit).map { file in
            var file = file
            let data = FileManager.default.contents(atPath: file.reason).map { $0.prefix(2_000) } ?? Data()
            file.reason = CardNumberRedactor.redact(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            return file
        }
    }
}
