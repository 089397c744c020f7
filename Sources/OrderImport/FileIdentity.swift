#if canImport(Glibc)
import Glibc
#endif

/// What the kernel says about a file's content without reading it: which file it is, its size, and when its
/// data and its inode last changed.
///
/// Two equal identities mean the bytes did not change in between: every write moves the change time (`ctime`),
/// which, unlike the modification time, no client can set back. An import compares the identity it read the
/// file under with the file's identity when it is done, so what is archived is exactly what was imported.
public struct FileIdentity: Hashable, Sendable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modified: timespec
    public var changed: timespec

    public init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim
        changed = info.st_ctim
    }

    /// The identity of the file at `path` (not following a link), or nil if it is gone.
    public init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    public static func == (a: FileIdentity, b: FileIdentity) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size
            && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
            && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(device)
        hasher.combine(inode)
        hasher.combine(size)
    }

    public var description: String { "\(size) bytes, modified \(modified.tv_sec).\(modified.tv_nsec)" }
}
