/// An ISO 4217 currency code (`GBP`, `EUR`, `USD`): three letters, kept in capitals.
///
/// Senders write codes in either case (`eur`, `EUR`); they are the same currency. Whether the code is
/// one ISO assigned is not checked: a sender's private code still compares exactly.
public struct CurrencyCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let code: String

    /// Three ASCII letters, any case (surrounding blanks ignored); nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.trimmed
        guard trimmed.utf8.count == 3,
              trimmed.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        else { return nil }
        code = trimmed.uppercased()
    }

    public var description: String { code }
    public static func < (a: CurrencyCode, b: CurrencyCode) -> Bool { a.code < b.code }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = CurrencyCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a three-letter currency code"))
        }
        self = parsed
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
