import OrderExport

/// Escaping for XML text and attribute values, on top of the outbox's `XMLWriter.escaped` (markup
/// characters escaped, characters XML 1.0 cannot carry left out).
///
/// Line ends and tabs need more than that to survive a parser: an attribute's are normalised to spaces
/// and a carriage return in text becomes a line feed, so they are written as character references.
enum XMLEscaping {
    static func appendText(_ text: String, to out: inout [UInt8]) {
        if isPlain(text) { out.append(contentsOf: text.utf8) } else { append(XMLWriter.escaped(text), attribute: false, to: &out) }
    }

    static func appendAttribute(_ text: String, to out: inout [UInt8]) {
        if isPlain(text) { out.append(contentsOf: text.utf8) } else { append(XMLWriter.escaped(text), attribute: true, to: &out) }
    }

    /// Whether `text` is written as it is: most values (SKUs, numbers, dates) are, and skip the escaping
    /// pass. Not plain: markup characters, control characters, and 0xEF (the lead byte of U+FFFE and U+FFFF).
    private static func isPlain(_ text: String) -> Bool {
        !text.utf8.contains { byte in
            byte < 0x20 || byte == 0xEF || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
        }
    }

    static func text(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        appendText(text, to: &out)
        return out
    }

    static func attribute(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        appendAttribute(text, to: &out)
        return out
    }

    private static func append(_ escaped: String, attribute: Bool, to out: inout [UInt8]) {
        let utf8 = escaped.utf8
        guard utf8.contains(where: { $0 == 13 || (attribute && ($0 == 9 || $0 == 10)) }) else {
            out.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case 13: out.append(contentsOf: "&#13;".utf8)
            case 10 where attribute: out.append(contentsOf: "&#10;".utf8)
            case 9 where attribute: out.append(contentsOf: "&#9;".utf8)
            default: out.append(byte)
            }
        }
    }
}
