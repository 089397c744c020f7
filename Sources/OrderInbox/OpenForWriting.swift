import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which inbox files some process still holds open for writing: the `/proc/*/fd` scan that `fuser` does.
///
/// A settle window alone is a guess: an SFTP upload that pauses longer than it, with the file still open,
/// was taken part-way. The kernel knows better: a file some process has open with write access is not
/// finished, whatever its age. The scan is one pass over `/proc` per poll for all candidate files together,
/// comparing device and inode (not names, which a rename or a bind mount changes); only a descriptor that
/// names a candidate file costs a read of its `fdinfo` flags. Processes that cannot be inspected (another
/// user's, without the privilege) are skipped, so the settle window still stands behind it.
public struct OpenForWriting {
    /// A file as the kernel knows it.
    public struct FileID: Hashable, Sendable {
        public var device: UInt64
        public var inode: UInt64
    }

    /// Where the process table is mounted (`/proc` on Linux).
    public var proc = "/proc"

    public init(proc: String = "/proc") { self.proc = proc }

    /// The subset of `files` that some process (this one included) has open with write access.
    public func held(among files: Set<FileID>) -> Set<FileID> {
        #if os(Linux)
        guard !files.isEmpty, let processes = opendir(proc) else { return [] }
        defer { closedir(processes) }
        var held: Set<FileID> = []
        while let entry = readdir(processes) {
            guard let pid = Self.number(entry) else { continue }
            let fdPath = "\(proc)/\(pid)/fd"
            // Another user's process, or one that has just exited: skipped.
            guard let descriptors = opendir(fdPath) else { continue }
            let folder = dirfd(descriptors)
            while let fdEntry = readdir(descriptors) {
                guard let fd = Self.number(fdEntry) else { continue }
                var info = stat()
                // stat follows the descriptor's link to the open file itself (even one renamed or deleted since).
                guard fstatat(folder, "\(fd)", &info, 0) == 0 else { continue }
                let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
                guard files.contains(id), !held.contains(id) else { continue }
                if writable(pid: pid, fd: fd, folder: folder) { held.insert(id) }
            }
            closedir(descriptors)
            if held.count == files.count { break }
        }
        return held
        #else
        return []
        #endif
    }

    /// Whether descriptor `fd` of `pid` was opened with write access (O_WRONLY or O_RDWR).
    private func writable(pid: Int, fd: Int, folder: Int32) -> Bool {
        if let flags = flags(pid: pid, fd: fd) {
            let mode = flags & Int(O_ACCMODE)
            return mode == Int(O_WRONLY) || mode == Int(O_RDWR)
        }
        // Without fdinfo, the link's own mode says it: the kernel gives it the owner's write bit for write access.
        var link = stat()
        guard fstatat(folder, "\(fd)", &link, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        return link.st_mode & S_IWUSR != 0
    }

    /// The `flags:` line of `/proc/PID/fdinfo/FD` (octal), or nil if it cannot be read.
    private func flags(pid: Int, fd: Int) -> Int? {
        let handle = open("\(proc)/\(pid)/fdinfo/\(fd)", O_RDONLY | O_CLOEXEC)
        guard handle >= 0 else { return nil }
        defer { close(handle) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(handle, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("flags:") {
            return Int(line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8)
        }
        return nil
    }

    #if os(Linux)
    /// A directory entry's name as a number (a pid or a descriptor), or nil for `.`, `..` and `self`.
    private static func number(_ entry: UnsafeMutablePointer<dirent>) -> Int? {
        withUnsafeBytes(of: entry.pointee.d_name) { raw -> Int? in
            var value = 0
            var digits = 0
            for byte in raw {
                if byte == 0 { break }
                guard byte >= 48, byte <= 57, digits < 10 else { return nil }
                value = value * 10 + Int(byte - 48)
                digits += 1
            }
            return digits > 0 ? value : nil
        }
    }
    #endif
}
