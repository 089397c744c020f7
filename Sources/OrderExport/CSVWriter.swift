/// Writes RFC 4180 CSV for people and spreadsheets to open.
///
/// A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be
/// run as a formula by a spreadsheet (CSV injection); such a cell is prefixed with a
/// single quote. Cells that are plain numbers (`-5`, `+3.20`) are left as they are.
public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var rows = 0

    public init(header: [String]) {
        append(header)
        rows = 0
    }

    public mutating func append(_ row: [String]) {
        for (i, cell) in row.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            appendCell(Self.neutralised(cell))
        }
        bytes.append(contentsOf: [13, 10])
        rows += 1
    }

    mutating func appendCell(_ cell: String) {
        let needsQuotes = cell.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        if !needsQuotes {
            bytes.append(contentsOf: cell.utf8)
            return
        }
        bytes.append(34)
        for b in cell.utf8 {
            if b == 34 { bytes.append(34) }
            bytes.append(b)
        }
        bytes.append(34)
    }

    /// The cell as it must be written so that no spreadsheet runs it.
    public static func neutralised(_ cell: String) -> String {
        guard let first = cell.utf8.first else { return cell }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 9, 13:
            return "'" + cell
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return isPlainNumber(cell) ? cell : "'" + cell
        default:
            return cell
        }
    }

    static func isPlainNumber(_ cell: String) -> Bool {
        var digits = 0, dots = 0
        for (i, b) in cell.utf8.enumerated() {
            if i == 0, b == 43 || b == 45 { continue }
            if b >= 48 && b <= 57 { digits += 1 } else if b == 46 { dots += 1 } else { return false }
        }
        return digits > 0 && dots <= 1
    }
}
