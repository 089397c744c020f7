import Foundation
import GRDB
import OrderImport
import OrderModel
import OrderStore

/// Step 1: import every file waiting in the inbox folders, each in its own transaction.
///
/// Order of work: files an interrupted run left in `processing/`, then the inbox,
/// master data before orders and receipts, oldest first within a feed.
public struct ImportStep: CycleStep {
    public let name = "import"
    public let mappings: [Mapping]
    /// From this size (bytes) a file imports with the smaller cache (`importCacheMB`). A small file keeps
    /// the large one: lowering it would drop the pages the rest of the cycle is about to read again.
    public var largeFile: Int

    public init(mappings: [Mapping], largeFile: Int = 32 << 20) {
        self.mappings = mappings
        self.largeFile = largeFile
    }

    struct Tally {
        var files = 0, records = 0, rejected = 0, duplicates = 0, failed = 0
    }

    public func run(_ context: CycleContext) throws -> StepReport {
        let inbox = Inbox(home: context.engine.home)
        let settings = context.engine.config.inbox
        var tally = Tally()
        var warnings: [String] = []
        let scan = inbox.scan(mappings, settings: settings, now: context.now, observations: context.options.observations)
        for oddity in scan.oddities {
            let moved = inbox.setAside(oddity.url, folder: oddity.folder, reason: oddity.reason)
            try notice(oddity.url.path, moved ? oddity.reason + "; moved to failed/\(oddity.folder)/ unread" : oddity.reason + "; it cannot be moved, so it is left and ignored", context)
        }
        for item in scan.unmapped { try notice(item.url.path, item.reason, context) }
        // Files an interrupted run left claimed go first within their feed; master data still leads.
        let leftovers = inbox.leftovers(mappings)
        for feed in Feed.allCases {
            for file in leftovers where file.mapping.feed == feed {
                if context.options.stop?.isStopped == true { break }
                do { try process(file, inbox: inbox, context: context, tally: &tally) }
                catch is EngineStopping { break }
                catch { warnings.append("\(file.url.path): \(error)"); log(error, file.url.path, context) }
            }
            for candidate in scan.ready where candidate.mapping.feed == feed {
                if context.options.stop?.isStopped == true { break }
                do {
                    guard let file = try inbox.claim(candidate, sequence: context.now) else { continue }
                    context.options.observations?.forget(candidate.url.path)
                    if candidate.mapping.doneMarker { inbox.removeMarker(for: candidate) }
                    context.logger.info("file taken", metadata: ["file.name": "\(candidate.mapping.inbox)/\(candidate.name)",
                                                                 "file.mapping": "\(candidate.mapping.file)"])
                    try process(file, inbox: inbox, context: context, tally: &tally)
                } catch is EngineStopping {
                    break
                } catch {
                    warnings.append("\(candidate.url.path): \(error)")
                    log(error, candidate.url.path, context)
                }
            }
        }
        return StepReport(step: name, ["files": tally.files, "records": tally.records, "rejected": tally.rejected,
                                       "duplicates": tally.duplicates, "failed files": tally.failed, "waiting": scan.waiting],
                          warnings: warnings)
    }

    func log(_ error: any Error, _ path: String, _ context: CycleContext) {
        context.logger.error("file not processed; it stays where it is and is retried on the next poll",
                             metadata: ["file.path": "\(path)", "error": "\(error)"])
    }

    /// Reports an inbox oddity once (an exception row and a log line), however many polls see it.
    func notice(_ path: String, _ reason: String, _ context: CycleContext) throws {
        let fresh = try context.db.write { db -> Bool in
            try db.execute(sql: "INSERT OR IGNORE INTO inbox_notice (path, reason, at) VALUES (?, ?, ?)",
                           arguments: [path, reason, context.now.description])
            guard db.changesCount > 0 else { return false }
            try ExceptionEntry(kind: "inbox", reason: reason).insert(db, cycleID: context.cycleID)
            return true
        }
        if fresh { context.logger.warning("inbox notice", metadata: ["file.path": "\(path)", "reason": "\(reason)"]) }
    }

    /// The page cache while a large file imports, in MB.
    static let importCacheMB = 64

