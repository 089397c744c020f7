import Foundation
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
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            close(fd)
            throw EngineError.locked("another orderflow engine (pid \(holder)) is running on \(home.root.path); wait for it to finish or stop it")
        }
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
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
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        return EngineLock(fd: fd)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
