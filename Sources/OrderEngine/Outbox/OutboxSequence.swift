import Foundation
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
    static func next(_ transaction: some OutboxNumbering, folder: String) throws -> Int {
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

    /// Raises each folder's sequence to the highest number already in the outbox, so a new or restored
    /// database never reuses a number (a pick list published twice under one name). Writes only when behind.
    static func catchUp(_ database: OrderDatabase, outbox: URL) throws {
        let found = highest(in: outbox)
        guard !found.isEmpty else { return }
        let known = try database.outboxSequences()
        let behind = found.filter { $0.value.number > known[$0.key] ?? 0 }
        guard !behind.isEmpty else { return }
        try database.raiseOutboxSequences(to: behind.mapValues(\.number))
    }
}
