import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes a file appear whole or not at all: temporary name, fsync, rename, fsync of the folder.
///
/// A collector polling the outbox never sees half a pick list, and after a power loss
/// the file is either there complete or not there, never truncated.
public struct AtomicFileWriter: Sendable {
    /// The permissions of the files written, set explicitly (the umask does not lower them); folders the
    /// writer creates or writes into get the matching folder mode.
    public var mode: FileModes.Mode

    public init(mode: FileModes.Mode = .privateFile) { self.mode = mode }

    /// Writes `bytes` to `folder/name`, replacing nothing: an existing file of that name is an error,
    /// unless it already holds exactly these bytes (a retry after a crash).
    public func write(_ bytes: [UInt8], to folder: URL, name: String) throws(OutputError) {
        try write(to: folder, name: name) { (emit: ([UInt8]) throws(OutputError) -> Void) throws(OutputError) in try emit(bytes) }
    }

    /// Streams the content through `produce`, which calls its argument with each chunk in order.
    public func write(to folder: URL, name: String,
                      produce: (_ emit: ([UInt8]) throws(OutputError) -> Void) throws(OutputError) -> Void) throws(OutputError) {
        let final = folder.appendingPathComponent(name)
        let temp = folder.appendingPathComponent(".\(name).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: folder.path, operation: "create the folder", code: errno)
        }
        chmod(folder.path, mode.folder.bits)
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode.bits)
        guard fd >= 0 else { throw OutputError(path: temp.path, operation: "create", code: errno) }
        fchmod(fd, mode.bits)
        func emit(_ bytes: [UInt8]) throws(OutputError) {
            var failure: OutputError? = nil
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = OutputError(path: temp.path, operation: "write", code: errno)
                        return
                    }
                    offset += n
                }
            }
            if let failure { throw failure }
        }
        do throws(OutputError) {
            try produce(emit)
            if fsync(fd) != 0 { throw OutputError(path: temp.path, operation: "fsync", code: errno) }
            close(fd)
        } catch {
            close(fd)
            unlink(temp.path)
            throw error
        }
        // link() refuses to replace an existing file, unlike rename(): no output is ever overwritten.
        if link(temp.path, final.path) != 0 {
            let code = errno
            defer { unlink(temp.path) }
            if code == EEXIST, FileManager.default.contentsEqual(atPath: temp.path, andPath: final.path) {
                return // Written before a crash: the same content is already there.
            }
            throw OutputError(path: final.path, operation: "publish", code: code)
        }
        unlink(temp.path)
        Self.syncFolder(folder)
    }

    /// Writes `bytes` to `folder/name` in place of whatever is there, whole or not at all: temporary name,
    /// fsync, rename (which replaces atomically), fsync of the folder. For the engine's own bookkeeping
    /// files (the outbox's number mark), never for a document a collector takes.
    public func replace(_ bytes: [UInt8], in folder: URL, name: String) throws(OutputError) {
        let final = folder.appendingPathComponent(name)
        let temp = folder.appendingPathComponent(".\(name).\(getpid()).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode.bits)
        guard fd >= 0 else { throw OutputError(path: temp.path, operation: "create", code: errno) }
        fchmod(fd, mode.bits)
        var failure: OutputError? = nil
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = OutputError(path: temp.path, operation: "write", code: errno)
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = OutputError(path: temp.path, operation: "fsync", code: errno) }
        close(fd)
        if failure == nil, rename(temp.path, final.path) != 0 { failure = OutputError(path: final.path, operation: "replace", code: errno) }
        if let failure {
            unlink(temp.path)
            throw failure
        }
        Self.syncFolder(folder)
    }

    /// Many files at once, for the outbox after a cycle: every file is written under its temporary name,
    /// then one `sync` makes all of them durable (instead of an fsync per file), then each is
    /// published with `link()` and each folder is synced once. Returns the files that failed, with why.
    ///
    /// Every folder from `root` down to a file's folder is opened without following symbolic links
    /// (a folder that is a link is refused, `ELOOP`), and the file is created and linked relative to
    /// the opened folder: nothing is ever written through a link to somewhere else.
    public func writeBatch(_ files: [(folder: URL, name: String, bytes: [UInt8])], within root: URL) -> [Int: OutputError] {
        var failures: [Int: OutputError] = [:]
        var staged: [(index: Int, folder: Int32, temp: String, name: String, path: String)] = []
        // Each folder is opened once per batch: URL work per file cost as much as the writing.
        var folders: [URL: (fd: Int32, path: String)] = [:]
        defer { for (fd, _) in folders.values { close(fd) } }
        let pid = getpid()
        for (i, file) in files.enumerated() {
            let folder: (fd: Int32, path: String)
            if let known = folders[file.folder] {
                folder = known
            } else {
                do throws(OutputError) {
                    folder = (try openFolder(file.folder, within: root), file.folder.path)
                } catch {
                    failures[i] = error
                    continue
                }
                folders[file.folder] = folder
            }
            let temp = ".\(file.name).\(pid).tmp"
            let fd = openat(folder.fd, temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode.bits)
            guard fd >= 0 else { failures[i] = OutputError(path: "\(folder.path)/\(temp)", operation: "create", code: errno); continue }
            fchmod(fd, mode.bits)
            var failed = false
            file.bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 { if errno == EINTR { continue }; failed = true; return }
                    offset += n
                }
            }
            if failed {
                failures[i] = OutputError(path: "\(folder.path)/\(temp)", operation: "write", code: errno)
                close(fd)
                unlinkat(folder.fd, temp, 0)
                continue
            }
            // One flush makes every staged file durable before any is published (a single file is fsynced alone).
            if files.count == 1 { fsync(fd) }
            close(fd)
            staged.append((i, folder.fd, temp, file.name, folder.path))
        }
        guard !staged.isEmpty else { return failures }
        if files.count > 1 { sync() }
        for (i, folderFD, temp, name, path) in staged {
            if linkat(folderFD, temp, folderFD, name, 0) != 0 {
                let code = errno
                if !(code == EEXIST && FileManager.default.contentsEqual(atPath: "\(path)/\(temp)", andPath: "\(path)/\(name)")) {
                    failures[i] = OutputError(path: "\(path)/\(name)", operation: "publish", code: code)
                }
            }
            unlinkat(folderFD, temp, 0)
        }
        for (fd, _) in folders.values { fsync(fd) }
        return failures
    }

    /// Opens `folder` (under `root`, or `root` itself) one component at a time without following a
    /// symbolic link, creating what is missing with the folder mode, which is also set on every folder
    /// from `root` down (so a collector account can reach the files).
    func openFolder(_ folder: URL, within root: URL) throws(OutputError) -> Int32 {
        let rootPath = root.standardizedFileURL.path
        let path = folder.standardizedFileURL.path
        guard path == rootPath || path.hasPrefix(rootPath + "/") else {
            throw OutputError(path: path, operation: "write outside \(rootPath) to", code: EINVAL)
        }
        var fd = open(rootPath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError(path: rootPath, operation: "open the folder", code: errno) }
        fchmod(fd, mode.folder.bits)
        var reached = rootPath
        for component in path.dropFirst(rootPath.count).split(separator: "/") {
            reached += "/\(component)"
            if mkdirat(fd, String(component), mode.folder.bits) != 0 && errno != EEXIST {
                let code = errno
                close(fd)
                throw OutputError(path: reached, operation: "create the folder", code: code)
            }
            let next = openat(fd, String(component), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(fd)
            guard next >= 0 else { throw OutputError(path: reached, operation: "open the folder", code: code) }
            fd = next
            fchmod(fd, mode.folder.bits)
        }
        return fd
    }

    static func syncFile(atPath path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Makes a rename or link in `folder` durable.
    public static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}

/// An outbox file that could not be written; the work stays pending and is retried.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32
    public init(path: String, operation: String, code: Int32) { self.path = path; self.operation = operation; self.code = code }
    public var description: String {
        let detail = String(cString: strerror(code))
        var hint = ""
        if code == ENOSPC { hint = "; free disk space, the file is written on the next cycle" }
        else if code == ELOOP || code == ENOTDIR {
            return "cannot \(operation) \(path): it is a symbolic link (or not a folder), and the engine never writes through a link; make it a real folder, the file stays pending and is written on the next cycle"
        }
        else if code == EACCES || code == EROFS { hint = "; make the folder writable, the file is written on the next cycle" }
        return "cannot \(operation) \(path): \(detail)\(hint)"
    }
}
