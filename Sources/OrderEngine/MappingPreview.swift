import Foundation
import Logging
import OrderImport
import OrderInbox
import OrderModel
import OrderStore

/// What a file would import as through a mapping: the Logic Builder's test button for mappings
/// (`orderflow mapping test`).
///
/// The file goes through the cycle's own importer (`FileImporter`), so what is shown is exactly what a cycle
/// would import, refuse and ignore: whole-order refusals, orders whose rows are not together, duplicates of
/// orders and receipts already imported, records whose warehouse comes from a product. It runs inside one
/// transaction on the home's database that is always rolled back, so nothing is kept; a home without a database
/// gets a new one in a private temporary folder, removed after.
public struct MappingPreview: Sendable {
    public struct Record: Codable, Sendable {
        public var line: Int
        public var location: String?
        /// Engine fields that have a value, canonical text; a card number shows its last four digits only.
        public var fields: [String: String]
        public var custom: [String: String]
    }

    public struct Rejection: Codable, Sendable {
        public var line: Int
        public var location: String?
        public var orderRef: String?
        public var field: String?
        public var message: String
        /// As in the exception report: `rejected-record`, `rejected-order`, `duplicate-order`, `duplicate-receipt`.
        public var kind: String
        enum CodingKeys: String, CodingKey { case line, location, orderRef = "order_ref", field, message, kind }
    }

    public struct Result: Codable, Sendable {
        public var mapping: String
        public var file: String
        public var records: [Record]
        /// Records that would be imported (for orders: the lines of the orders that would be imported).
        public var recordCount: Int
        /// Records read from the file, whatever became of them.
        public var recordsRead: Int
        /// Records (order lines) that would be refused.
        public var rejectedCount: Int
        /// Orders or receipts that would be ignored as already imported.
        public var duplicateCount: Int
        /// Rows the mapping's `skip_when:` leaves out (not records, not rejections).
        public var skippedCount = 0
        public var rejections: [Rejection]
        /// Set when the file would be rejected whole.
        public var fileError: String?
        enum CodingKeys: String, CodingKey {
            case mapping, file, records, recordCount = "record_count", recordsRead = "records_read",
                 rejectedCount = "rejected_count", duplicateCount = "duplicate_count", skippedCount = "skipped_count", rejections,
                 fileError = "file_error"
        }
    }

    public let mapping: Mapping
    public let home: Home
    public let clock: any EngineClock

    /// - Parameter home: whose database and orderflow.yaml the file is tried against (a broken orderflow.yaml
    ///   counts as the defaults).
    public init(mapping: Mapping, home: Home, clock: any EngineClock = SystemClock()) {
        self.mapping = mapping; self.home = home; self.clock = clock
    }

    /// Reads `path`; keeps the first `limit` records that would import (all when nil) and every rejection.
    public func run(path: String, limit: Int?) -> Result {
        var result = Result(mapping: mapping.file, file: path, records: [], recordCount: 0, recordsRead: 0, rejectedCount: 0,
                            duplicateCount: 0, rejections: [], fileError: nil)
        do {
            let input = try InputFile(path: path)
            try ((try? EngineConfig.load(from: home.configFile)) ?? EngineConfig()).inbox.admit(input)
            let imported = try importAndRollBack(input, into: &result)
            try show(input, imported: imported, limit: limit, into: &result)
        } catch let error as FileRejection {
            result.fileError = error.reason
        } catch {
            result.fileError = "\(error)"
        }
        result.rejections.sort { ($0.line, $0.location ?? "") < ($1.line, $1.location ?? "") }
        return result
    }

    /// What the cycle's importer keeps of the file: the refs of the orders imported (orders feed), or
    /// the places of the records refused (other feeds).
    private struct Imported {
        var orderRefs: Set<String> = []
        var refusedRecords: Set<Place> = []
    }

    private struct Place: Hashable { var line: Int; var location: String? }

    private func importAndRollBack(_ input: InputFile, into result: inout Result) throws -> Imported {
        let config = (try? EngineConfig.load(from: home.configFile)) ?? EngineConfig()
        let existing = home.database(config).path
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        let databasePath: String
        if OrderDatabase.presence(at: existing) == .existing {
            databasePath = existing
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-mapping-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            scratch = folder
            databasePath = folder.appendingPathComponent("preview.sqlite").path
        }
        let database = try OrderDatabase(path: databasePath, cacheMB: 16)
        let engine = Engine(home: home, config: config, database: database, clock: clock)
        let now = clock.now
        let mapping = mapping
        var refusals: [(RecordRejection, ExceptionKind)] = []
        var imported = Imported()
        // A rehearsal: always rolled back, so nothing of the trial is kept, whatever happens in it.
        let counts = try database.rehearse { tx -> FileImporter.Result in
            let trial = try tx.openMappingTrial(feed: mapping.feed.rawValue, mapping: mapping.name, name: "mapping-test/\(input.path)",
                                                claimName: "mapping-test-\(UUID().uuidString)", size: input.size, at: now)
            let context = CycleContext(engine: engine, cycleID: trial.cycleID, now: now)
            var importer = FileImporter(context: context, mapping: mapping, sourceName: input.path, sourceFileID: trial.sourceFileID)
            importer.onRefusal = { refusals.append(($0, $1)) }
            let counts = try importer.run(input, tx)
            if mapping.feed == .orders {
                imported.orderRefs = try tx.orderRefs(importedFrom: trial.sourceFileID)
            }
            return counts
        }
        for (rejection, kind) in refusals {
            result.rejections.append(Rejection(line: rejection.line, location: rejection.location, orderRef: rejection.orderRef,
                                               field: rejection.field, message: rejection.message, kind: kind.description))
            if !kind.isDuplicate { imported.refusedRecords.insert(Place(line: rejection.line, location: rejection.location)) }
        }
        result.recordsRead = counts.records
        result.rejectedCount = counts.rejected
        result.duplicateCount = counts.duplicates
        result.skippedCount = counts.skipped
        return imported
    }

    /// Reads the file again through the mapping for the records to show: those the importer kept.
    private func show(_ input: InputFile, imported: Imported, limit: Int?, into result: inout Result) throws {
        let specs = mapping.feed.fields
        let refIndex = mapping.feed == .orders ? mapping.feed.index(of: "order_ref") : nil
        try FeedReader(mapping: mapping).read(input) { outcome in
            guard case .success(let record) = outcome else { return }
            if let refIndex {
                guard imported.orderRefs.contains(record.values[refIndex]) else { return }
            } else if imported.refusedRecords.contains(Place(line: record.line, location: record.location)) {
                return
            }
            result.recordCount += 1
            guard limit.map({ result.records.count < $0 }) ?? true else { return }
            var fields: [String: String] = [:]
            for (i, spec) in specs.enumerated() where !record.values[i].isEmpty {
                fields[spec.name] = spec.name == "card_number"
                    ? PaymentCard(rawNumber: record.values[i]).lastFour.map { "************" + $0 } ?? "****"
                    : record.values[i]
            }
            result.records.append(Record(line: record.line, location: record.location, fields: fields, custom: record.custom))
        }
    }
}
