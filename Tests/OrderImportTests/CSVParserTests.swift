import Testing
import OrderImport

@Suite struct CSVParserTests {
    func parse(_ text: String, _ options: CSVParser.Options = .init()) -> [Result<CSVRecord, CSVRecordError>] {
        var out: [Result<CSVRecord, CSVRecordError>] = []
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            CSVParser(options: options).parse(buffer) { out.append($0); return true }
        }
        return out
    }

    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let records = parse("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n")
        #expect(records.count == 3)
        #expect(try records[1].get() == CSVRecord(line: 2, fields: ["x, y", "say \"hi\"", "two\nlines"]))
        #expect(try records[2].get() == CSVRecord(line: 4, fields: ["last", "", ""]))
    }

    @Test func skipsBlankLinesAndAByteOrderMark() throws {
        let records = parse("\u{FEFF}h1,h2\n\n\r\nv1,v2")
        #expect(try records.map { try $0.get().fields } == [["h1", "h2"], ["v1", "v2"]])
        #expect(try records[1].get().line == 4)
    }

    @Test func aBrokenRowIsReportedAndParsingGoesOn() {
        let records = parse("a,b\n\"x\"y,z\nok,1\n")
        guard case .failure(let error) = records[1] else { Issue.record("expected a failure"); return }
        #expect(error.line == 2)
        #expect(error.problem == .textAfterClosingQuote)
        #expect(error.fields == ["x", "z"])
        #expect((try? records[2].get().fields) == ["ok", "1"])
    }

    @Test func anUnclosedQuoteIsReportedAtItsLine() {
        let records = parse("a,b\n1,\"never closed\n2,3\n")
        guard case .failure(let error) = records.last else { Issue.record("expected a failure"); return }
        #expect(error.line == 2)
        #expect(error.problem == .unclosedQuote)
    }

    @Test func invalidUTF8InAQuotedFieldIsAFieldErrorAndValidNonASCIITextIsKept() {
        var bytes = Array("café,\"Zoë, Ltd\"\n\"".utf8)
        bytes += [0xc3, 0x28] // a broken two-byte sequence, inside quotes
        bytes += Array("\",x\n".utf8)
        var out: [Result<CSVRecord, CSVRecordError>] = []
        bytes.withUnsafeBufferPointer { CSVParser().parse($0) { out.append($0); return true } }
        guard case .success(let first) = out.first else { Issue.record("expected a record"); return }
        #expect(first.fields == ["café", "Zoë, Ltd"])
        guard case .failure(let error) = out.last else { Issue.record("expected a failure"); return }
        #expect(error.problem == .invalidUTF8)
    }

    @Test func invalidUTF8IsAFieldError() {
        var bytes = Array("a\n".utf8)
        bytes += [0xff, 0xfe]
        var out: [Result<CSVRecord, CSVRecordError>] = []
        bytes.withUnsafeBufferPointer { CSVParser().parse($0) { out.append($0); return true } }
        guard case .failure(let error) = out.last else { Issue.record("expected a failure"); return }
        #expect(error.problem == .invalidUTF8)
    }

    @Test func otherDelimitersAndQuotes() throws {
        let records = parse("a;'b;c'\n", CSVParser.Options(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "'")))
        #expect(try records[0].get().fields == ["a", "b;c"])
    }

    /// A NUL is never stored and never cuts a value: the record fails, naming the field and what came before.
    @Test(arguments: [("AB\u{0}CD,x\n", 1, "AB"), ("x,\"AB\u{0}\u{0}\"\n", 2, "AB"), ("x,y,\u{0}\n", 3, "")])
    func aNulByteFailsTheRecord(text: String, field: Int, before: String) {
        let records = parse(text)
        guard case .failure(let error)? = records.first else { Issue.record("expected a failure"); return }
        #expect(error.field == field)
        #expect(error.problem == .nulByte(after: before))
        #expect(error.description.hasPrefix("field \(field) holds a NUL byte (0x00)"))
    }
}
