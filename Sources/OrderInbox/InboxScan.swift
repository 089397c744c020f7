import Foundation
import OrderImport
import OrderModel
#if canImport(Glibc)
import Glibc
#endif

/// What a poll of the inbox found: files ready to take, files still being written, and things to set aside.
public struct InboxScan {
    public var ready: [Inbox.Candidate] = []
    /// Files not yet settled (still changing, too new, held open for writing, or waiting for their done-marker).
    public var waiting = 0
    /// Of the waiting files, those some process still holds open for writing.
    public var heldOpen: [URL] = []
    /// Links, folders, devices and sockets: never read, moved aside.
    public var oddities: [(url: URL, folder: String, reason: String)] = []
    /// Files no mapping reads: reported once, left where they are.
    public var unmapped: [(url: URL, reason: String)] = []
}

/// The size and modification time of each inbox file, and since when they have not changed, kept by
/// the daemon between polls: a file is taken only once it has looked the same for the settle time.
public final class InboxObservations: @unchecked Sendable {
    private var seen: [String: (size: Int64, mtime: Int64, since: Int64)] = [:]
    private let lock = NSLock()
    public init() {}

    /// Records what is seen at `now`; returns since when (real time) the file has looked exactly like this.
    public func unchangedSince(_ path: String, size: Int64, mtime: Int64, now: Int64) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        if let previous = seen[path], previous.size == size, previous.mtime == mtime { return previous.since }
        seen[path] = (size, mtime, now)
        return now
    }

    public func forget(_ path: String) {
        lock.lock()
        seen[path] = nil
        lock.unlock()
    }
}

/// Asks a running step to stop at the next safe point (SIGTERM, SIGINT).
public final class StopToken: @unchecked Sendable {
    private var stopped = false
    private let lock = NSLock()
    public init() {}
    public func stop() { lock.lock(); stopped = true; lock.unlock() }
    public var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
}

/// Thrown inside an import when the engine is asked to stop: the file's transaction rolls back and
/// the file stays claimed in `processing/`, to be imported on the next start.
public struct EngineStopping: Error {
    public init() {}
}

