import Foundation
import Testing
import OrderOutput
import OrderRules

@Suite struct TextTemplateTests {
    let catalog = OutputDocumentKind.purchaseOrder.catalog()

    @Test func rendersPlaceholdersBetweenLiterals() throws {
        let t = try TextTemplate("PO-{{ document.ref }}_{{document.date}}.csv", perRow: false, catalog: catalog)
        #expect(t.render(header: Sample.purchaseOrder().header, today: Sample.today) == "PO-PO-7_2026-03-05.csv")
        #expect(t.render(header: Sample.purchaseOrder().header, today: Sample.today, format: ValueFormat(datePattern: "yyyyMMdd")) == "PO-PO-7_20260305.csv")
        #expect(t.fields == ["document.ref", "document.date"])
    }

    @Test func rowPlaceholdersReadTheRow() throws {
        let t = try TextTemplate("{{ line.sku }} x {{ line.quantity }} for {{ document.ref }}", perRow: true, catalog: catalog)
        #expect(t.render(row: Sample.purchaseOrder().rows[1], today: Sample.today) == "B,2 x -1 for PO-7")
    }

    @Test func aQuotedClosingBraceStaysInTheExpression() throws {
        let t = try TextTemplate("{{ '}}' + order.ref }}!", perRow: false, catalog: catalog)
        #expect(t.render(header: Sample.purchaseOrder().header, today: Sample.today) == "}}SO-1!")
    }

    @Test func textJoinsWithPlusAndNullJoinsToNothing() throws {
        let t = try TextTemplate("{{ 'ACME-' + order.ref }}/{{ 'x' + supplier.email }}", perRow: false, catalog: catalog)
        #expect(t.render(header: Sample.purchaseOrder().header, today: Sample.today) == "ACME-SO-1/")
        #expect(Sample.failure { _ = try TextTemplate("{{ 'A' + 1 }}", perRow: false, catalog: catalog) } == "1:8: cannot apply '+' to text and a number")
    }

    @Test func errorsArePositionedInTheText() {
        #expect(Sample.failure { _ = try TextTemplate("ab\ncd {{ order.reff }}", perRow: false, catalog: catalog) }?.hasPrefix("2:7: ") == true)
        #expect(Sample.failure { _ = try TextTemplate("x {{ order.ref", perRow: false, catalog: catalog) } == "1:3: '{{' is not closed by '}}'")
        #expect(Sample.failure { _ = try TextTemplate("x {{ }}", perRow: false, catalog: catalog) }?.hasPrefix("1:3: ") == true)
    }

    @Test func valueFormatWritesEachKind() {
        let f = ValueFormat(decimalSeparator: ",", datePattern: "dd.MM.yyyy")
        #expect(f.text(Sample.number("-12.50")) == "-12,50" || f.text(Sample.number("-12.50")) == "-12,5")
        #expect(f.text(.date(0)) == "01.01.1970")
        #expect(f.text(.bool(true)) == "true")
        #expect(f.text(.null) == "")
        #expect(f.text(.text("a.b")) == "a.b")
        // Any day number is written without trapping, even far outside the calendar.
        #expect(!f.text(.date(.min)).isEmpty && !f.text(.date(.max)).isEmpty)
    }
}
