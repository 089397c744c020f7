import Foundation

/// The character encodings an output document may be written in, as a mapping's `encoding:` names them.
///
/// Windows-1252 and ISO-8859-1 are encoded by table here rather than by Foundation, so that a
/// character the encoding cannot hold is always seen (and reported, or replaced when the mapping
/// says so) and never silently turned into something else.
public enum OutputEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case windows1252 = "windows-1252"
    case iso88591 = "iso-8859-1"

    /// The bytes a file starts with.
    public var byteOrderMark: [UInt8] { self == .utf8BOM ? [0xEF, 0xBB, 0xBF] : [] }

    var isUTF8: Bool { self == .utf8 || self == .utf8BOM }

    /// The byte for a character outside ASCII, or nil when the encoding has none (UTF-8 is not asked).
    func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v < 0x80 { return UInt8(v) }
        switch self {
        case .utf8, .utf8BOM:
            return nil
        case .iso88591:
            return v <= 0xFF ? UInt8(v) : nil
        case .windows1252:
            if v >= 0xA0 && v <= 0xFF { return UInt8(v) }
            return Self.windows1252High[v]
        }
    }

    /// Windows-1252's 0x80–0x9F (five of those bytes are unassigned and never written).
    static let windows1252High: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}

/// What to do with a character the encoding cannot hold, as a mapping's `unencodable:` says.
public enum UnencodablePolicy: String, Sendable, Hashable, CaseIterable {
    /// Stop with an error naming the document, the field and the character.
    case error
    /// Write `?` in its place.
    case replace
}

/// The bytes of a document as they are written: text appended in the document's encoding, straight
/// into one buffer (no string per row).
struct EncodedBuffer {
    var bytes: [UInt8] = []
    let encoding: OutputEncoding
    let unencodable: UnencodablePolicy

    init(encoding: OutputEncoding, unencodable: UnencodablePolicy, capacity: Int = 0) {
        self.encoding = encoding
        self.unencodable = unencodable
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: encoding.byteOrderMark)
    }

    /// Appends `text`, writing `quote` twice wherever it occurs when one is given. Returns the first
    /// character the encoding cannot hold (nothing of `text` is then written), or nil.
    mutating func append(_ text: String, doubling quote: UInt8? = nil) -> Character? {
        let start = bytes.count
        if let quote {
            for b in text.utf8 {
                if b == quote { bytes.append(b) }
                bytes.append(b)
            }
        } else {
            bytes.append(contentsOf: text.utf8)
        }
        // UTF-8 holds everything; the single-byte encodings hold ASCII as it is.
        if encoding.isUTF8 || !bytes[start...].contains(where: { $0 >= 0x80 }) { return nil }
        bytes.removeSubrange(start...)
        // Most text encodes scalar by scalar; only when a scalar has no byte are composed forms tried
        // (an `é` written as `e` and a combining accent is Windows-1252's 0xE9), then `?` or the error.
        var encodable = true
        for scalar in text.unicodeScalars {
            guard let b = encoding.byte(scalar) else { encodable = false; break }
            if b == quote { bytes.append(b) }
            bytes.append(b)
        }
        if encodable { return nil }
        bytes.removeSubrange(start...)
        let composed = text.precomposedStringWithCanonicalMapping
        for character in composed {
            var encoded: [UInt8] = []
            for scalar in character.unicodeScalars {
                guard let b = encoding.byte(scalar) else { encoded = []; break }
                encoded.append(b)
            }
            if encoded.isEmpty {
                guard unencodable == .replace else {
                    bytes.removeSubrange(start...)
                    return character
                }
                encoded = [UInt8(ascii: "?")]
            }
            for b in encoded {
                if b == quote { bytes.append(b) }
                bytes.append(b)
            }
        }
        return nil
    }

    /// The character as the operator should read it in a message: itself and its code points.
    static func shown(_ character: Character) -> String {
        let points = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(4) }
        return "'\(character)' (\(points.joined(separator: " ")))"
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
