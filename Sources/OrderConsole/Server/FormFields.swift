import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or a query string.
public struct FormFields: Sendable, Hashable {
    var values: [String: [String]] = [:]

    public init() {}

    /// Parses `a=1&b=two+words&c=%C3%A9`; a field without `=` has the empty value; bytes that are not
    /// UTF-8 after decoding drop the field rather than guess.
    public init(urlEncoded text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            guard let value else { continue }
            values[name, default: []].append(value)
        }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? { values[name]?.first }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    static func decode(_ part: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(part.utf8.count)
        var iterator = part.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
