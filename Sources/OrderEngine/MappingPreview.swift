import Foundation
import OrderImport
import OrderModel

/// What a file would import as through a mapping, without touching the database: the
/// Logic Builder's test button for mappings (`orderflow mapping test`).
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
        enum CodingKeys: String, CodingKey { case line, location, orderRef = "order_ref", field, message }
    }

    public struct Result: Codable, Sendable {
        public var mapping: String
        public var file: String
        public var records: [Record]
        public var recordCount: Int
        public var rejections: [Rejection]
        /// Set when the file would be rejected whole.
        public var fileError: String?
        enum CodingKeys: String, CodingKey {
            case mapping, file, records, recordCount = "record_count", rejections, fileError = "file_error"
        }
    }

    public let mapping: Mapping
    public let money: MoneyFormat
    public init(mapping: Mapping, money: MoneyFormat = .standard) { self.mapping = mapping; self.money = money }

    /// Reads `path`; keeps the first `limit` records (all when nil) and every rejection.
    public func run(path: String, limit: Int?) -> Result {
        var result = Result(mapping: mapping.file, file: path, records: [], recordCount: 0, rejections: [], fileError: nil)
        let specs = mapping.feed.fields
        let decoder = RecordDecoder(money: money)
        var assembler = OrderAssembler()
        func add(_ rejection: RecordRejection) {
            result.rejections.append(Rejection(line: rejection.line, location: rejection.location, orderRef: rejection.orderRef,
                                               field: rejection.field, message: rejection.message))
        }
        func complete(_ outcome: Swift.Result<OrderInput, OrderRejection>?) {
            if case .failure(let rejection)? = outcome {
                rejection.reportedProblems.forEach(add)
            }
        }
        do {
            let file = try InputFile(path: path)
            try FeedReader(mapping: mapping).read(file) { outcome in
                switch outcome {
                case .failure(let rejection):
                    if mapping.feed == .orders, rejection.orderRef != nil { complete(assembler.add(rejection)) } else { add(rejection) }
                case .success(let record):
                    do {
                        switch mapping.feed {
                        case .orders: complete(assembler.add(try decoder.orderLine(record)))
                        case .customers: _ = try decoder.customer(record)
                        case .products: _ = try decoder.product(record)
                        case .suppliers: _ = try decoder.supplier(record)
                        case .receipts: _ = try decoder.receipt(record)
                        case .stock: _ = try decoder.stockCount(record)
                        case .despatches: _ = try decoder.despatch(record)
                        case .cancellations: _ = try decoder.cancellation(record)
                        }
                    } catch let rejection as RecordRejection {
                        if mapping.feed == .orders, rejection.orderRef != nil { complete(assembler.add(rejection)) } else { add(rejection) }
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
            complete(assembler.finish())
        } catch let error as FileRejection {
            result.fileError = error.reason
        } catch {
            result.fileError = "\(error)"
        }
        result.rejections.sort { $0.line < $1.line }
        return result
    }
}
