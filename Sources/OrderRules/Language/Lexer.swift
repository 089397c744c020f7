import Foundation

/// A token of the rule language, with its offset in the expression (for carets in errors).
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)   // a field path such as order.total, or a keyword
        case number(Decimal)
        case string(String)
        case symbol(String)       // = != <> < <= > >= + - * / ( ) [ ] , :
        case end
    }
    var kind: Kind
    var offset: Int
}

/// Splits an expression into tokens.
struct Lexer {
    let text: [Character]
    init(_ source: String) { text = Array(source) }

    func tokens() throws(RuleError) -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < text.count {
            let c = text[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            if c.isLetter || c == "_" {
                while i < text.count, text[i].isLetter || text[i].isNumber || text[i] == "_" || text[i] == "." { i += 1 }
                var word = String(text[start..<i])
                if word.hasSuffix(".") { word.removeLast(); i -= 1 }
                out.append(Token(kind: .identifier(word), offset: start))
            } else if c.isNumber {
                while i < text.count, text[i].isNumber || text[i] == "." { i += 1 }
                let literal = String(text[start..<i])
                guard let value = Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX")), literal.filter({ $0 == "." }).count <= 1 else {
                    throw RuleError(offset: start, message: "'\(literal)' is not a number")
                }
                out.append(Token(kind: .number(value), offset: start))
            } else if c == "'" || c == "\"" {
                i += 1
                var s = ""
                var closed = false
                while i < text.count {
                    if text[i] == c {
                        if i + 1 < text.count, text[i + 1] == c { s.append(c); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    s.append(text[i])
                    i += 1
                }
                guard closed else { throw RuleError(offset: start, message: "this text is never closed; expected a closing \(c)") }
                out.append(Token(kind: .string(s), offset: start))
            } else {
                let two = i + 1 < text.count ? String(text[i...(i + 1)]) : ""
                if ["!=", "<>", "<=", ">="].contains(two) {
                    out.append(Token(kind: .symbol(two == "<>" ? "!=" : two), offset: start))
                    i += 2
                } else if "=<>+-*/()[],:×÷".contains(c) {
                    let symbol = c == "×" ? "*" : c == "÷" ? "/" : String(c)
                    out.append(Token(kind: .symbol(symbol), offset: start))
                    i += 1
                } else {
                    throw RuleError(offset: start, message: "unexpected character '\(c)'")
                }
            }
        }
        out.append(Token(kind: .end, offset: text.count))
        return out
    }
}
