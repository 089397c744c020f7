import Foundation
import Testing
@testable import OrderImport

@Suite struct TransformTests {
    func one(_ rule: String, _ row: String = "R1,a b ,5", header: String = "ref,sku,qty") throws -> Result<MappedRecord, RecordRejection> {
        try read(receipts(fields: "  receipt_ref: ref\n  sku: \(rule)\n  quantity: qty\n"), "\(header)\n\(row)\n")[0]
    }

    @Test(arguments: [
        ("{ column: sku, trim: true }", "a b"),
        ("{ column: sku, trim: true, upper: true }", "A B"),
        ("{ column: sku, steps: [trim, lower] }", "a b"),
        ("{ column: sku, steps: [upper, trim] }", "A B"),
        ("{ value: FIXED }", "FIXED"),
        ("{ column: sku, regex: '^(\\w)' }", "a"),
        ("{ column: sku, trim: true, prefix: 'P-', suffix: '-X' }", "P-a b-X"),
        ("{ concat: [ref, qty], separator: '/' }", "R1/5"),
        ("{ template: '{ref}-{qty}' }", "R1-5"),
        ("{ column: sku, trim: true, map: { 'a b': AB } }", "AB"),
        ("{ column: sku, trim: true, map: { x: y }, otherwise: OTHER }", "OTHER"),
    ])
    func eachTransform(rule: String, expected: String) throws {
        #expect(try one(rule).value("sku") == expected)
    }

    @Test func defaultFillsABlankValue() throws {
        #expect(try one("{ column: sku, default: NONE }", "R1,,5").value("sku") == "NONE")
        #expect(try one("{ column: sku, default: NONE }", "R1,x,5").value("sku") == "x")
    }

    @Test func multiplyTurnsPacksIntoUnits() throws {
        let records = try read(receipts(fields: "  receipt_ref: ref\n  sku: sku\n  quantity: { column: packs, multiply: 12 }\n"),
                               "ref,sku,packs\nR1,A,3\nR2,A,2.5\nR3,A,lots\n")
        #expect(try records[0].value("quantity") == "36")
        #expect(try records[1].value("quantity") == "30")
        #expect(records[2].rejection?.message == "field quantity: found 'lots', expected a number like 1234.50")
    }

    @Test func numberAndDateStepsFollowTheDialect() throws {
        let yaml = """
            feed: receipts
            csv: { delimiter: ";", decimal: "," }
            fields:
              receipt_ref: ref
              sku: sku
              quantity: { column: qty, number: true }
              received_at: { column: at, date: "dd.MM.yyyy HH:mm" }
            """
        let records = try read(yaml, "ref;sku;qty;at\nR1;A;5,0;27.11.2026 08:30\n")
        #expect(try records[0].value("quantity") == "5.0")
        #expect(try records[0].value("received_at") == "2026-11-27T08:30:00Z")
    }

    @Test func checksNameTheFieldTheValueAndWhatWasExpected() throws {
        let yaml = """
            feed: receipts
            fields:
              receipt_ref: { column: ref, max_length: 4 }
              sku: { column: sku, allowed: [A, B] }
              quantity: { column: qty, min: 1, max: 100 }
              warehouse: { column: wh, required: true }
            """
        let records = try read(yaml, "ref,sku,qty,wh\nR1,C,5,W\nR2,A,500,W\nR3,A,5,\nR12345,A,5,W\n")
        #expect(records[0].rejection?.description == "line 2: field sku: found 'C', expected one of A, B")
        #expect(records[1].rejection?.description == "line 3: field quantity: found '500', expected at most 100")
        #expect(records[2].rejection?.description == "line 4: field warehouse: found '', expected a value (the mapping makes the field required)")
        #expect(records[3].rejection?.description == "line 5: field receipt_ref: found 'R12345', expected at most 4 characters")
    }

    @Test func customFieldsAreTypedAndCanonical() throws {
        let yaml = """
            feed: orders
            fields:
              order_ref: ref
              order_date: date
              customer_ref: cust
              line_no: line
              sku: sku
              quantity: qty
              order.rank: { column: prio, type: integer }
              order.express: { column: express, type: flag }
              line.weight: { column: kg, type: decimal }
              order.due: { column: due, type: date }
            """
        let header = "ref,date,cust,line,sku,qty,prio,express,kg,due"
        let records = try read(yaml, "\(header)\nA,2026-11-26,C1,1,X,1,2,Y,1.5,2026-12-01\nB,2026-11-26,C1,1,X,1,high,N,1,\n")
        let first = try records[0].get()
        #expect(first.custom == ["order.rank": "2", "order.express": "true", "line.weight": "1.5", "order.due": "2026-12-01T00:00:00Z"])
        #expect(records[1].rejection?.message == "field order.rank: found 'high', expected a whole number")
        #expect(records[1].rejection?.orderRef == "B")
    }

    @Test func customNumbersBeyondEighteenDigitsAreRejectedWithTheLimit() throws {
        let yaml = """
            feed: orders
            fields:
              order_ref: ref
              order_date: date
              customer_ref: cust
              line_no: line
              sku: sku
              quantity: qty
              order.rank: { column: prio, type: integer }
              line.weight: { column: kg, type: decimal }
            """
        let header = "ref,date,cust,line,sku,qty,prio,kg"
        let records = try read(yaml, """
            \(header)
            A,2026-11-26,C1,1,X,1,999999999999999999,-999999999999999999.5
            B,2026-11-26,C1,1,X,1,9223372036854775807,1
            C,2026-11-26,C1,1,X,1,99999999999999999999,1
            D,2026-11-26,C1,1,X,1,1,1\(String(repeating: "0", count: 40))
            E,2026-11-26,C1,1,X,1,1,0.\(String(repeating: "1", count: 19))

            """)
        #expect(try records[0].get().custom == ["order.rank": "999999999999999999", "line.weight": "-999999999999999999.5"])
        #expect(records[1].rejection?.message == "field order.rank: found '9223372036854775807', expected a whole number of at most 18 digits (the engine's limit)")
        #expect(records[2].rejection?.message == "field order.rank: found '99999999999999999999', expected a whole number of at most 18 digits (the engine's limit)")
        #expect(records[3].rejection?.message.hasSuffix("expected a number of at most 18 digits before the decimal point and 18 after (the engine's limit)") == true)
        #expect(records[4].rejection?.message.hasSuffix("expected a number of at most 18 digits before the decimal point and 18 after (the engine's limit)") == true)
    }
}