extension Inbox {
    /// Scans every inbox folder. A file is settled when its modification time is at least `settle` seconds
    /// before `fileClock` (and, in the daemon, it has been unchanged since the last poll), and no process holds
    /// it open for writing.
    ///
    /// A file's age is a physical fact, so `fileClock` is the real clock (`SystemClock`), never the engine's
    /// business clock: `cycle --now 2026-06-03` must not call a file written today too new for ever.
    public func scan(_ mappings: [Mapping], settings: InboxSettings, fileClock: any EngineClock,
              observations: InboxObservations?, openFiles: OpenForWriting = OpenForWriting()) -> InboxScan {
        var scan = InboxScan()
        let now = fileClock.now
        var identities: [URL: OpenForWriting.FileID] = [:]
        let fm = FileManager.default
        let mapped = Dictionary(grouping: mappings, by: \.inbox)
        let feedFolders = (try? fm.contentsOfDirectory(atPath: folders.inbox.path))?.filter { !$0.hasPrefix(".") }.sorted() ?? []
        for folder in feedFolders {
            let folderURL = folders.inbox.appendingPathComponent(folder, isDirectory: true)
            var info = stat()
            guard lstat(folderURL.path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) != S_IFDIR {
                scan.unmapped.append((folderURL, "inbox/\(folder) is not a folder; files are dropped into the feed folders (inbox/orders, ...)"))
                continue
            }
            let readers = mapped[folder] ?? []
            guard let names = try? fm.contentsOfDirectory(atPath: folderURL.path) else { continue }
            let nameSet = Set(names)
            for name in names.sorted() {
                if settings.ignore.contains(where: { Glob.matches($0, name) }) { continue }
                let url = folderURL.appendingPathComponent(name)
                guard lstat(url.path, &info) == 0 else { continue }
                let type = info.st_mode & S_IFMT
                if type != S_IFREG {
                    let what = type == S_IFLNK ? "a symbolic link (links are never followed)"
                        : type == S_IFDIR ? "a folder (feeds are files; folders are not read)"
                        : "not a regular file (a device, socket or pipe is never read)"
                    scan.oddities.append((url, folder, "inbox/\(folder)/\(name) is \(what)"))
                    continue
                }
                guard let mapping = readers.first(where: { $0.matches(fileName: name) }) else {
                    if name.hasSuffix(".done"), readers.contains(where: \.doneMarker) {
                        let base = String(name.dropLast(5))
                        if nameSet.contains(base) || nameSet.contains(where: { ($0 as NSString).deletingPathExtension == base && $0 != name }) { continue }
                        scan.unmapped.append((url, "inbox/\(folder)/\(name) is a done-marker without its file"))
                        continue
                    }
                    let why = readers.isEmpty ? "no mapping has inbox: \(folder)" : "its name matches no mapping's pattern in inbox/\(folder)"
                    scan.unmapped.append((url, "inbox/\(folder)/\(name): no mapping reads it (\(why)); it stays in the inbox"))
                    continue
                }
                let size = Int64(info.st_size)
                let mtime = Int64(info.st_mtim.tv_sec)
                // The daemon also wants the same size and time across polls for the settle time:
                // some clients keep the original modification time while they write.
                let steadySince = observations?.unchangedSince(url.path, size: size, mtime: mtime, now: now.secondsSinceEpoch) ?? mtime
                if mapping.doneMarker {
                    let stem = (name as NSString).deletingPathExtension
                    guard nameSet.contains(name + ".done") || nameSet.contains(stem + ".done") else { scan.waiting += 1; continue }
                } else {
                    // Times are whole seconds, so a file must look the same for one second more than the
                    // setting: then at least `settle` has really passed, however the seconds fall.
                    let settledFor = now.secondsSinceEpoch - max(mtime, steadySince)
                    let needed = settings.settle > 0 ? Int64(settings.settle.rounded(.up)) + 1 : 0
                    guard settledFor >= needed else { scan.waiting += 1; continue }
                }
                let modified = Date(timeIntervalSince1970: TimeInterval(mtime) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
                scan.ready.append(Candidate(mapping: mapping, url: url, name: name, modified: modified))
                identities[url] = OpenForWriting.FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            }
        }
        // One pass over the process table for every settled file: one still open for writing is not finished.
        let held = openFiles.held(among: Set(identities.values))
        if !held.isEmpty {
            let open = scan.ready.filter { identities[$0.url].map(held.contains) == true }
            scan.ready.removeAll { identities[$0.url].map(held.contains) == true }
            scan.waiting += open.count
            scan.heldOpen = open.map(\.url)
        }
        scan.ready.sort { ($0.mapping.feed, $0.modified, $0.name) < ($1.mapping.feed, $1.modified, $1.name) }
        if settings.maxFilesPerPoll > 0, scan.ready.count > settings.maxFilesPerPoll {
            scan.waiting += scan.ready.count - settings.maxFilesPerPoll
            scan.ready = Array(scan.ready.prefix(settings.maxFilesPerPoll))
        }
        return scan
    }

    /// Moves a link, folder or device aside into `failed/<folder>/` with a reason; false if it cannot be moved.
    public func setAside(_ url: URL, folder: String, reason: String) -> Bool {
        let target = folders.failed.appendingPathComponent(folder, isDirectory: true)
        do { try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true) } catch { return false }
        var name = Self.fitted(url.lastPathComponent, limit: Self.maxKeptName)
        if FileManager.default.fileExists(atPath: target.appendingPathComponent(name).path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: target.appendingPathComponent(name).path)) != nil {
            name = "\(UUID().uuidString.prefix(8).lowercased())-" + Self.fitted(url.lastPathComponent, limit: Self.maxKeptName - 9)
        }
        let destination = target.appendingPathComponent(name)
        guard rename(url.path, destination.path) == 0 else { return false }
        try? Data((reason + "; it was moved here unread\n").utf8).write(to: target.appendingPathComponent(name + ".reason.txt"))
        return true
    }

    /// Removes the done-marker of a claimed file (only the marker).
    public func removeMarker(for candidate: Candidate) {
        let folder = candidate.url.deletingLastPathComponent()
        for marker in [candidate.name + ".done", (candidate.name as NSString).deletingPathExtension + ".done"] {
            unlink(folder.appendingPathComponent(marker).path)
        }
    }
}
