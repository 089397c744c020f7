import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes a file appear whole or not at all: temporary name, fsync, rename, fsync of the folder.
///
/// A collector polling the outbox never sees half a pick list, and after a power loss
/// the file is either there complete or not there, never truncated.
public struct AtomicFileWriter: Sendable {
    public init() {}

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
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path: temp.path, operation: "create", code: errno) }
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

    /// Many files at once, for the outbox after a cycle: every file is written under its temporary name,
    /// then one `sync` makes all of them durable (instead of an fsync per file), then each is
    /// published with `link()` and each folder is synced once. Returns the files that failed, with why.
    public func writeBatch(_ files: [(folder: URL, name: String, bytes: [UInt8])]) -> [Int: OutputError] {
        var failures: [Int: OutputError] = [:]
        var staged: [(index: Int, temp: String, final: String)] = []
        // Paths are built as text, each folder's once per batch: URL work per file cost as much as the writing.
        var folders: [URL: String] = [:]
        let pid = getpid()
        for (i, file) in files.enumerated() {
            let folder: String
            if let known = folders[file.folder] {
                folder = known
            } else {
                do {
                    try FileManager.default.createDirectory(at: file.folder, withIntermediateDirectories: true)
                } catch {
                    failures[i] = OutputError(path: file.folder.path, operation: "create the folder", code: errno)
                    continue
                }
                folder = file.folder.path
                folders[file.folder] = folder
            }
            let temp = "\(folder)/.\(file.name).\(pid).tmp"
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { failures[i] = OutputError(path: temp, operation: "create", code: errno); continue }
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
                failures[i] = OutputError(path: temp, operation: "write", code: errno)
                close(fd)
                unlink(temp)
                continue
            }
            close(fd)
            staged.append((i, temp, "\(folder)/\(file.name)"))
        }
        guard !staged.isEmpty else { return failures }
        // One flush makes every staged file durable before any is published (a single file is fsynced alone).
        if staged.count == 1 { Self.syncFile(atPath: staged[0].temp) } else { sync() }
        for (i, temp, final) in staged {
            if link(temp, final) != 0 {
                let code = errno
                if !(code == EEXIST && FileManager.default.contentsEqual(atPath: temp, andPath: final)) {
                    failures[i] = OutputError(path: final, operation: "publish", code: code)
                }
            }
            unlink(temp)
        }
        for folder in folders.keys { Self.syncFolder(folder) }
        return failures
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
        else if code == EACCES || code == EROFS { hint = "; make the folder writable, the file is written on the next cycle" }
        return "cannot \(operation) \(path): \(detail)\(hint)"
    }
}
