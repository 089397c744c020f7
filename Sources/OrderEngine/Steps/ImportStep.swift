import Foundation
import OrderImport
import OrderInbox
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
        /// Rows left out by mappings' `skip_when:` (shown only when there are some).
        var skipped = 0
        /// Files found changed under their import: rolled back and put back to wait.
        var changed = 0
    }

    /// A file written to while it was imported (a writer that still had it open).
    struct FileChanged: Error {
        var before: FileIdentity
        var after: FileIdentity?
    }

    public func run(_ context: CycleContext) throws -> StepReport {
        let inbox = Inbox(folders: context.engine.home.inboxFolders)
        let settings = context.engine.config.inbox
        var tally = Tally()
        var warnings: [String] = []
        let scan = inbox.scan(mappings, settings: settings, fileClock: context.options.fileClock, observations: context.options.observations)
        for oddity in scan.oddities {
            let moved = inbox.setAside(oddity.url, folder: oddity.folder, reason: oddity.reason)
            try notice(oddity.url.path, moved ? oddity.reason + "; moved to failed/\(oddity.folder)/ unread" : oddity.reason + "; it cannot be moved, so it is left and ignored", context)
        }
        for item in scan.unmapped { try notice(item.url.path, item.reason, context) }
        for url in scan.heldOpen {
            context.logger.debug("file waits: a process holds it open for writing", metadata: ["file.path": "\(url.path)"])
        }
        // Files an interrupted run left claimed go first within their feed; master data still leads.
        // A file that crashed the engine is set aside first, so that it cannot crash it again.
        var leftovers = inbox.leftovers(mappings)
        let quarantine = CrashQuarantine(folders: context.engine.home.inboxFolders)
        if let crash = quarantine.crash() {
            if let file = leftovers.first(where: { CrashQuarantine.claimPath($0) == crash.claimPath }) {
                try setAside(file, crash: crash, inbox: inbox, context: context, tally: &tally)
                leftovers.removeAll { CrashQuarantine.claimPath($0) == crash.claimPath }
                warnings.append("\(file.mapping.inbox)/\(file.name): \(crash.reason); moved to failed/\(file.mapping.inbox)/")
            }
            quarantine.clearCrash()
        }
        for feed in Feed.allCases {
            for file in leftovers where file.mapping.feed == feed {
                if context.options.stop?.isStopped == true { break }
                do { try process(file, inbox: inbox, context: context, tally: &tally) }
                catch is EngineStopping { break }
                catch { stuck(file.url.path, error, context, &warnings) }
            }
            for candidate in scan.ready where candidate.mapping.feed == feed {
                if context.options.stop?.isStopped == true { break }
                // Once claimed, the file is where any report must point (and where the next poll finds it).
                var claimed: URL?
                do {
                    guard let file = try inbox.claim(candidate, sequence: context.now) else { continue }
                    claimed = file.url
                    context.options.observations?.forget(candidate.url.path)
                    if candidate.mapping.doneMarker { inbox.removeMarker(for: candidate) }
                    context.logger.info("file taken", metadata: ["file.name": "\(candidate.mapping.inbox)/\(candidate.name)",
                                                                 "file.mapping": "\(candidate.mapping.file)"])
                    try process(file, inbox: inbox, context: context, tally: &tally)
                } catch is EngineStopping {
                    break
                } catch {
                    stuck((claimed ?? candidate.url).path, error, context, &warnings)
                }
            }
        }
        var report = StepReport(step: name, ["files": tally.files, "records": tally.records, "rejected": tally.rejected,
                                             "duplicates": tally.duplicates, "failed files": tally.failed, "waiting": scan.waiting + tally.changed],
                                warnings: warnings)
        if tally.skipped > 0 { report.counts.insert(.init(name: "skipped", value: tally.skipped), at: 3) }
        return report
    }

    func log(_ error: any Error, _ path: String, _ context: CycleContext) {
        context.logger.error("file not processed; it stays where it is and is retried on the next poll",
                             metadata: ["file.path": "\(path)", "error": "\(error)"])
    }

    /// A file that cannot be taken or finished: reported once (an exception row, a log line, a warning of this
    /// cycle), then tried again quietly on every poll, since the cause (a full disk, a permission) may pass.
    func stuck(_ path: String, _ error: any Error, _ context: CycleContext, _ warnings: inout [String]) {
        let reason = "\(path) cannot be processed: \(error); it stays where it is and is tried again on every poll (reported once)"
        // If even the notice cannot be written (the database is failing), say it every time.
        guard (try? notice(path, reason, context)) ?? true else { return }
        log(error, path, context)
        warnings.append("\(path): \(error)")
    }

    /// Reports an inbox oddity once (an exception row and a log line), however many polls see it; true the first time.
    @discardableResult
    func notice(_ path: String, _ reason: String, _ context: CycleContext) throws -> Bool {
        let fresh = try context.store.write { tx -> Bool in
            guard try tx.noticeInboxOddity(at: path, reason: reason, now: context.now) else { return false }
            try tx.record(ExceptionNote(kind: .inbox, reason: reason), cycleID: context.cycleID)
            return true
        }
        if fresh { context.logger.warning("inbox notice", metadata: ["file.path": "\(path)", "reason": "\(reason)"]) }
        return fresh
    }

    /// Sends a file whose import crashed the engine to `failed/` with the reason (or finishes the move an
    /// outcome already committed, without reading the file again).
    func setAside(_ file: Inbox.Claimed, crash: CrashQuarantine.Crash, inbox: Inbox, context: CycleContext, tally: inout Tally) throws {
        let sourceName = "\(file.mapping.inbox)/\(file.name)"
        if let done = try context.store.sourceFile(claimName: file.claimName) {
            let outcome = done.outcome
            if outcome == .imported { try inbox.archiveUnparsed(file) } else { try inbox.fail(file, reason: done.reason ?? outcome.rawValue) }
            return
        }
        try record(file, context: context, hash: "", size: 0, outcome: .failed, reason: crash.reason, sourceName: sourceName)
        try inbox.fail(file, reason: crash.reason)
        tally.failed += 1
        context.logger.error("file set aside: it crashed the engine", metadata: [
            "file.name": "\(sourceName)", "file.claim": "\(crash.claimPath)", "reason": "\(crash.reason)",
        ])
    }

    /// The page cache while a large file imports, in MB.
    static let importCacheMB = 64

    func process(_ file: Inbox.Claimed, inbox: Inbox, context: CycleContext, tally: inout Tally) throws {
        // Until this file is done, a crash marks it to be set aside at the next start.
        let quarantine = CrashQuarantine(folders: context.engine.home.inboxFolders)
        quarantine.begin(file)
        defer { quarantine.end() }
        let sourceName = "\(file.mapping.inbox)/\(file.name)"
        // Already decided before a crash? Then only the move is left to do.
        if let done = try context.store.sourceFile(claimName: file.claimName) {
            let outcome = done.outcome
            if outcome == .imported {
                try inbox.archive(file, cardNumbers: cardNumbers(in: file))
            } else {
                try inbox.fail(file, reason: done.reason ?? outcome.rawValue)
            }
            return
        }
        let input: InputFile
        do throws(FileRejection) {
            input = try InputFile(path: file.url.path)
            try context.engine.config.inbox.admit(input)
        } catch {
            try record(file, context: context, hash: "", size: 0, outcome: .failed, reason: error.reason, sourceName: sourceName)
            // Said like any other outcome: a line in the cycle's output, a line in the log.
            context.observer?.started(file: sourceName, bytes: 0)
            context.observer?.finished(file: sourceName, records: 0, rejected: 0, outcome: "failed: \(error.reason)")
            context.logger.warning("file failed", metadata: ["file.name": "\(sourceName)", "reason": "\(error.reason)"])
            try inbox.fail(file, reason: error.reason)
            tally.failed += 1
            return
        }
        let hash = input.sha256()
        if let earlier = try context.store.importedSourceFile(contentHash: hash) {
            let name = earlier.name, at = earlier.processedAt
            // Identical to an earlier file only if nothing was written to it since it was hashed.
            if FileIdentity(path: file.url.path) != input.identity {
                _ = inbox.putBack(file)
                tally.changed += 1
                return
            }
            let reason = "identical content to \(name), imported at \(at); not imported again"
            try record(file, context: context, hash: hash, size: input.size, outcome: .duplicate, reason: reason,
                       sourceName: sourceName, exceptionKind: .duplicateFile)
            try inbox.fail(file, reason: reason)
            context.observer?.started(file: sourceName, bytes: input.size)
            context.observer?.finished(file: sourceName, records: 0, rejected: 0, outcome: "duplicate: \(reason)")
            context.logger.warning("file duplicate", metadata: ["file.name": "\(sourceName)", "reason": "\(reason)"])
            tally.duplicates += 1
            return
        }
        let observer = context.observer
        observer?.started(file: sourceName, bytes: input.size)
        // An orders file commits every `importCommitInterval` (250 ms), so that an operator's command beside the engine never
        // waits long for the write lock; until its last commit the import is provisional (`ImportInProgress`)
        // and any way it ends short of that takes it back whole. Other feeds change rows in place (stock,
        // master data) and stay one transaction.
        let chunked = file.mapping.feed == .orders
        var provisional: Int64?
        do {
            // The import's transactions are its own (BEGIN, COMMIT between batches, COMMIT or ROLLBACK at the end).
            // A large file streams through a bounded cache; the rest of the cycle gets the large one back.
            let cacheMB = context.engine.config.cacheMB
            let bounded = input.size >= largeFile && cacheMB > Self.importCacheMB
            let result = try context.store.importFile(cacheMB: bounded ? Self.importCacheMB : nil, restoreCacheMB: cacheMB) { session in
                let tx = session.transaction
                let id = try tx.recordSourceFile(sourceFile(file, context: context, hash: hash, size: input.size, outcome: .imported, reason: nil))
                if chunked { try session.beginProvisional(sourceFileID: id) }
                quarantine.crashIfTestHookMatches(file)
                let importer = FileImporter(context: context, mapping: file.mapping, sourceName: sourceName, sourceFileID: id)
                let stop = context.options.stop
                var lastCommit = ContinuousClock.now
                let result = try importer.run(input, tx) {
                    observer?.progress(file: sourceName, bytesDone: $0, bytesTotal: input.size, records: $1)
                    if stop?.isStopped == true { throw EngineStopping() }
                    if chunked, ContinuousClock.now - lastCommit >= context.options.importCommitInterval {
                        provisional = id
                        try session.handOver()
                        lastCommit = .now
                    }
                }
                try tx.countSourceFile(id, records: result.records, rejected: result.rejected)
                // A writer that still had the file open may have added to it since it was opened and hashed:
                // then what was imported is not the file, and the whole import rolls back.
                let now = FileIdentity(path: file.url.path)
                if now != input.identity { throw FileChanged(before: input.identity, after: now) }
                if chunked { try session.finishProvisional(sourceFileID: id) }
                return result
            }
            provisional = nil
            tally.files += 1
            tally.records += result.records
            tally.rejected += result.rejected
            tally.duplicates += result.duplicates
            tally.skipped += result.skipped
            let skipped = result.skipped > 0 ? " (\(result.skipped) row\(result.skipped == 1 ? "" : "s") skipped by the mapping's skip_when)" : ""
            observer?.finished(file: sourceName, records: result.records, rejected: result.rejected, outcome: "imported" + skipped)
            context.logger.info("file imported", metadata: [
                "file.name": "\(sourceName)", "file.records": "\(result.records)", "file.rejected": "\(result.rejected)",
                "file.duplicates": "\(result.duplicates)", "file.skipped": "\(result.skipped)",
            ])
            // The import is committed; the archive must hold exactly the bytes it read.
            let now = FileIdentity(path: file.url.path)
            guard now == input.identity else {
                let reason = "the file changed after its import was committed (read: \(input.identity), now: \(now.map(\.description) ?? "gone")); "
                    + "the import of the \(input.size) bytes read (sha256 \(hash)) stands; this is the file as it is now, with what was written since"
                try context.store.write { tx in
                    try tx.record(ExceptionNote(kind: .failedFile, reason: reason, sourceFile: sourceName), cycleID: context.cycleID)
                }
                context.logger.error("file changed after import", metadata: ["file.name": "\(sourceName)", "reason": "\(reason)"])
                try inbox.fail(file, reason: reason)
                return
            }
            try inbox.archive(file, cardNumbers: result.cardNumbers)
        } catch let change as FileChanged {
            // Rolled back: the file goes back to its inbox folder, to settle and be taken whole later.
            try rollBack(provisional, context: context)
            let back = inbox.putBack(file)
            observer?.finished(file: sourceName, records: 0, rejected: 0, outcome: "changed while imported; rolled back")
            context.logger.warning("file changed while it was imported; the import is rolled back and the file is taken again later",
                                   metadata: ["file.name": "\(sourceName)", "file.read": "\(change.before)",
                                              "file.now": "\(change.after.map(\.description) ?? "gone")",
                                              "file.path": "\(back ? "inbox/\(sourceName)" : file.url.path)"])
            tally.changed += 1
        } catch let rejection as FileRejection {
            try rollBack(provisional, context: context)
            try record(file, context: context, hash: hash, size: input.size, outcome: .failed, reason: rejection.reason,
                       sourceName: sourceName)
            observer?.finished(file: sourceName, records: 0, rejected: 0, outcome: "failed: \(rejection.reason)")
            context.logger.warning("file failed", metadata: ["file.name": "\(sourceName)", "reason": "\(rejection.reason)"])
            try inbox.fail(file, reason: rejection.reason)
            tally.failed += 1
        } catch {
            // Stopped, or a failure of the database or the disk: what was committed is taken back now (or, if
            // that fails too, at the start of the next cycle), and the file stays in processing/ to be imported again.
            try? rollBack(provisional, context: context)
            throw error
        }
    }

    /// Takes back the committed part of an import that did not finish.
    func rollBack(_ sourceFileID: Int64?, context: CycleContext) throws {
        guard let sourceFileID else { return }
        try context.store.takeBackImport(sourceFileID: sourceFileID)
    }

    /// Card numbers in a file's card field, re-read when an archive move is finished after a crash.
    func cardNumbers(in file: Inbox.Claimed) throws -> Set<String> {
        guard file.mapping.feed == .orders else { return [] }
        let input = try InputFile(path: file.url.path)
        var found: Set<String> = []
        let index = Feed.orders.index(of: "card_number")
        _ = try? FeedReader(mapping: file.mapping).read(input) { record in
            switch record {
            case .success(let r): FileImporter.cardNumbers(in: r, cardIndex: index, into: &found)
            case .failure(let rejection): if let digits = rejection.cardDigits { found.insert(digits) }
            }
        }
        return found
    }

    func record(_ file: Inbox.Claimed, context: CycleContext, hash: String, size: Int, outcome: SourceFileOutcome, reason: String,
                sourceName: String, exceptionKind: ExceptionKind = .failedFile) throws {
        try context.store.write { tx in
            _ = try tx.recordSourceFile(sourceFile(file, context: context, hash: hash, size: size, outcome: outcome, reason: reason))
            try tx.record(ExceptionNote(kind: exceptionKind, reason: reason, sourceFile: sourceName), cycleID: context.cycleID)
        }
    }

    /// The row that records a claimed file's outcome in this cycle.
    func sourceFile(_ file: Inbox.Claimed, context: CycleContext, hash: String, size: Int, outcome: SourceFileOutcome, reason: String?) -> SourceFileRecord {
        SourceFileRecord(feed: file.mapping.feed.rawValue, mapping: file.mapping.name, name: "\(file.mapping.inbox)/\(file.name)",
                         claimName: file.claimName, contentHash: hash, size: size, outcome: outcome, reason: reason,
                         processedAt: context.now.description, cycleID: context.cycleID)
    }
}
