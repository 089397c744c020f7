import Foundation
import Testing
import OrderExport

@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+44 113", "'+44 113"), ("-A1", "'-A1"), ("\tx", "'\tx"),
        ("-5", "-5"), ("+3.20", "+3.20"), ("plain", "plain"), ("", ""), ("a=b", "a=b"),
    ])
    func neutralisesFormulaCellsButNotNumbers(cell: String, written: String) {
        #expect(CSVWriter.neutralised(cell) == written)
    }

    @Test func quotesCellsThatNeedIt() {
        var csv = CSVWriter(header: ["a", "b"])
        csv.append(["x,y", "say \"hi\""])
        #expect(String(decoding: csv.bytes, as: UTF8.self) == "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n")
        #expect(csv.rows == 1)
    }

    @Test func xmlEscapesMarkupAndDropsControlCharacters() {
        #expect(XMLWriter.escaped("<a href=\"x\">&'\u{1}") == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;")
    }

    @Test func pickListsSortByBinThenSku() {
        let address = Address(name: "N", address1: "", address2: "", city: "", postcode: "", country: "")
        let lines = [("B-1", "A"), ("A-1", "Z"), ("A-1", "M")].map {
            PickListLine(binLocation: $0.0, sku: $0.1, description: "", quantity: 1, orderRef: "O", lineNo: 1, customerRef: "C", shipTo: address)
        }
        let text = String(decoding: Documents.pickList(ref: "PL-1", warehouse: "W", lines: lines).bytes, as: UTF8.self)
        let skus = text.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] }
        #expect(skus == ["M", "Z", "A"])
    }
}

@Suite struct AtomicFileWriterTests {
    @Test func writesWholeFilesAndNeverOverwrites() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("afw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = AtomicFileWriter()
        try writer.write(Array("one".utf8), to: folder, name: "f.csv")
        // The same content again (a retry after a crash) is accepted; different content is refused.
        try writer.write(Array("one".utf8), to: folder, name: "f.csv")
        #expect(throws: OutputError.self) { try writer.write(Array("two".utf8), to: folder, name: "f.csv") }
        #expect(try String(contentsOf: folder.appendingPathComponent("f.csv"), encoding: .utf8) == "one")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["f.csv"])
    }
}
