import Foundation
import OrderModel
import OrderStore

/// Is the engine well: running or not, its last good cycle and last failure, files waiting, stuck or failed.
///
/// Read by `status` beside (or without) a running engine. The pid and start time come from the lock file the
/// engine holds; the cycles and failures from the database; the files from the home's folders, by their
/// real modification times (physical facts, not the engine's business clock).
public struct EngineHealth: Codable, Sendable {
    public var running: Bool
    public var pid: Int32?
    /// When the running engine started (real time).
    public var since: String?
    public var lastGoodCycle: Cycle?
    public var lastFailure: Failure?
    /// Files in the inbox's feed folders, not yet taken.
    public var filesWaiting: Int
    /// Files claimed into processing/: one being imported while the engine runs; stuck when it does not.
    public var filesInProcessing: Int
    /// Files moved to failed/ since `failedSince`.
    public var filesFailed: Int
    /// Runs (of jobs, or rejected configuration edits) that failed since `failedSince`.
    public var runsFailed: Int
    public var failedSince: String

    public struct Cycle: Codable, Sendable, Hashable {
        public var id: Int64
        public var startedAt: String
        public var finishedAt: String?
        enum CodingKeys: String, CodingKey { case id, startedAt = "started_at", finishedAt = "finished_at" }
    }

    public struct Failure: Codable, Sendable, Hashable {
        public var job: String
        public var at: String
        public var error: String
    }

    enum CodingKeys: String, CodingKey {
        case running, pid, since, lastGoodCycle = "last_good_cycle", lastFailure = "last_failure", filesWaiting = "files_waiting",
             filesInProcessing = "files_in_processing", filesFailed = "files_failed", runsFailed = "runs_failed",
             failedSince = "failed_since"
    }

    /// Reads the health of `home`; `database` may be nil when it cannot be opened (then only files and lock).
    public static func read(home: Home, database: OrderDatabase?, failedSince: Timestamp) throws -> EngineHealth {
        let holder = EngineLock.holder(of: home)
        var health = EngineHealth(running: holder != nil, pid: holder?.pid, since: holder?.since, lastGoodCycle: nil, lastFailure: nil,
                                  filesWaiting: countFiles(in: home.inbox), filesInProcessing: countFiles(in: home.processing),
                                  filesFailed: countFiles(in: home.failed, suffix: ".reason.txt", since: failedSince),
                                  runsFailed: 0, failedSince: failedSince.description)
        guard let database else { return health }
        let record = try database.runRecord(failedSince: failedSince)
        health.lastGoodCycle = record.lastGoodCycle.map { Cycle(id: $0.id, startedAt: $0.startedAt, finishedAt: $0.finishedAt) }
        health.lastFailure = record.lastFailure.map { Failure(job: $0.job, at: $0.at, error: $0.error) }
        health.runsFailed = record.runsFailed
        return health
    }

    /// Regular files in `folder`'s subfolders (one level, as the feeds lay them out), hidden ones left out.
    static func countFiles(in folder: URL, suffix: String? = nil, since: Timestamp? = nil) -> Int {
        let fm = FileManager.default
        guard let feeds = try? fm.contentsOfDirectory(atPath: folder.path) else { return 0 }
        var count = 0
        for feed in feeds where !feed.hasPrefix(".") {
            let dir = folder.appendingPathComponent(feed).path
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in names where !name.hasPrefix(".") && (suffix.map { name.hasSuffix($0) } ?? !name.hasSuffix(".reason.txt")) {
                var info = stat()
                guard lstat(dir + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                if let since, Int64(info.st_mtim.tv_sec) < since.secondsSinceEpoch { continue }
                count += 1
            }
        }
        return count
    }
}
