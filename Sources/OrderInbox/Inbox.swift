import Foundation
import OrderExport
import OrderImport
import OrderModel
#if canImport(Glibc)
import Glibc
#endif

/// Finds, claims and finishes input files.
///
/// A file is claimed by an atomic rename into `processing/<mapping>/` before it is read,
/// so no second reader takes it and a crash leaves it where the next start finds it.
/// It leaves `processing/` only after the database has recorded its outcome, for
/// `archive/` or `failed/` (with a `.reason.txt` beside it). No input file is deleted.
public struct Inbox {
    public let folders: InboxFolders

    public init(folders: InboxFolders) { self.folders = folders }

    public struct Candidate {
        public var mapping: Mapping
        public var url: URL
        public var name: String
        public var modified: Date
    }

    /// A claimed file in `processing/`.
    public struct Claimed {
        public var mapping: Mapping
        public var url: URL
        /// The name it was dropped under.
        public var name: String
        /// Its unique name in `processing/`, recorded in the database with its outcome.
        public var claimName: String
    }

    /// Files left in `processing/` by an interrupted run, in claim order.
    public func leftovers(_ mappings: [Mapping]) -> [Claimed] {
        var found: [Claimed] = []
        for mapping in mappings {
            let folder = folders.processing.appendingPathComponent(mapping.name, isDirectory: true)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for claimName in names.sorted() where !claimName.hasPrefix(".") {
                let name = originalName(folder: folder, claimName: claimName)
                found.append(Claimed(mapping: mapping, url: folder.appendingPathComponent(claimName), name: name, claimName: claimName))
            }
        }
        return found.sorted { ($0.mapping.feed, $0.claimName) < ($1.mapping.feed, $1.claimName) }
    }

