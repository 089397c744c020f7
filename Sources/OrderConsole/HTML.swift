/// A fragment of HTML whose interpolated values are escaped by construction.
///
/// Only the literal parts of an `HTML` string are markup; every interpolated `String` (or anything
/// `CustomStringConvertible`) is escaped for text and attribute values alike, so a customer name like
/// `<script>` or `" onmouseover="` is shown, never run. Fragments nest (`\(otherHTML)`) without being
/// escaped twice, and a list of fragments interpolates as their concatenation. No other way in exists:
/// there is no "raw" initialiser taking a runtime string.
public struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup, ready to send.
    public private(set) var rendered: String

    public init(stringLiteral value: StaticString) {
        rendered = value.description
    }

    public init(stringInterpolation: Interpolation) {
        rendered = stringInterpolation.rendered
    }

    public var description: String { rendered }

    /// Nothing.
    public static let empty: HTML = ""

    /// Fragments one after another.
    public init<S: Sequence>(joining fragments: S) where S.Element == HTML {
        rendered = fragments.map(\.rendered).joined()
    }

    /// Builds an `HTML` string: literals as markup, values escaped.
    public struct Interpolation: StringInterpolationProtocol {
        var rendered = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            rendered.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            rendered += literal.description
        }

        public mutating func appendInterpolation(_ text: String) {
            rendered += HTML.escape(text)
        }

        public mutating func appendInterpolation(_ text: String?) {
            if let text { rendered += HTML.escape(text) }
        }

        public mutating func appendInterpolation<T: CustomStringConvertible>(_ value: T) {
            rendered += HTML.escape(value.description)
        }

        public mutating func appendInterpolation(_ html: HTML) {
            rendered += html.rendered
        }

        public mutating func appendInterpolation(_ html: HTML?) {
            if let html { rendered += html.rendered }
        }

        public mutating func appendInterpolation(_ fragments: [HTML]) {
            for f in fragments { rendered += f.rendered }
        }
    }

    /// Escapes the five characters that matter in text and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
