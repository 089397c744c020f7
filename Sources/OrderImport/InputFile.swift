import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An input file mapped read-only into memory, whose pages can be handed back as reading moves on.
///
/// Mapping avoids a copy; dropping the pages already read (`madvise(DONTNEED)`) keeps the
/// resident size flat however large the file, which is what lets a 1 GB order file import
/// in a few megabytes of memory.
public final class InputFile: @unchecked Sendable {
    public let path: String
    public let size: Int
    /// The file as it was opened: compared again after the import to prove nothing was written meanwhile.
    public let identity: FileIdentity
    private let base: UnsafeMutableRawPointer?
    private var released = 0
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    public init(path: String) throws(FileRejection) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw FileRejection(reason: "cannot open the file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileRejection(reason: "cannot read the file's size: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileRejection(reason: "not a regular file") }
        size = Int(info.st_size)
        identity = FileIdentity(info)
        if size == 0 {
            base = nil
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw FileRejection(reason: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        madvise(p, size, MADV_SEQUENTIAL)
        base = p
    }

    deinit {
        if let base { munmap(base, size) }
    }

    /// The whole file's bytes; valid while this object lives.
    public var bytes: UnsafeBufferPointer<UInt8> {
        guard let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
    }

    /// Hands back the pages before `offset` (they are read again from disk if touched later).
    public func release(upTo offset: Int) {
        guard let base else { return }
        let end = (min(offset, size) / Self.pageSize) * Self.pageSize
        guard end > released else { return }
        madvise(base + released, end - released, MADV_DONTNEED)
        released = end
    }

    /// Makes the whole file readable again from the start (after a first pass such as hashing).
    public func rewind() { released = 0 }

    /// SHA-256 of the content, reading in slices and releasing them as it goes.
    public func sha256() -> String {
        var hasher = SHA256()
        let all = bytes
        var offset = 0
        let slice = 8 << 20
        while offset < all.count {
            let end = min(offset + slice, all.count)
            hasher.update(UnsafeBufferPointer(rebasing: all[offset..<end]))
            release(upTo: end)
            offset = end
        }
        rewind()
        return hasher.finalizeHex()
    }
}
