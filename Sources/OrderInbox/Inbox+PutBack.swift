import Foundation
import OrderExport
#if canImport(Glibc)
import Glibc
#endif

extension Inbox {
    /// Puts a claimed file back into its inbox folder under the name it was dropped with, after its import was
    /// rolled back because the file changed under it. There it must settle again (and be closed by its writer)
    /// before it is taken, whole.
    ///
    /// `link` then `unlink`, never `rename`: a new file dropped under the same name meanwhile is never
    /// replaced. When the name is taken (or the link fails), the file stays in `processing/` and the next
    /// poll imports it again from there. Returns whether it went back.
    public func putBack(_ file: Claimed) -> Bool {
        let folder = folders.inbox.appendingPathComponent(file.mapping.inbox, isDirectory: true)
        let target = folder.appendingPathComponent(file.name)
        guard link(file.url.path, target.path) == 0 else { return false }
        unlink(file.url.path)
        forgetOriginalName(of: file)
        AtomicFileWriter.syncFolder(folder)
        AtomicFileWriter.syncFolder(file.url.deletingLastPathComponent())
        return true
    }
}
