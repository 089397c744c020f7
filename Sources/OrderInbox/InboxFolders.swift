import Foundation

/// The folders a file passes through, from the drop to its end: the watcher needs these and nothing
/// else of the home.
public struct InboxFolders: Sendable {
    /// Where the legacy systems drop files (`inbox/<feed>/`).
    public var inbox: URL
    /// Where a claimed file waits while it is imported (`processing/<mapping>/`).
    public var processing: URL
    /// Where an imported file is kept, exactly the bytes imported (card numbers masked).
    public var archive: URL
    /// Where a file that could not be imported is kept, with its reason beside it.
    public var failed: URL

    public init(inbox: URL, processing: URL, archive: URL, failed: URL) {
        self.inbox = inbox; self.processing = processing; self.archive = archive; self.failed = failed
    }
}

/// A file the watcher could not claim, move or keep, in words (which file, what failed, why).
public struct InboxError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
