import Foundation
import OrderEngine
import OrderModel
import OrderOutput
import OrderRules

/// Feeds fuzzed text to the output-mapping loader as a user edits `mappings/outputs/NAME.yaml`; a
/// mapping that loads renders a sample document of its kind (hostile text, a card number, a long
/// description, a decimal quantity, a date far out), so the CSV, fixed-width and XML writers, the
/// encodings and the file-name and folder checks are exercised too. Refusals are fine; a trap is a finding.
enum OutputMappingFuzzer {
    /// A document with something of everything, for whatever kind a mapping writes.
    static let sample: OutputDocumentValues = {
        let order: [String: Value] = [
            "ref": .text("SO-1\"<&>]]>"), "date": .date(20_000), "total": .number(Decimal(sign: .plus, exponent: -3, significand: 1_234_567)),
            "customer_ref": .text("=CMD()"), "ship_name": .text("Ünïcödé € 日本"), "ship_address1": .text("1 Road\r\nLine"),
            "currency": .text("GBP"), "item_count": .number(3), "line_count": .number(2),
        ]
        let customer: [String: Value] = ["ref": .text("C1"), "name": .text("Müller, \"Bob\""), "credit_limit": .number(-5)]
        let entities: [String: [String: Value]] = [
            "document": ["ref": .text("PO-000001"), "number": .number(1), "date": .date(2_932_896), "warehouse": .text("../MAIN")],
            "supplier": ["ref": .text("S/1"), "name": .text("Tubs <Direct>"), "email": .null, "format": .text("x")],
            "ship_to": ["name": .text("\u{0}\u{7}"), "address1": .text(String(repeating: "x", count: 5_000)), "city": .null],
        ]
        let lines = (1...3).map { n in
            LineFacts(lineID: Int64(n), line: [
                "line_no": .number(Decimal(n)), "sku": .text("SKU-\(n)\u{202E}"), "quantity": .number(Decimal(sign: .plus, exponent: -2, significand: 1_275)),
                "unit_cost": n == 2 ? .null : .number(Decimal(sign: .plus, exponent: -2, significand: Decimal(UInt64.max))), "allocated": .number(0),
                "bin_location": .text("4111 1111 1111 1111"),
            ], product: ["sku": .text("SKU-\(n)"), "description": .text("Crème brûlée\t=1+1"), "stock_unit": .text("KGM")],
            entities: ["exception": ["kind": .text("back-order"), "line_no": .number(Decimal(n)), "reason": .text("needs 5")],
                       "back_order": ["since": .date(-1_000_000), "available": .number(-1)]])
        }
        let header = OrderFacts(orderID: 1, order: order, customer: customer, lines: lines, entities: entities)
        return OutputDocumentValues(header: header, rows: lines.map { OutputRow(order: header, line: $0) })
    }()

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let mapping: OutputMapping
        do {
            mapping = try OutputMappingLoader(catalogs: { kind in DocumentValues.catalog(kind, mappings: []) })
                .load(yaml: text, file: "mappings/outputs/fuzz.yaml", name: "fuzz")
        } catch {
            return ["refused: \(error.description)"]
        }
        var out = ["loaded (\(mapping.document.rawValue), \(mapping.format.rawValue))"]
        do {
            let bytes = try mapping.render(sample, today: 20_000)
            out.append("rendered \(bytes.count) bytes")
            out.append("name \(try mapping.fileName(for: sample, today: 20_000) ?? "-"), folder \(try mapping.folder(for: sample, today: 20_000) ?? "-")")
        } catch {
            out.append("not rendered: \(error.description)")
        }
        return out
    }
}