    /// Moves a candidate into `processing/` under a unique name; nil if another reader took it first.
    ///
    /// A name too long to keep with the claim token is shortened (`fitted`); its original name is kept
    /// beside it until the file leaves `processing/`, and the database records the original.
    public func claim(_ candidate: Candidate, sequence: Timestamp) throws -> Claimed? {
        let folder = folders.processing.appendingPathComponent(candidate.mapping.name, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let token = UUID().uuidString.prefix(8).lowercased()
        let stamp = String(sequence.secondsSinceEpoch, radix: 36)
        let prefix = "\(stamp)\(token)-"
        let claimName = prefix + Self.fitted(candidate.name, limit: Self.maxKeptName - prefix.utf8.count)
        let target = folder.appendingPathComponent(claimName)
        let nameFile = originalNameFile(folder: folder, claimName: claimName)
        let shortened = claimName != prefix + candidate.name
        if shortened {
            do { try Data(candidate.name.utf8).write(to: nameFile, options: .atomic) } catch {
                throw InboxError("cannot claim \(candidate.url.path): cannot keep its name in \(nameFile.path): \(error.localizedDescription)")
            }
        }
        if rename(candidate.url.path, target.path) != 0 {
            let code = errno
            if shortened { unlink(nameFile.path) }
            if code == ENOENT { return nil }
            throw InboxError("cannot claim \(candidate.url.path): \(String(cString: strerror(code)))")
        }
        AtomicFileWriter.syncFolder(folder)
        return Claimed(mapping: candidate.mapping, url: target, name: candidate.name, claimName: claimName)
    }

    /// Archives an imported file, masked (see `finish`). Card numbers read from its card field are
    /// masked too, even where they fail the Luhn check.
    public func archive(_ file: Claimed, cardNumbers: Set<String>) throws {
        try finish(file, into: folders.archive, cardNumbers: cardNumbers)
        forgetOriginalName(of: file)
    }

    /// Archives an imported file without parsing it again (after a crash in its import): masked like any
    /// kept file, with no card field's values to add.
    public func archiveUnparsed(_ file: Claimed) throws {
        try finish(file, into: folders.archive, cardNumbers: [])
    }

    /// Moves a file rejected whole into `failed/`, masked like an archived file, with its reason
    /// (masked as well: a reason may quote the file) in `NAME.reason.txt`.
    ///
    /// The reason is written first: a failure before the move leaves the file in `processing/`, where the
    /// next poll finds its outcome in the database and finishes the move (the same reason is already there).
    public func fail(_ file: Claimed, reason: String) throws {
        let folder = folders.failed.appendingPathComponent(file.mapping.inbox, isDirectory: true)
        var text = reason
        if Self.fitted(file.name, limit: Self.maxKeptName) != file.name {
            text += " (dropped as inbox/\(file.mapping.inbox)/\(file.name), a name too long to keep)"
        }
        let bytes = Array((CardNumberRedactor.redact(text) + "\n").utf8)
        let name = destinationName(file, in: folder, reason: bytes)
        try AtomicFileWriter().write(bytes, to: folder, name: name + ".reason.txt")
        try finish(file, into: folders.failed, cardNumbers: [], name: name)
        forgetOriginalName(of: file)
    }

    /// The file's name, shortened if too long to keep; its claim name if that is taken (by an earlier file,
    /// or, in `failed/`, by another file's reason).
    private func destinationName(_ file: Claimed, in folder: URL, reason: [UInt8]? = nil) -> String {
        let name = Self.fitted(file.name, limit: Self.maxKeptName)
        let fm = FileManager.default
        let free = !fm.fileExists(atPath: folder.appendingPathComponent(name).path)
        // A reason already there is ours only if it says the same (written before an interrupted move).
        let reasonPath = folder.appendingPathComponent(name + ".reason.txt").path
        let reasonFree = reason.map { !fm.fileExists(atPath: reasonPath) || fm.contents(atPath: reasonPath) == Data($0) } ?? true
        if free && reasonFree { return name }
        // Keep every earlier file of the same name: the claim name is unique.
        return file.claimName
    }

    /// Moves a claimed file to `archive/` or `failed/`. Every file the engine keeps is masked, whatever
    /// its feed and whether or not it was parsed: the bytes are scanned for card numbers (in the file's
    /// own encoding, see `KeptFileEncoding`); a file with none is moved as it is, one with any is
    /// copied with them masked (same length) and the original removed. Either way it ends private (0600).
    private func finish(_ file: Claimed, into root: URL, cardNumbers: Set<String>, name: String? = nil) throws {
        let folder = root.appendingPathComponent(file.mapping.inbox, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = name ?? destinationName(file, in: folder)
        let known = cardNumbers.isEmpty ? nil : cardNumbers
        // A file the engine cannot read (no permission) it cannot mask either: it is moved as it is.
        if let input = try? InputFile(path: file.url.path), case let encoding = KeptFileEncoding(input.bytes),
           encoding.needsRedaction(input.bytes, known: known) {
            input.rewind()
            // The copy is written a slice at a time, card numbers masked, so a large file never sits in memory.
            try AtomicFileWriter().write(to: folder, name: name) { (emit: ([UInt8]) throws(OutputError) -> Void) throws(OutputError) in
                let all = input.bytes
                var start = 0
                while start < all.count {
                    let end = encoding.sliceEnd(all, from: start, size: 4 << 20)
                    var chunk = Array(UnsafeBufferPointer(rebasing: all[start..<end]))
                    encoding.redact(&chunk, known: known)
                    try emit(chunk)
                    input.release(upTo: end)
                    start = end
                }
            }
            chmod(folder.appendingPathComponent(name).path, 0o600)
            unlink(file.url.path)
            AtomicFileWriter.syncFolder(file.url.deletingLastPathComponent())
            return
        }
        let target = folder.appendingPathComponent(name)
        if rename(file.url.path, target.path) != 0 {
            throw InboxError("cannot move \(file.url.path) to \(target.path): \(String(cString: strerror(errno)))")
        }
        // A file dropped world-readable stays so after a move: the kept copy is made private.
        chmod(target.path, 0o600)
        AtomicFileWriter.syncFolder(folder)
    }
}
