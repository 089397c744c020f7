import OrderImport

/// Safe pickup of files that SFTP clients may still be writing.
public struct InboxSettings: Sendable, Hashable {
    /// Seconds between polls of the inbox by `orderflow run` (100 ms to 24 h).
    public var pollInterval: Double = 2
    /// A file is taken once unchanged (size and modification time) for this many seconds (0 to 24 h).
    public var settle: Double = 2
    /// Name patterns of files being written (never taken).
    public var ignore: [String] = [".*", "*.tmp", "*.part", "*.filepart", "*.partial"]
    /// Files larger than this are rejected with a reason (bytes, more than 0).
    public var maxFileSize: Int64 = 4 << 30
    /// At most this many files per poll, oldest first (0: no cap).
    public var maxFilesPerPoll: Int = 0
    /// An empty (0-byte) file is rejected with a reason.
    public var rejectEmpty = true

    public init() {}

    /// Refuses a file these settings do not take (empty, too large) before anything reads it: the
    /// cycle's import and `mapping test` refuse the same files with the same words.
    public func admit(_ input: InputFile) throws(FileRejection) {
        if input.size == 0 && rejectEmpty {
            throw FileRejection(reason: "the file is empty (0 bytes); nothing to import")
        }
        if Int64(input.size) > maxFileSize {
            throw FileRejection(reason: "the file is \(input.size) bytes, over the limit of \(maxFileSize) bytes (inbox.max_file_size in orderflow.yaml)")
        }
    }

    /// The shortest poll interval: shorter only spins the CPU.
    public static let pollIntervalRange: ClosedRange<Double> = 0.1...86_400
    /// The settle window: 0 (take files at once) to a day.
    public static let settleRange: ClosedRange<Double> = 0...86_400
}
