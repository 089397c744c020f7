import OrderModel

/// Turns the bytes of one input file into mapped records through its mapping.
///
/// The header row is resolved once against the mapping, so a file whose header lacks a
/// mapped column fails whole with a message naming the column and the mapping line,
/// before any record is read.
public struct FeedReader: Sendable {
    public var mapping: Mapping
    public init(mapping: Mapping) { self.mapping = mapping }

    /// Reads every record, handing each to `body` as mapped values or a rejection.
    /// - Throws: `FileRejection` when the file cannot be read as this feed at all.
    public func read(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ body: (Result<MappedRecord, RecordRejection>) throws -> Void
    ) throws {
        let parser = CSVParser(options: mapping.csv)
        let specs = mapping.feed.fields
        var columnIndex: [Int?] = []
        var resolved = false
        var headerWidth: Int? = nil
        var fileError: (any Error)? = nil
        if !mapping.hasHeader {
            columnIndex = specs.map { spec in
                if case .position(let p) = mapping.fields[spec.name] { return p - 1 }
                return nil
            }
            resolved = true
        }
        try parser.parse(bytes) { result in
            switch result {
            case .failure(let error):
                if !resolved {
                    fileError = FileRejection(reason: "the header row (line \(error.line)) cannot be read: \(error)")
                    return false
                }
                var rejection = RecordRejection(line: error.line, field: nil, message: error.description)
                rejection.orderRef = orderRef(in: error.fields, columnIndex)
                try body(.failure(rejection))
            case .success(let record):
                if !resolved {
                    do {
                        columnIndex = try resolveHeader(record)
                        headerWidth = record.fields.count
                        resolved = true
                    } catch {
                        fileError = error
                        return false
                    }
                    return true
                }
                var values = [String](repeating: "", count: specs.count)
                for (k, column) in columnIndex.enumerated() {
                    guard let column else { continue }
                    if column < record.fields.count { values[k] = record.fields[column] }
                }
                if let width = headerWidth, record.fields.count != width {
                    var rejection = RecordRejection(line: record.line, field: nil,
                        message: "found \(record.fields.count) fields, expected \(width) as in the header")
                    rejection.orderRef = orderRef(in: record.fields, columnIndex)
                    try body(.failure(rejection))
                } else {
                    try body(.success(MappedRecord(line: record.line, values: values)))
                }
            }
            return true
        }
        if let fileError { throw fileError }
        if !resolved { throw FileRejection(reason: "the file is empty: expected a header row naming the columns") }
    }

    /// The order a broken row belongs to, so that the whole order is rejected with it.
    private func orderRef(in fields: [String], _ columnIndex: [Int?]) -> String? {
        guard mapping.feed == .orders, let column = columnIndex[mapping.feed.index(of: "order_ref")],
              column < fields.count else { return nil }
        let ref = fields[column].trimmingCharacters(in: .whitespaces)
        return ref.isEmpty ? nil : ref
    }

    private func resolveHeader(_ record: CSVRecord) throws -> [Int?] {
        let header = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var positions: [String: Int] = [:]
        for (i, name) in header.enumerated() where positions[name] == nil { positions[name] = i }
        var missing: [String] = []
        let result: [Int?] = mapping.feed.fields.map { spec in
            switch mapping.fields[spec.name] {
            case .none: return nil
            case .position(let p):
                if p > header.count { missing.append("column \(p) (for \(spec.name))"); return nil }
                return p - 1
            case .name(let name):
                if let i = positions[name] { return i }
                let at = mapping.fieldLocations[spec.name].map { " at \(mapping.file):\($0.line)" } ?? ""
                missing.append("'\(name)' (mapped to \(spec.name)\(at))")
                return nil
            }
        }
        if !missing.isEmpty {
            throw FileRejection(reason: "the header row lacks \(missing.joined(separator: ", ")); found columns \(header.joined(separator: ", "))")
        }
        return result
    }
}

/// A record with its values placed by the feed's field order (blank where unmapped).
public struct MappedRecord: Sendable, Hashable {
    public var line: Int
    public var values: [String]
    public init(line: Int, values: [String]) { self.line = line; self.values = values }
}

/// A whole file that cannot be imported, with the reason written beside it in `failed/`.
public struct FileRejection: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// One record that cannot be imported: where, which field, what was found and what was expected.
public struct RecordRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var field: String?
    public var message: String
    public var orderRef: String?
    public var lineNo: Int?
    public var sku: String?

    public init(line: Int, field: String?, message: String, orderRef: String? = nil, lineNo: Int? = nil, sku: String? = nil) {
        self.line = line; self.field = field; self.message = message
        self.orderRef = orderRef; self.lineNo = lineNo; self.sku = sku
    }

    /// A rejection for a bad value; the value is shortened and stripped of card numbers before it is shown.
    public static func badValue(line: Int, field: String, found: String, expected: String) -> RecordRejection {
        RecordRejection(line: line, field: field, message: "field \(field): found '\(shown(found))', expected \(expected)")
    }

    static func shown(_ value: String) -> String {
        let redacted = CardNumberRedactor.redact(value)
        return redacted.count > 60 ? String(redacted.prefix(57)) + "..." : redacted
    }

    public var description: String { "line \(line): \(message)" }
}
import Foundation
