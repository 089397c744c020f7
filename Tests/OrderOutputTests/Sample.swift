import Foundation
import OrderOutput
import OrderRules

/// A purchase order of two lines, and helpers to load a mapping and render it.
enum Sample {
    /// 2026-03-05.
    static let today: Int64 = 20517
    /// 2026-02-20.
    static let orderDate: Int64 = 20504

    static func number(_ s: String) -> Value { .number(Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) ?? 0) }

    static func purchaseOrder(description: String = "Café crème", orderRef: String = "SO-1", supplierRef: String = "ACME") -> OutputDocumentValues {
        var header = OrderFacts(orderID: 1, order: ["ref": .text(orderRef), "date": .date(orderDate), "total": number("17.5")],
                                customer: ["ref": .text("C-9"), "name": .text("Zoë Müller")], lines: [],
                                entities: ["document": ["ref": .text("PO-7"), "number": number("7"), "date": .date(today)],
                                           "supplier": ["ref": .text(supplierRef), "name": .text("Acme Ltd"), "email": .null]])
        let lines = [
            LineFacts(lineID: 1, line: ["line_no": number("1"), "sku": .text("A-1"), "quantity": number("2"), "unit_cost": number("3.5")],
                      product: ["description": .text(description)]),
            LineFacts(lineID: 2, line: ["line_no": number("2"), "sku": .text("B,2"), "quantity": number("-1"), "unit_cost": number("10.25")],
                      product: ["description": .text("say \"hi\"")]),
        ]
        header.lines = lines
        return OutputDocumentValues(header: header, rows: lines.map { OutputRow(order: header, line: $0) })
    }

    static func mapping(_ yaml: String, file: String = "output-mappings/acme.yaml") throws(OutputMappingError) -> OutputMapping {
        try OutputMappingLoader().load(yaml: yaml, file: file, name: "acme")
    }

    /// The bytes a CSV mapping with these `csv:` options (indented two spaces) and columns writes.
    static func csv(_ options: String, columns: String = standardColumns, document: OutputDocumentValues = purchaseOrder()) throws -> [UInt8] {
        let yaml = "document: purchase-order\nformat: csv\ncsv:\n" + options + "  columns:\n" + columns
        return try mapping(yaml).render(document, today: today)
    }

    static let standardColumns = """
        - {header: order_ref, value: order.ref}
        - {header: sku, value: line.sku}
        - {header: qty, value: line.quantity}
        - {header: cost, value: line.unit_cost}

    """

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The error `body` throws, as text.
    static func failure(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }
}
