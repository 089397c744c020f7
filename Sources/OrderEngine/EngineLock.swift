import Foundation
import OrderModel
import OrderInbox
#if canImport(Glibc)
import Glibc
#endif

/// One engine per home: an advisory lock on `.orderflow.lock` that the kernel drops when the process dies.
public final class EngineLock: @unchecked Sendable {
    private let fd: Int32

    /// Takes the lock, or throws a message naming the holder when another engine has it.
    public init(home: Home) throws {
        fd = open(home.lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw EngineError.locked("cannot open \(home.lockFile.path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = pread(fd, &buffer, 64, 0)
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "?" : "?"
            close(fd)
            throw EngineError.locked("another orderflow engine (pid \(holder)) is running on \(home.root.path); wait for it to finish or stop it")
        }
        Self.stamp(fd)
    }

    /// Writes the holder's pid and start time (real time, ISO 8601) into the lock file, for `status`.
    static func stamp(_ fd: Int32) {
        ftruncate(fd, 0)
        let text = "\(getpid())\n\(Timestamp(Date()).description)\n"
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// Who holds a home's lock, if anyone: the pid and start time it wrote. Opens the file only if it exists
    /// and takes no lock of its own that an engine could trip over for longer than a test of it.
    public static func holder(of home: Home) -> (pid: Int32, since: String?)? {
        let fd = open(home.lockFile.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = pread(fd, &buffer, 128, 0)
        let lines = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).split(separator: "\n").map(String.init) : []
        return (Int32(lines.first ?? "") ?? 0, lines.count > 1 ? lines[1] : nil)
    }

    private init(fd: Int32) { self.fd = fd }

    /// Waits (a standby engine) until the home's lock is free, then takes it; nil if `stop` is set first.
    public static func wait(home: Home, stop: StopToken) throws -> EngineLock? {
        let fd = open(home.lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw EngineError.locked("cannot open \(home.lockFile.path): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if stop.isStopped { close(fd); return nil }
            usleep(200_000)
        }
        stamp(fd)
        return EngineLock(fd: fd)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