    func process(_ file: Inbox.Claimed, inbox: Inbox, context: CycleContext, tally: inout Tally) throws {
        let sourceName = "\(file.mapping.inbox)/\(file.name)"
        // Already decided before a crash? Then only the move is left to do.
        if let done = try context.db.read({ db in
            try Row.fetchOne(db, sql: "SELECT outcome, reason FROM source_file WHERE claim_name = ?", arguments: [file.claimName])
        }) {
            let outcome: String = done["outcome"]
            if outcome == "imported" {
                try inbox.archive(file, cardNumbers: cardNumbers(in: file))
            } else {
                try inbox.fail(file, reason: done["reason"] ?? outcome)
            }
            return
        }
        let input: InputFile
        do throws(FileRejection) {
            input = try InputFile(path: file.url.path)
            let settings = context.engine.config.inbox
            if input.size == 0 && settings.rejectEmpty {
                throw FileRejection(reason: "the file is empty (0 bytes); nothing to import")
            }
            if Int64(input.size) > settings.maxFileSize {
                throw FileRejection(reason: "the file is \(input.size) bytes, over the limit of \(settings.maxFileSize) bytes (inbox.max_file_size in orderflow.yaml)")
            }
        } catch {
            try record(file, context: context, hash: "", size: 0, outcome: "failed", reason: error.reason, sourceName: sourceName)
            try inbox.fail(file, reason: error.reason)
            tally.failed += 1
            return
        }
        let hash = input.sha256()
        if let earlier = try context.db.read({ db in
            try Row.fetchOne(db, sql: "SELECT name, processed_at FROM source_file WHERE content_hash = ? AND outcome = 'imported'",
                             arguments: [hash])
        }) {
            let name: String = earlier["name"], at: String = earlier["processed_at"]
            let reason = "identical content to \(name), imported at \(at); not imported again"
            try record(file, context: context, hash: hash, size: input.size, outcome: "duplicate", reason: reason,
                       sourceName: sourceName, exceptionKind: "duplicate-file")
            try inbox.fail(file, reason: reason)
            context.logger.warning("file duplicate", metadata: ["file.name": "\(sourceName)", "reason": "\(reason)"])
            tally.duplicates += 1
            return
        }
        let observer = context.observer
        observer?.started(file: sourceName, bytes: input.size)
        do {
            let result = try context.db.write { db -> FileImporter.Result in
                // A large file streams through a bounded cache; the rest of the cycle gets the large one back.
                let cacheMB = context.engine.config.cacheMB
                let bounded = input.size >= largeFile && cacheMB > Self.importCacheMB
                if bounded { try OrderDatabase.useCache(db, megabytes: Self.importCacheMB) }
                defer { if bounded { try? OrderDatabase.useCache(db, megabytes: cacheMB) } }
                let id = try insertSourceFile(db, file, context: context, hash: hash, size: input.size, outcome: "imported", reason: nil)
                let importer = FileImporter(context: context, mapping: file.mapping, sourceName: sourceName, sourceFileID: id)
                let stop = context.options.stop
                let result = try importer.run(input, db) {
                    observer?.progress(file: sourceName, bytesDone: $0, bytesTotal: input.size, records: $1)
                    if stop?.isStopped == true { throw EngineStopping() }
                }
                try db.execute(sql: "UPDATE source_file SET records = ?, rejected = ? WHERE id = ?",
                               arguments: [result.records, result.rejected, id])
                return result
            }
            tally.files += 1
            tally.records += result.records
            tally.rejected += result.rejected
            tally.duplicates += result.duplicates
            observer?.finished(file: sourceName, records: result.records, rejected: result.rejected, outcome: "imported")
            context.logger.info("file imported", metadata: [
                "file.name": "\(sourceName)", "file.records": "\(result.records)", "file.rejected": "\(result.rejected)",
                "file.duplicates": "\(result.duplicates)",
            ])
            try inbox.archive(file, cardNumbers: result.cardNumbers)
        } catch let rejection as FileRejection {
            try record(file, context: context, hash: hash, size: input.size, outcome: "failed", reason: rejection.reason,
                       sourceName: sourceName)
            observer?.finished(file: sourceName, records: 0, rejected: 0, outcome: "failed: \(rejection.reason)")
            context.logger.warning("file failed", metadata: ["file.name": "\(sourceName)", "reason": "\(rejection.reason)"])
            try inbox.fail(file, reason: rejection.reason)
            tally.failed += 1
        }
    }

    /// Card numbers in a file's card field, re-read when an archive move is finished after a crash.
    func cardNumbers(in file: Inbox.Claimed) throws -> Set<String> {
        guard file.mapping.feed == .orders else { return [] }
        let input = try InputFile(path: file.url.path)
        var found: Set<String> = []
        let index = Feed.orders.index(of: "card_number")
        try? FeedReader(mapping: file.mapping).read(input) { record in
            switch record {
            case .success(let r): FileImporter.cardNumbers(in: r, cardIndex: index, into: &found)
            case .failure(let rejection): if let digits = rejection.cardDigits { found.insert(digits) }
            }
        }
        return found
    }

    func record(_ file: Inbox.Claimed, context: CycleContext, hash: String, size: Int, outcome: String, reason: String,
                sourceName: String, exceptionKind: String = "failed-file") throws {
        try context.db.write { db in
            _ = try insertSourceFile(db, file, context: context, hash: hash, size: size, outcome: outcome, reason: reason)
            try ExceptionEntry(kind: exceptionKind, reason: reason, sourceFile: sourceName).insert(db, cycleID: context.cycleID)
        }
    }

    func insertSourceFile(_ db: Database, _ file: Inbox.Claimed, context: CycleContext, hash: String, size: Int,
                          outcome: String, reason: String?) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO source_file (feed, mapping, name, claim_name, content_hash, size, outcome, reason, processed_at, cycle_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [file.mapping.feed.rawValue, file.mapping.name, "\(file.mapping.inbox)/\(file.name)", file.claimName,
                             hash, size, outcome, reason, context.now.description, context.cycleID])
        return db.lastInsertedRowID
    }
}
