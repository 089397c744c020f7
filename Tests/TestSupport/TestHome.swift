import Foundation
import GRDB
import OrderEngine
import OrderModel

/// A real home in a temporary folder, with helpers to drop files, run cycles and read the outbox.
public final class TestHome: @unchecked Sendable {
    public let home: Home
    public var root: URL { home.root }
    private var dropCount = 0

    public init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("orderflow-test-\(UUID().uuidString.prefix(8))", isDirectory: true)
        home = Home(url.path)
        try home.initialize()
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes `text` to `inbox/<folder>/<name>`; each drop is one second older than the next, so oldest-first is the drop order.
    @discardableResult
    public func drop(_ folder: String, _ name: String, _ text: String) throws -> URL {
        let dir = home.inbox.appendingPathComponent(folder, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        dropCount += 1
        let when = Date(timeIntervalSince1970: 1_700_000_000 + TimeInterval(dropCount))
        try FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: url.path)
        return url
    }

    /// Copies a file into `inbox/<folder>/`, dated like `drop` (long before the test clock), so it is settled.
    public func copy(_ source: URL, into folder: String) throws {
        let dir = home.inbox.appendingPathComponent(folder, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let target = dir.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: target)
        dropCount += 1
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000 + TimeInterval(dropCount))],
                                              ofItemAtPath: target.path)
    }

    public func engine(at time: String = "2026-11-27T09:00:00Z") throws -> Engine {
        try Engine(home: home, clock: FixedClock(Timestamp(iso8601: time)!), user: "tester")
    }

    @discardableResult
    public func cycle(at time: String = "2026-11-27T09:00:00Z") throws -> CycleReport {
        try engine(at: time).runCycle()
    }

    public func order(_ ref: String) throws -> OrderQueries.OrderDetail {
        try OrderQueries(engine: engine()).order(ref)
    }

    /// The stage of each line of an order, by line number.
    public func stages(_ ref: String) throws -> [Int: String] {
        Dictionary(uniqueKeysWithValues: try order(ref).lines.map { ($0.lineNo, $0.stage) })
    }

    /// File names in `outbox/<folder>`, sorted.
    public func outbox(_ folder: String) throws -> [String] {
        let dir = home.outbox.appendingPathComponent(folder)
        return (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.filter { !$0.hasPrefix(".") }.sorted() ?? []
    }

    public func read(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// Rows of a CSV outbox file as dictionaries keyed by header (simple split: test data has no quoted commas unless noted).
    public func csvRows(_ relativePath: String) throws -> [[String: String]] {
        let lines = try read(relativePath).split(separator: "\r\n").map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            let cells = TestHome.splitCSV(line)
            return Dictionary(uniqueKeysWithValues: zip(header, cells + Array(repeating: "", count: max(0, header.count - cells.count))))
        }
    }

    static func splitCSV(_ line: String) -> [String] {
        var cells: [String] = [], cell = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false } }
                else { cell.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { cells.append(cell); cell = "" }
            else { cell.append(c) }
        }
        cells.append(cell)
        return cells
    }

    /// Every regular file under the home, recursively (for "no card number anywhere" checks).
    public func allFiles() -> [URL] {
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return e.compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }

    public func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(relativePath).path)
    }
}

/// Standard-layout sample records.
public enum Sample {
    public static let customerHeader = "customer_ref,name,terms,credit_limit,balance,on_stop,email,address1,address2,city,postcode,country"
    public static let productHeader = "sku,description,category,unit_price,drop_ship,supplier_ref,supplier_cost,warehouse,bin_location"
    public static let supplierHeader = "supplier_ref,name,email,po_format"
    public static let receiptHeader = "receipt_ref,sku,quantity,warehouse,received_at"
    public static let orderHeader = "order_ref,order_date,customer_ref,line_no,sku,quantity,unit_price,payment_method,card_number,card_expiry,ship_name,ship_address1,ship_address2,ship_city,ship_postcode,ship_country"

    public static func customers(_ rows: [String]) -> String { ([customerHeader] + rows).joined(separator: "\n") + "\n" }
    public static func products(_ rows: [String]) -> String { ([productHeader] + rows).joined(separator: "\n") + "\n" }
    public static func suppliers(_ rows: [String]) -> String { ([supplierHeader] + rows).joined(separator: "\n") + "\n" }
    public static func receipts(_ rows: [String]) -> String { ([receiptHeader] + rows).joined(separator: "\n") + "\n" }
    public static func orders(_ rows: [String]) -> String { ([orderHeader] + rows).joined(separator: "\n") + "\n" }

    /// An account customer with a generous limit.
    public static func account(_ ref: String, limit: String = "100000.00", balance: String = "0", onStop: String = "N") -> String {
        "\(ref),Customer \(ref),ACCOUNT,\(limit),\(balance),\(onStop),\(ref.lowercased())@example.com,1 Road,,Town,AB1 2CD,GB"
    }

    public static func product(_ sku: String, price: String = "10.00", dropShip: String = "N", supplier: String = "",
                               cost: String = "", warehouse: String = "MAIN", bin: String = "A-01") -> String {
        "\(sku),Product \(sku),General,\(price),\(dropShip),\(supplier),\(cost),\(warehouse),\(bin)"
    }

    /// An order line with blank payment, card and ship-to fields.
    public static func line(_ ref: String, date: String = "2026-11-26", customer: String = "C1", no: Int = 1, sku: String,
                            qty: Int = 1, price: String = "", payment: String = "", card: String = "", expiry: String = "",
                            shipName: String = "") -> String {
        "\(ref),\(date),\(customer),\(no),\(sku),\(qty),\(price),\(payment),\(card),\(expiry),\(shipName),,,,,"
    }
}
