/// Characters that print as nothing but make two codes differ: zero-width spaces and joiners, the
/// soft hyphen, bidirectional controls, the word joiner and invisible operators, the BOM.
///
/// `SO\u{200B}-1001` looks like `SO-1001` in every report but is another key, so a duplicate order
/// passes the duplicate check and a sku never matches its product. Keys holding one are rejected
/// (not silently cleaned): the sender's system is producing them and should be told.
public enum InvisibleCharacters {
    /// The first invisible character in `text` and its position (1-based, counting code points, since a
    /// joiner merges with its neighbour into one visible character), or nil.
    public static func first(in text: String) -> (scalar: Unicode.Scalar, position: Int)? {
        // Every one of them is outside ASCII: a plain code is checked with one pass over its bytes.
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated() where isInvisible(scalar) { return (scalar, offset + 1) }
        return nil
    }

    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// `U+200B (ZERO WIDTH SPACE)`.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return scalar.properties.name.map { "\(code) (\($0))" } ?? code
    }
}
