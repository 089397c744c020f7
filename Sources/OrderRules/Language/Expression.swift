/// The syntax tree of a rule expression; every node keeps its offset for error carets.
public indirect enum Expression: Sendable, Hashable {
    case literal(Value, at: Int)
    /// `order.total`, `customer.region`, `line.quantity`, `product.category`.
    case field(entity: String, name: String, at: Int)
    /// The engine clock's day.
    case today(at: Int)
    case negate(Expression, at: Int)
    case not(Expression, at: Int)
    /// and, or, = != < <= > >=, + - * /, contains, starts with, matches.
    case binary(String, Expression, Expression, at: Int)
    case inList(Expression, [Expression], negated: Bool, at: Int)
    case isNull(Expression, negated: Bool, at: Int)
    /// `any line: COND` / `all lines: COND`.
    case quantifier(all: Bool, Expression, at: Int)
    /// `count lines`, `count lines where COND`.
    case count(Expression?, at: Int)
    /// `sum line.value`, `sum line.quantity where COND`.
    case sum(Expression, Expression?, at: Int)

    /// The fields the expression reads, as `entity.name`.
    var fields: Set<String> {
        switch self {
        case .field(let entity, let name, _): ["\(entity).\(name)"]
        case .literal, .today, .count(nil, _): []
        case .negate(let e, _), .not(let e, _), .isNull(let e, _, _), .quantifier(_, let e, _), .count(let e?, _): e.fields
        case .binary(_, let l, let r, _): l.fields.union(r.fields)
        case .inList(let e, let items, _, _): items.reduce(e.fields) { $0.union($1.fields) }
        case .sum(let e, let condition, _): e.fields.union(condition?.fields ?? [])
        }
    }

    /// Whether the expression reads an order's lines together (`any line:`, `all lines:`, `count lines`,
    /// `sum`): then every line of the order must be there, not only the one a document's row prints.
    var readsLines: Bool {
        switch self {
        case .quantifier, .count, .sum: true
        case .field, .literal, .today: false
        case .negate(let e, _), .not(let e, _), .isNull(let e, _, _): e.readsLines
        case .binary(_, let l, let r, _): l.readsLines || r.readsLines
        case .inList(let e, let items, _, _): e.readsLines || items.contains { $0.readsLines }
        }
    }

    var offset: Int {
        switch self {
        case .literal(_, let at), .field(_, _, let at), .today(let at), .negate(_, let at), .not(_, let at),
             .binary(_, _, _, let at), .inList(_, _, _, let at), .isNull(_, _, let at), .quantifier(_, _, let at),
             .count(_, let at), .sum(_, _, let at): at
        }
    }
}

/// A recursive-descent parser for the rule language; the grammar is in the README ("Rules").
///
/// Nesting is bounded: parsing, type-checking, evaluating and freeing a rule all recurse over its
/// tree, so a rule nested thousands deep (`((((…` or `not not not …`, found by fuzzing) would
/// overflow the stack and kill the engine. A rule deeper than `maxDepth` is an error instead.
struct Parser {
    var tokens: [Token]
    var position = 0
    /// How deep the expression being built is, counted generously: one for every parenthesis, `not`,
    /// minus sign, quantifier and aggregate entered, and one for every operator of a chain (`a or b or c`).
    var depth = 0
    /// Far beyond any rule a person writes (a long list of alternatives belongs in `in [...]`), and
    /// shallow enough for the smallest thread stack the engine runs on.
    static let maxDepth = 100

    init(_ source: String) throws(RuleError) {
        tokens = try Lexer(source).tokens()
    }

    static func parse(_ source: String) throws(RuleError) -> Expression {
        var parser = try Parser(source)
        let expression = try parser.or()
        guard case .end = parser.peek.kind else {
            throw RuleError(offset: parser.peek.offset, message: "unexpected \(parser.describe(parser.peek)); expected and, or, or the end of the rule")
        }
        return expression
    }

