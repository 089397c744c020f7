/// How lines end in a written text document.
public enum LineEnd: String, Sendable, Hashable, CaseIterable {
    case crlf, lf
    var bytes: [UInt8] { self == .crlf ? [13, 10] : [10] }
}
