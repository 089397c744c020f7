import Foundation
import Testing
import OrderImport
@testable import OrderEngine
import TestSupport

@Suite struct OrderFeedPipelineTests {
    func ordersMapping(_ home: TestHome) throws -> Mapping {
        try #require(try home.engine().loadMappings().first { $0.feed == .orders })
    }

    func file(_ home: TestHome, _ rows: [String]) throws -> InputFile {
        let url = home.root.appendingPathComponent("orders.csv")
        try Data(Sample.orders(rows).utf8).write(to: url)
        return try InputFile(path: url.path)
    }

    @Test func everyOrderAndRejectionArrivesInFileOrderAcrossBatches() throws {
        let home = try TestHome()
        var rows = (1...2_000).map { Sample.line("O\($0)", sku: "SKU1") }
        rows.insert(",2026-11-26,C1,1,SKU1,1,,,,,,,,,,", at: 1_500) // no order_ref: rejected on its own
        let reader = OrderFeedPipeline(file: try file(home, rows), mapping: try ordersMapping(home), decoder: RecordDecoder())
        defer { reader.close() }
        var seen: [String] = []
        var records = 0, batches = 0
        while let batch = try reader.next() {
            batches += 1
            records += batch.records
            for item in batch.items {
                switch item {
                case .order(.success(let order)): seen.append(order.orderRef)
                case .order(.failure(let rejection)): seen.append("rejected \(rejection.orderRef)")
                case .rejected(let rejection): seen.append("line \(rejection.line)")
                }
            }
        }
        #expect(batches > 1)
        #expect(records == 2_001)
        #expect(seen.count == 2_001)
        #expect(Array(seen.prefix(3)) == ["O1", "O2", "O3"])
        // As before the reader had its own thread: an order is complete when the next order's row arrives,
        // so the order-less rejection on line 1502 comes just before O1500.
        #expect(Array(seen[1_498...1_501]) == ["O1499", "line 1502", "O1500", "O1501"])
        #expect(seen.last == "O2000")
    }

    @Test func closingEarlyStopsTheReaderAndLetsGoOfTheFile() throws {
        let home = try TestHome()
        let reader = OrderFeedPipeline(file: try file(home, (1...60_000).map { Sample.line("O\($0)", sku: "SKU1") }),
                                       mapping: try ordersMapping(home), decoder: RecordDecoder())
        let first = try #require(try reader.next())
        #expect(first.records > 0)
        reader.close() // returns once the reader thread has stopped
        var after = 0
        while let batch = try reader.next() { after += batch.records }
        #expect(first.records + after < 60_000)
    }
}
