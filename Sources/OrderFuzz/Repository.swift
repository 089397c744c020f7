import Foundation
import OrderImport

/// The checkout this fuzzer was built from: its mappings and sample files are what the targets read through.
///
/// Found from the source file's own path, so the fuzzer runs from any working directory;
/// `ORDERFLOW_ROOT` overrides it (a binary copied elsewhere).
enum Repository {
    static let root: URL = {
        if let given = ProcessInfo.processInfo.environment["ORDERFLOW_ROOT"], !given.isEmpty {
            return URL(fileURLWithPath: given, isDirectory: true)
        }
        // Sources/OrderFuzz/Repository.swift -> the package root.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// Loads a mapping of the repository; a missing or broken one stops the fuzzer (a setup error, not a finding).
    static func mapping(_ path: String) -> Mapping {
        let url = root.appendingPathComponent(path)
        do {
            let text = try String(contentsOf: url, encoding: .utf8)
            return try MappingLoader().load(yaml: text, file: path, name: url.deletingPathExtension().lastPathComponent)
        } catch {
            FileHandle.standardError.write(Data("OrderFuzz: cannot load \(url.path): \(error)\n".utf8))
            exit(2)
        }
    }

    /// Sample input files, for the mapping target to read through a mapping that loaded.
    struct Samples: Sendable {
        var csvByFeed: [Feed: String]
        var xml: [String]
    }

    static let samples = Samples(
        csvByFeed: [
            .orders: root.appendingPathComponent("examples/drop/orders/orders-2026-11-27.csv").path,
            .customers: root.appendingPathComponent("examples/drop/customers/customers-2026-11-27.csv").path,
            .products: root.appendingPathComponent("examples/drop/products/products-2026-11-27.csv").path,
            .receipts: root.appendingPathComponent("examples/drop/receipts/receipts-2026-11-27.csv").path,
            .suppliers: root.appendingPathComponent("examples/drop/suppliers/suppliers-2026-11-27.csv").path,
            .stock: root.appendingPathComponent("Tests/Fixtures/fuzz-corpus/csv-mappings/stock.csv").path,
            .despatches: root.appendingPathComponent("Tests/Fixtures/fuzz-corpus/csv-mappings/despatches.csv").path,
            .cancellations: root.appendingPathComponent("Tests/Fixtures/fuzz-corpus/csv-mappings/cancellations.csv").path,
        ],
        xml: [root.appendingPathComponent("examples/ubl/order-34.xml").path,
              root.appendingPathComponent("examples/goods-receipt/GR_20261127.xml").path])
}
