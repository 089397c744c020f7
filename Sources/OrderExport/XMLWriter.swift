/// A minimal, escaping XML writer for outbox documents.
public struct XMLWriter: Sendable {
    public private(set) var bytes: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
    private var open: [String] = []

    public init() {}

    public mutating func start(_ name: String, attributes: [(String, String)] = []) {
        indent()
        var text = "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(Self.escaped(value))\"" }
        bytes.append(contentsOf: (text + ">\n").utf8)
        open.append(name)
    }

    public mutating func element(_ name: String, _ value: String) {
        indent()
        bytes.append(contentsOf: "<\(name)>\(Self.escaped(value))</\(name)>\n".utf8)
    }

    public mutating func end() {
        let name = open.removeLast()
        indent()
        bytes.append(contentsOf: "</\(name)>\n".utf8)
    }

    private mutating func indent() {
        bytes.append(contentsOf: [UInt8](repeating: 32, count: open.count * 2))
    }

    /// Escapes markup characters and drops control characters that XML 1.0 cannot carry.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
