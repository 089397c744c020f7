import Foundation
import OrderImport
import OrderModel
import OrderStore
#if canImport(Glibc)
import Glibc
#endif

/// Generates a large order file (CSV or XML) in a scratch home and imports it, measuring time and peak memory.
///
/// A benchmark, not a test: it shows that import streams (memory stays flat however large
/// the file) and what it costs per row. `orderflow bench import --size-mb 1024 --format xml`.
public struct ImportBenchmark: Sendable {
    public enum Format: String, Sendable, CaseIterable { case csv, xml }

    public struct Result: Sendable, Codable {
        public var format: String
        public var fileBytes: Int
        public var lines: Int
        public var generateSeconds: Double
        public var importSeconds: Double
        public var peakResidentMB: Double
        public var linesPerSecond: Double { Double(lines) / max(importSeconds, 0.000_001) }
        public var megabytesPerSecond: Double { Double(fileBytes) / 1_048_576 / max(importSeconds, 0.000_001) }
    }

    public let folder: URL
    public let format: Format
    public let megabytes: Int
    public init(folder: URL, format: Format, megabytes: Int) {
        self.folder = folder; self.format = format; self.megabytes = megabytes
    }

    static let xmlMapping = """
        feed: orders
        format: xml
        xml:
          record: /Orders/Order
          lines: Line
        fields:
          order_ref: ../@ref
          order_date: ../Date
          customer_ref: ../Customer
          line_no: "@no"
          sku: Sku
          quantity: Qty
          unit_price: Price
          card_number: ../Card
          card_expiry: ../Expiry
          ship_name: ../Ship/Name
          ship_city: ../Ship/City
        """

    public func run() throws -> Result {
        let home = Home(folder.path)
        try? FileManager.default.removeItem(at: folder)
        try home.initialize()
        if format == .xml {
            try Data(Self.xmlMapping.utf8).write(to: home.mappings.appendingPathComponent("orders-xml.yaml"))
        }
        let customers = (0..<1000).map { "C\($0),Customer \($0),ACCOUNT,1000000.00,0,N,,1 Road,,Town,AB1,GB" }
        try Data(("customer_ref,name,terms,credit_limit,balance,on_stop,email,address1,address2,city,postcode,country\n"
                  + customers.joined(separator: "\n") + "\n").utf8).write(to: home.inbox.appendingPathComponent("customers/c.csv"))
        let products = (0..<5000).map { "P\($0),Product \($0),General,9.99,N,,,MAIN,B-\($0 % 400)" }
        try Data(("sku,description,category,unit_price,drop_ship,supplier_ref,supplier_cost,warehouse,bin_location\n"
                  + products.joined(separator: "\n") + "\n").utf8).write(to: home.inbox.appendingPathComponent("products/p.csv"))

        let generateStart = ContinuousClock.now
        let target = folder.appendingPathComponent("inbox/orders/big.\(format.rawValue)")
        let lines = try generate(to: target, bytes: megabytes << 20)
        let fileBytes = Int((try FileManager.default.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.intValue ?? 0)
        let generateSeconds = Self.seconds(ContinuousClock.now - generateStart)

        try CycleBenchmark.settle(home)
        let engine = try Engine(home: home, clock: FixedClock(Timestamp(iso8601: "2026-11-27T08:00:00Z")!))
        let importStart = ContinuousClock.now
        let mappings = try engine.loadMappings()
        let report = try engine.runSteps([ImportStep(mappings: mappings)])
        let importSeconds = Self.seconds(ContinuousClock.now - importStart)
        // The peak is read before the check below, whose count of every line would fill the cycle's page cache.
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let imported = try engine.database.lineCount()
        guard imported == lines else {
            throw EngineError.notPossible("the benchmark imported \(imported) of \(lines) lines (\(report.counts)); see \(folder.path)")
        }
        return Result(format: format.rawValue, fileBytes: fileBytes, lines: lines, generateSeconds: generateSeconds,
                      importSeconds: importSeconds, peakResidentMB: Double(usage.ru_maxrss) / 1024)
    }

    /// Writes orders of 1 to 5 lines until the file reaches `bytes`; returns the number of lines.
    func generate(to url: URL, bytes: Int) throws -> Int {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var written = 0, lines = 0, order = 0
        var random = SeededGenerator(seed: 7)
        func flush() throws {
            try handle.write(contentsOf: buffer)
            written += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        switch format {
        case .csv:
            buffer.append(contentsOf: "order_ref,order_date,customer_ref,line_no,sku,quantity,unit_price,payment_method,card_number,card_expiry,ship_name,ship_address1,ship_address2,ship_city,ship_postcode,ship_country\n".utf8)
        case .xml:
            buffer.append(contentsOf: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Orders>\n".utf8)
        }
        while written + buffer.count < bytes {
            order += 1
            let customer = random.next() % 1000
            let day = 1 + order % 27
            let count = 1 + Int(random.next() % 5)
            let card = order % 10 == 0 ? "4111111111111111" : ""
            switch format {
            case .csv:
                for line in 1...count {
                    let sku = random.next() % 5000, qty = 1 + random.next() % 9
                    buffer.append(contentsOf: "SO\(order),2026-11-\(day < 10 ? "0" : "")\(day),C\(customer),\(line),P\(sku),\(qty),9.99,,\(card),\(card.isEmpty ? "" : "12/28"),Customer \(customer),\(order) High Street,,Leeds,LS1 1AA,GB\n".utf8)
                }
            case .xml:
                buffer.append(contentsOf: "  <Order ref=\"SO\(order)\"><Date>2026-11-\(day < 10 ? "0" : "")\(day)</Date><Customer>C\(customer)</Customer>".utf8)
                if !card.isEmpty { buffer.append(contentsOf: "<Card>\(card)</Card><Expiry>12/28</Expiry>".utf8) }
                buffer.append(contentsOf: "<Ship><Name>Customer \(customer)</Name><City>Leeds</City></Ship>\n".utf8)
                for line in 1...count {
                    let sku = random.next() % 5000, qty = 1 + random.next() % 9
                    buffer.append(contentsOf: "    <Line no=\"\(line)\"><Sku>P\(sku)</Sku><Qty>\(qty)</Qty><Price>9.99</Price></Line>\n".utf8)
                }
                buffer.append(contentsOf: "  </Order>\n".utf8)
            }
            lines += count
            if buffer.count >= 1 << 20 { try flush() }
        }
        if format == .xml { buffer.append(contentsOf: "</Orders>\n".utf8) }
        try flush()
        return lines
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}

