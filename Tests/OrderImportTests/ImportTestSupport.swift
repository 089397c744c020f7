import Foundation
@testable import OrderImport

/// Loads a mapping from YAML text and reads `bytes` through it from a real temporary file.
func read(_ yaml: String, _ bytes: [UInt8], suffix: String = ".csv") throws -> [Result<MappedRecord, RecordRejection>] {
    let mapping = try MappingLoader().load(yaml: yaml, file: "mappings/test.yaml", name: "test")
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-\(UUID().uuidString)\(suffix)")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    var out: [Result<MappedRecord, RecordRejection>] = []
    try FeedReader(mapping: mapping).read(try InputFile(path: url.path)) { out.append($0) }
    return out
}

func read(_ yaml: String, _ text: String, suffix: String = ".csv") throws -> [Result<MappedRecord, RecordRejection>] {
    try read(yaml, Array(text.utf8), suffix: suffix)
}

extension Result where Success == MappedRecord, Failure == RecordRejection {
    /// An engine field's value (fails the test through `get()` if the record was rejected).
    func value(_ field: String, feed: Feed = .receipts) throws -> String {
        try get().values[feed.index(of: field)]
    }
    var rejection: RecordRejection? {
        if case .failure(let r) = self { return r }
        return nil
    }
}

/// A receipts mapping with the given csv options and field rules.
func receipts(csv: String = "", fields: String = "  receipt_ref: ref\n  sku: sku\n  quantity: qty\n") -> String {
    "feed: receipts\n" + (csv.isEmpty ? "" : "csv:\n\(csv)") + "fields:\n\(fields)"
}
