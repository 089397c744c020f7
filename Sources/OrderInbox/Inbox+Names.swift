import Foundation
import OrderImport
#if canImport(Glibc)
import Glibc
#endif

extension Inbox {
    /// The longest name, in UTF-8 bytes, the engine gives a file it keeps (in `processing/`, `archive/`, `failed/`).
    ///
    /// Linux allows 255 bytes (NAME_MAX), but the engine adds to a kept name: a claim token in `processing/`,
    /// `.reason.txt` beside a failed file, and the atomic writer's temporary `.NAME.PID.tmp`. A 251-byte
    /// name could never be claimed, and a 232-byte rejected file never got its reason written: each stayed
    /// where it was, failing on every poll. 224 leaves room for the longest of these (`.NAME.reason.txt.PID.tmp`).
    public static let maxKeptName = 224

    /// `name` if it fits in `limit` UTF-8 bytes; otherwise as much of its start as fits whole characters,
    /// `~`, eight hex digits of a hash of the whole name (so two long names that share a start stay apart),
    /// and its extension (so the shortened name is still read by the same mapping and tools).
    public static func fitted(_ name: String, limit: Int) -> String {
        guard name.utf8.count > limit else { return name }
        let ext = (name as NSString).pathExtension
        let suffix = ext.isEmpty || ext.utf8.count > 16 ? "" : "." + ext
        var hasher = SHA256()
        hasher.update(Array(name.utf8))
        let tag = "~" + hasher.finalizeHex().prefix(8)
        let room = max(0, limit - tag.utf8.count - suffix.utf8.count)
        var start = ""
        var used = 0
        for character in name {
            let bytes = character.utf8.count
            if used + bytes > room { break }
            start.append(character)
            used += bytes
        }
        return start + tag + suffix
    }

    /// Where the original name of a file claimed under a shortened name is kept while it is in `processing/`
    /// (a dot-file, which `leftovers` skips), so a file finished after a crash is still recorded as dropped.
    public func originalNameFile(folder: URL, claimName: String) -> URL {
        folder.appendingPathComponent(".\(claimName).name")
    }

    /// The name a claimed file was dropped with: its claim name after the token, or, for a shortened one, as kept beside it.
    public func originalName(folder: URL, claimName: String) -> String {
        if let kept = try? String(contentsOf: originalNameFile(folder: folder, claimName: claimName), encoding: .utf8), !kept.isEmpty {
            return kept
        }
        return claimName.split(separator: "-", maxSplits: 1).last.map(String.init) ?? claimName
    }

    /// Removes the kept original name of a file that has left `processing/`.
    public func forgetOriginalName(of file: Claimed) {
        unlink(originalNameFile(folder: file.url.deletingLastPathComponent(), claimName: file.claimName).path)
    }
}
