import Foundation
import OrderExport
import OrderStore

/// Writes the outbox files that the database says are pending, then marks them written.
///
/// Documents are stored in the same transaction as the stage moves that produce them;
/// this publisher only copies them out (temporary name, fsync, link) and is safe to run
/// again after a crash at any point: a file already published with the same content counts
/// as written, and no file is written under two names.
struct OutboxPublisher {
    let context: CycleContext

    struct Result {
        var written = 0
        var failures: [String] = []
    }

    /// - Parameter recovering: the call before a cycle's first step, which writes what an interrupted run
    ///   left pending. Only then can a killed writer's temporaries lie in the outbox (a document stays
    ///   pending until its file is whole), so only then, and only if something is pending, are the outbox
    ///   folders listed for them: a cycle's cost does not grow with the files waiting for collection.
    func publishPending(recovering: Bool = false) -> Result {
        var result = Result()
        let writer = AtomicFileWriter(mode: context.engine.config.outboxMode)
        let outbox = context.engine.home.outbox
        var mark: [String: Int]? = nil
        do {
            // Read and write in slices, so a large backlog of documents never sits in memory at once.
            var first = true
            while true {
                var pending = try context.store.pendingOutboxFiles(limit: 500)
                guard !pending.isEmpty else { break }
                if first, recovering { removeStaleTemporaries(in: outbox) }
                first = false
                do {
                    try OutboxSequence.HighWater.raise(toCover: pending.compactMap(OutboxSequence.numbered), in: outbox, known: &mark)
                } catch {
                    // Written above an unrecorded mark, a file's number could be handed out again by a restored database.
                    result.failures.append("outbox/\(OutboxSequence.HighWater.name) cannot be written (\(error)); outputs stay pending")
                    context.engine.logger.error("outputs not written: the outbox's number mark cannot be written; they stay pending",
                                                metadata: ["error": "\(error)"])
                    break
                }
                // Each document's stored copy is let go as it is turned into bytes to write: a large pick list is not held twice.
                let files = pending.indices.map { i in
                    defer { pending[i].content = Data() }
                    return (folder: outbox.appendingPathComponent(pending[i].folder, isDirectory: true), name: pending[i].name,
                            bytes: [UInt8](pending[i].content))
                }
                let failures = writer.writeBatch(files, within: outbox)
                var written: [Int64] = []
                var conflicts: [(id: Int64, reason: String)] = []
                for (i, file) in pending.enumerated() {
                    let folder = file.folder, name = file.name, id = file.id ?? 0
                    if let error = failures[i], error.code == EEXIST, error.operation == "publish",
                       let reason = setAside(files[i].bytes, folder: folder, name: name) {
                        // Another file already has this name: retrying would fail on every cycle for ever.
                        conflicts.append((id, reason))
                        result.failures.append(reason)
                        context.engine.logger.error("output set aside", metadata: ["output.folder": "\(folder)", "output.name": "\(name)",
                                                                                    "reason": "\(reason)"])
                    } else if let error = failures[i] {
                        result.failures.append("outbox/\(folder)/\(name): \(error)")
                        context.engine.logger.error("output not written; it stays pending and is written on the next cycle",
                                                    metadata: ["output.folder": "\(folder)", "output.name": "\(name)", "error": "\(error)"])
                    } else {
                        written.append(id)
                        context.engine.logger.info("output written", metadata: ["output.folder": "\(folder)", "output.name": "\(name)",
                                                                               "output.bytes": "\(files[i].bytes.count)"])
                    }
                }
                // The file is the record now; the stored copy is dropped to keep the database small.
                let now = context.engine.clock.now
                try context.store.write { tx in
                    for id in written { try tx.markOutboxFileWritten(id, at: now) }
                    for conflict in conflicts {
                        try tx.markOutboxFileWritten(conflict.id, at: now)
                        try tx.record(ExceptionNote(kind: .outboxConflict, reason: conflict.reason), cycleID: context.cycleID)
                    }
                }
                result.written += written.count
                if written.count + conflicts.count < pending.count { break }
            }
        } catch {
            result.failures.append("cannot read pending outbox files: \(error)")
        }
        return result
    }

    /// Keeps a document whose outbox name another file already has in `failed/outbox/FOLDER/`, never
    /// overwriting either; returns the reason to report, or nil if it cannot be kept there (it then stays pending).
    func setAside(_ bytes: [UInt8], folder: String, name: String) -> String? {
        let target = context.engine.home.failed.appendingPathComponent("outbox", isDirectory: true).appendingPathComponent(folder, isDirectory: true)
        var kept = name
        if FileManager.default.fileExists(atPath: target.appendingPathComponent(kept).path) {
            kept = "\(UUID().uuidString.prefix(8).lowercased())-\(name)"
        }
        do { try AtomicFileWriter().write(bytes, to: target, name: kept) } catch { return nil }
        return "outbox/\(folder)/\(name) already exists with different content (not written by this database); "
            + "this document was kept as failed/outbox/\(folder)/\(kept) instead: compare the two and deliver it by hand"
    }

    /// Removes temporary files a killed writer left (`.NAME.PID.tmp`, in the folders and beside them); the engine holds the home's lock,
    /// so no other writer can own them. Their documents are still pending and are written again.
    /// A folder that is a symbolic link is left alone: nothing is removed through a link.
    func removeStaleTemporaries(in outbox: URL) {
        let fm = FileManager.default
        func isLink(_ url: URL) -> Bool {
            var info = stat()
            return lstat(url.path, &info) != 0 || (info.st_mode & S_IFMT) == S_IFLNK
        }
        guard !isLink(outbox) else { return }
        /// A folder's temporaries, and those of the folders below it: an output mapping may write into
        /// folders of its own (`purchase-orders/S1/`). The number mark's temporary lies beside the folders.
        func sweep(_ folder: URL, depth: Int) {
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let url = folder.appendingPathComponent(name)
                if isLink(url) { continue }
                if name.hasPrefix(".") && name.hasSuffix(".tmp") {
                    try? fm.removeItem(at: url)
                } else if depth < 8, (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                    sweep(url, depth: depth + 1)
                }
            }
        }
        sweep(outbox, depth: 0)
    }
}
