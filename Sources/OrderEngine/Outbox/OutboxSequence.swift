import Foundation
import OrderExport
import OrderStore

/// The outbox folders the engine writes.
public enum OutboxFolder {
    public static let pickLists = "picklists"
    public static let purchaseOrders = "purchase-orders"
    public static let exceptions = "exceptions"
    /// The folders whose files are named `PREFIX-NNNNNN…` (`PL-000041-MAIN.csv`, `PO-000007.xml`, `EX-…`, `BO-…`);
    /// a process rule's files are named `RULE-NNNNNN.csv`.
    static let numberedFirst: Set<String> = [pickLists, purchaseOrders, exceptions, "back-orders"]
}

/// A gapless sequence number per outbox folder, so a collector can see that no file is missing.
///
/// Numbers are taken inside the transaction that creates the document, so a rolled-back
/// cycle takes none and no number is used twice. The database is not the only record: the files in
/// the outbox carry their numbers too, and a new or restored database catches up with them
/// (`catchUp`), so it never hands out a number a file already has.
enum OutboxSequence {
    /// Takes the next number of `folder`'s sequence, inside the caller's write transaction.
    static func next(_ transaction: StoreTransaction, folder: String) throws -> Int {
        guard let last = try transaction.takeOutboxNumber(in: folder) else {
            throw EngineError.notPossible("the outbox sequence of \(folder) cannot be read back after it was taken; the database may be damaged")
        }
        return last
    }

    /// The highest number found in one outbox folder, and the file that carries it.
    struct Highest: Equatable {
        var number: Int
        var name: String
    }

    /// The highest number in each folder of `outbox` (dot-files, the writer's temporaries, are skipped).
    static func highest(in outbox: URL) -> [String: Highest] {
        let fm = FileManager.default
        var found: [String: Highest] = [:]
        for folder in (try? fm.contentsOfDirectory(atPath: outbox.path)) ?? [] where !folder.hasPrefix(".") {
            let names = (try? fm.contentsOfDirectory(atPath: outbox.appendingPathComponent(folder).path)) ?? []
            for name in names where !name.hasPrefix(".") {
                guard let number = number(in: name, folder: folder) else { continue }
                if number > found[folder]?.number ?? 0 { found[folder] = Highest(number: number, name: name) }
            }
        }
        return found
    }

    /// The sequence number in an outbox file's name: `PL-000041-MAIN.csv` → 41 in a built-in folder,
    /// `big-orders-000012.csv` → 12 in a rule's folder; nil for a name the engine did not give.
    static func number(in name: String, folder: String) -> Int? {
        let bytes = Array(name.utf8)
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        func value(_ digits: ArraySlice<UInt8>) -> Int? {
            guard digits.count >= 6, digits.count <= 15 else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        if OutboxFolder.numberedFirst.contains(folder) {
            // PREFIX-digits then "-" or ".".
            guard let dash = bytes.firstIndex(of: 45), dash > 0, bytes[..<dash].allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
            var end = dash + 1
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            guard end < bytes.count, bytes[end] == 45 || bytes[end] == 46 else { return nil }
            return value(bytes[(dash + 1)..<end])
        }
        // NAME-digits.ext
        guard let dot = bytes.lastIndex(of: 46) else { return nil }
        var start = dot
        while start > 0, isDigit(bytes[start - 1]) { start -= 1 }
        guard start > 0, bytes[start - 1] == 45 else { return nil }
        return value(bytes[start..<dot])
    }

    /// The number in a ref the engine gave (`PO-000007` → 7): read as a built-in file name would be.
    static func number(ofRef ref: String, sequence: String) -> Int? {
        number(in: ref + ".", folder: sequence)
    }

    /// A stored document's sequence and number: as recorded with it, or (stored before they were) as its
    /// folder and name tell; nil for a document without one.
    static func numbered(_ file: OutboxFileRecord) -> (sequence: String, number: Int)? {
        if let sequence = file.sequence, let number = file.number { return (sequence, number) }
        return number(in: file.name, folder: file.folder).map { (file.folder, $0) }
    }

    /// Raises each folder's sequence to the highest number already in the outbox, so a new or restored
    /// database never reuses a number (a pick list published twice under one name). Writes only when behind.
    ///
    /// The outbox's high-water mark (`HighWater`, kept beside the folders by the publisher) answers this
    /// without listing the folders, which hold every file the collectors have not taken (thousands): a
    /// process opening the home pays for one small file, not for the outbox's size. Without the mark (a
    /// home from before it, or someone removed it) the folders are listed once and the mark written.
    static func catchUp(_ database: OrderDatabase, outbox: URL) throws {
        let highest: [String: Int]
        if let mark = HighWater.read(in: outbox) {
            highest = mark
        } else {
            highest = self.highest(in: outbox).mapValues(\.number)
            if !highest.isEmpty { try? HighWater.write(highest, in: outbox) }
        }
        guard !highest.isEmpty else { return }
        let known = try database.outboxSequences()
        let behind = highest.filter { $0.value > known[$0.key] ?? 0 }
        guard !behind.isEmpty else { return }
        try database.raiseOutboxSequences(to: behind)
    }

    /// The highest number the outbox's files may carry, per folder: `outbox/.orderflow-numbers`, a line
    /// `NUMBER<TAB>FOLDER` per folder. The publisher raises it before a file with a higher number can
    /// appear, so it is never below a file's number; it lives with the files, not in the database, so
    /// it survives the database being restored from a backup, which is when it is needed.
    enum HighWater {
        static let name = ".orderflow-numbers"

        /// The mark, or nil when there is none or it cannot be read as written (then the folders are listed).
        static func read(in outbox: URL) -> [String: Int]? {
            guard let data = FileManager.default.contents(atPath: outbox.appendingPathComponent(name).path) else { return nil }
            var mark: [String: Int] = [:]
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "\t", maxSplits: 1)
                guard parts.count == 2, let number = Int(parts[0]), number >= 0 else { return nil }
                mark[String(parts[1])] = number
            }
            return mark
        }

        /// Replaces the mark, whole or not at all.
        static func write(_ mark: [String: Int], in outbox: URL) throws {
            let text = mark.sorted { $0.key < $1.key }.map { "\($0.value)\t\($0.key)\n" }.joined()
            try AtomicFileWriter().replace(Array(text.utf8), in: outbox, name: name)
        }

        /// Raises the mark to cover `files` (each document's sequence and number) before they are written; an error
        /// means they must not be written yet (a file above the mark would be forgotten by a restored database).
        static func raise(toCover files: [(sequence: String, number: Int)], in outbox: URL, known: inout [String: Int]?) throws {
            var raised = false
            var mark: [String: Int]
            if let known {
                mark = known
            } else if let stored = read(in: outbox) {
                mark = stored
            } else {
                mark = OutboxSequence.highest(in: outbox).mapValues(\.number)
                raised = true
            }
            for file in files where file.number > mark[file.sequence] ?? 0 {
                mark[file.sequence] = file.number
                raised = true
            }
            if raised { try write(mark, in: outbox) }
            known = mark
        }
    }
}
