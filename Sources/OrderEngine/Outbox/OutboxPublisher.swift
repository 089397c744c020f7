import Foundation
import GRDB
import OrderExport

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

    func publishPending() -> Result {
        var result = Result()
        let writer = AtomicFileWriter()
        let outbox = context.engine.home.outbox
        removeStaleTemporaries(in: outbox)
        do {
            let pending = try context.db.read { db in
                try Row.fetchAll(db, sql: "SELECT id, folder, name FROM outbox_file WHERE written_at IS NULL ORDER BY id")
            }
            for row in pending {
                let id: Int64 = row["id"], folder: String = row["folder"], name: String = row["name"]
                do {
                    let content = try context.db.read { db in
                        try [UInt8](Data.fetchOne(db, sql: "SELECT content FROM outbox_file WHERE id = ?", arguments: [id]) ?? Data())
                    }
                    try writer.write(content, to: outbox.appendingPathComponent(folder, isDirectory: true), name: name)
                    // The file is the record now; the stored copy is dropped to keep the database small.
                    try context.db.write { db in
                        try db.execute(sql: "UPDATE outbox_file SET written_at = ?, content = X'' WHERE id = ?",
                                       arguments: [context.engine.clock.now.description, id])
                    }
                    result.written += 1
                    context.engine.logger.info("output written", metadata: ["output.folder": "\(folder)", "output.name": "\(name)",
                                                                           "output.bytes": "\(content.count)"])
                } catch {
                    result.failures.append("outbox/\(folder)/\(name): \(error)")
                    context.engine.logger.error("output not written; it stays pending and is written on the next cycle",
                                                metadata: ["output.folder": "\(folder)", "output.name": "\(name)", "error": "\(error)"])
                }
            }
        } catch {
            result.failures.append("cannot read pending outbox files: \(error)")
        }
        return result
    }

    /// Removes temporary files a killed writer left (`.NAME.PID.tmp`); the engine holds the home's lock,
    /// so no other writer can own them. Their documents are still pending and are written again.
    func removeStaleTemporaries(in outbox: URL) {
        let fm = FileManager.default
        for folder in (try? fm.contentsOfDirectory(atPath: outbox.path)) ?? [] {
            let url = outbox.appendingPathComponent(folder)
            for name in (try? fm.contentsOfDirectory(atPath: url.path)) ?? [] where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                try? fm.removeItem(at: url.appendingPathComponent(name))
            }
        }
    }
}