    /// Counts one more level of nesting at `offset`; the caller restores `depth` when it returns.
    mutating func deeper(at offset: Int) throws(RuleError) {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw RuleError(offset: offset, message: "the rule nests too deeply (more than \(Self.maxDepth) levels of parentheses, not, quantifiers or chained operators); simplify it, and write a long list of alternatives as x in [...]")
        }
    }

    var peek: Token { tokens[position] }
    mutating func advance() -> Token { defer { position += 1 }; return tokens[position] }

    func isWord(_ word: String, _ token: Token? = nil) -> Bool {
        if case .identifier(let w) = (token ?? peek).kind { return w.lowercased() == word }
        return false
    }
    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let s) = peek.kind { return s == symbol }
        return false
    }
    mutating func accept(word: String) -> Bool {
        if isWord(word) { position += 1; return true }
        return false
    }
    mutating func accept(symbol: String) -> Bool {
        if isSymbol(symbol) { position += 1; return true }
        return false
    }
    mutating func expect(symbol: String, _ what: String) throws(RuleError) {
        guard accept(symbol: symbol) else { throw RuleError(offset: peek.offset, message: "expected \(what), found \(describe(peek))") }
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier(let w): "'\(w)'"
        case .number(let n): "the number \(n)"
        case .string(let s): "the text '\(s)'"
        case .symbol(let s): "'\(s)'"
        case .end: "the end of the rule"
        }
    }

    static let keywords: Set<String> = ["and", "or", "not", "in", "contains", "starts", "with", "matches", "is", "null", "true",
                                        "false", "any", "all", "count", "sum", "line", "lines", "where", "date", "today"]

    mutating func or() throws(RuleError) -> Expression {
        let outer = depth
        defer { depth = outer }
        var left = try and()
        while isWord("or") {
            let at = advance().offset
            try deeper(at: at)
            left = .binary("or", left, try and(), at: at)
        }
        return left
    }

    mutating func and() throws(RuleError) -> Expression {
        let outer = depth
        defer { depth = outer }
        var left = try notExpression()
        while isWord("and") {
            let at = advance().offset
            try deeper(at: at)
            left = .binary("and", left, try notExpression(), at: at)
        }
        return left
    }

    mutating func notExpression() throws(RuleError) -> Expression {
        if isWord("not") {
            let at = advance().offset
            let outer = depth
            defer { depth = outer }
            try deeper(at: at)
            return .not(try notExpression(), at: at)
        }
        return try comparison()
    }

    mutating func comparison() throws(RuleError) -> Expression {
        let left = try additive()
        let token = peek
        if case .symbol(let s) = token.kind, ["=", "!=", "<", "<=", ">", ">="].contains(s) {
            position += 1
            return .binary(s, left, try additive(), at: token.offset)
        }
        if isWord("contains") { position += 1; return .binary("contains", left, try additive(), at: token.offset) }
        if isWord("matches") { position += 1; return .binary("matches", left, try additive(), at: token.offset) }
        if isWord("starts") {
            position += 1
            guard accept(word: "with") else { throw RuleError(offset: peek.offset, message: "expected 'with' after 'starts'") }
            return .binary("starts with", left, try additive(), at: token.offset)
        }
        if isWord("is") {
            position += 1
            let negated = accept(word: "not")
            guard accept(word: "null") else { throw RuleError(offset: peek.offset, message: "expected 'null' after 'is\(negated ? " not" : "")'") }
            return .isNull(left, negated: negated, at: token.offset)
        }
        var negated = false
        if isWord("not"), position + 1 < tokens.count, isWord("in", tokens[position + 1]) {
            position += 1
            negated = true
        }
        if isWord("in") {
            position += 1
            try expect(symbol: "[", "'[' to open the list")
            var items: [Expression] = []
            if !isSymbol("]") {
                repeat { items.append(try additive()) } while accept(symbol: ",")
            }
            try expect(symbol: "]", "',' or ']' to close the list")
            return .inList(left, items, negated: negated, at: token.offset)
        }
        return left
    }

    mutating func additive() throws(RuleError) -> Expression {
        let outer = depth
        defer { depth = outer }
        var left = try multiplicative()
        while isSymbol("+") || isSymbol("-") {
            let token = advance()
            try deeper(at: token.offset)
            guard case .symbol(let s) = token.kind else { break }
            left = .binary(s, left, try multiplicative(), at: token.offset)
        }
        return left
    }

    mutating func multiplicative() throws(RuleError) -> Expression {
        let outer = depth
        defer { depth = outer }
        var left = try unary()
        while isSymbol("*") || isSymbol("/") {
            let token = advance()
            try deeper(at: token.offset)
            guard case .symbol(let s) = token.kind else { break }
            left = .binary(s, left, try unary(), at: token.offset)
        }
        return left
    }

    mutating func unary() throws(RuleError) -> Expression {
        if isSymbol("-") {
            let at = advance().offset
            let outer = depth
            defer { depth = outer }
            try deeper(at: at)
            return .negate(try unary(), at: at)
        }
        return try primary()
    }

    mutating func primary() throws(RuleError) -> Expression {
        let token = advance()
        let outer = depth
        defer { depth = outer }
        switch token.kind {
        case .number(let n): return .literal(.number(n), at: token.offset)
        case .string(let s): return .literal(.text(s), at: token.offset)
        case .symbol("("):
            try deeper(at: token.offset)
            let inner = try or()
            try expect(symbol: ")", "')' to close the '(' at offset \(token.offset)")
            return inner
        case .identifier(let word):
            switch word.lowercased() {
            case "true": return .literal(.bool(true), at: token.offset)
            case "false": return .literal(.bool(false), at: token.offset)
            case "today": return .today(at: token.offset)
            case "null":
                throw RuleError(offset: token.offset, message: "null is not a value; test for it with 'is null' or 'is not null'")
            case "date":
                guard case .string(let text) = peek.kind else {
                    throw RuleError(offset: peek.offset, message: "expected a date in quotes after 'date', e.g. date '2026-11-27'")
                }
                let at = advance().offset
                guard let days = DayMath.parse(text) else {
                    throw RuleError(offset: at, message: "'\(text)' is not a date; write it as YYYY-MM-DD")
                }
                return .literal(.date(days), at: token.offset)
            case "any", "all":
                guard accept(word: "line") || accept(word: "lines") else {
                    throw RuleError(offset: peek.offset, message: "expected 'line' after '\(word)', as in \(word) line: product.category = 'TV'")
                }
                try expect(symbol: ":", "':' before the condition, as in \(word) line: line.quantity > 10")
                try deeper(at: token.offset)
                return .quantifier(all: word.lowercased() == "all", try notExpression(), at: token.offset)
            case "count":
                guard accept(word: "lines") || accept(word: "line") else {
                    throw RuleError(offset: peek.offset, message: "expected 'lines' after 'count', as in count lines where line.quantity > 1")
                }
                try deeper(at: token.offset)
                return .count(accept(word: "where") ? try notExpression() : nil, at: token.offset)
            case "sum":
                try deeper(at: token.offset)
                let value = try additive()
                return .sum(value, accept(word: "where") ? try notExpression() : nil, at: token.offset)
            default:
                if Self.keywords.contains(word.lowercased()) {
                    throw RuleError(offset: token.offset, message: "unexpected '\(word)'; expected a field, a value or '('")
                }
                let parts = word.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    throw RuleError(offset: token.offset, message: "unknown name '\(word)'; fields are written entity.field, e.g. order.total or customer.terms")
                }
                return .field(entity: parts[0].lowercased(), name: parts[1], at: token.offset)
            }
        case .end:
            throw RuleError(offset: token.offset, message: "the rule ends too soon; expected a field, a value or '('")
        default:
            throw RuleError(offset: token.offset, message: "unexpected \(describe(token)); expected a field, a value or '('")
        }
    }
}
