import Foundation

/// A checked, compiled rule expression: evaluate it against orders (or lines) as often as needed.
///
/// Compiling to closures once at load keeps evaluation a walk over prepared functions, with
/// no parsing or type checks per order.
public struct Rule: Sendable {
    public enum Scope: String, Sendable, Codable { case order, line }

    public let source: String
    public let scope: Scope
    let evaluate: @Sendable (EvaluationContext) -> Value
    /// Conditions every match must meet (the top-level `and` terms of the form `field op literal`):
    /// a caller may use them to narrow the orders it loads before evaluating the whole rule.
    public private(set) var prefilter: [Condition] = []
    /// The fields the rule reads (`order.total`, `product.category`): a caller may load only those.
    public private(set) var fields: Set<String> = []
    /// Whether the rule reads an order's lines together (a quantifier or an aggregate): a caller that
    /// evaluates it for one line may load only that line when it does not.
    public private(set) var readsLines = true

    /// `entity.field op value` — a necessary condition of the rule.
    public struct Condition: Sendable, Hashable {
        public var entity: String
        public var field: String
        /// `=`, `!=`, `<`, `<=`, `>`, `>=` or `in`.
        public var op: String
        public var values: [Value]
    }

    static func conditions(_ e: Expression) -> [Condition] {
        switch e {
        case .binary("and", let l, let r, _):
            return conditions(l) + conditions(r)
        case .binary(let op, .field(let entity, let name, _), .literal(let v, _), _) where ["=", "!=", "<", "<=", ">", ">="].contains(op):
            return [Condition(entity: entity, field: name, op: op, values: [v])]
        case .inList(.field(let entity, let name, _), let items, false, _):
            let values = items.compactMap { item -> Value? in if case .literal(let v, _) = item { return v }; return nil }
            return values.count == items.count ? [Condition(entity: entity, field: name, op: "in", values: values)] : []
        default:
            return []
        }
    }

    /// Parses and checks `source`; errors carry the offset of the mistake.
    public init(_ source: String, scope: Scope = .order, catalog: FieldCatalog = FieldCatalog()) throws(RuleError) {
        self.source = source
        self.scope = scope
        let expression: Expression
        do { expression = try Parser.parse(source) } catch { throw error.located(source: source, file: nil, line: 1, column: 1) }
        let compiler = Compiler(catalog: catalog)
        let compiled: Compiler.Compiled
        do { compiled = try compiler.compile(expression, inLine: scope == .line, quantified: false) }
        catch { throw error.located(source: source, file: nil, line: 1, column: 1) }
        guard compiled.type == .bool else {
            throw RuleError(offset: 0, message: "a rule must be a condition (true or false), but this is \(compiled.type)")
                .located(source: source, file: nil, line: 1, column: 1)
        }
        evaluate = compiled.eval
        prefilter = Self.conditions(expression)
        fields = expression.fields
        readsLines = expression.readsLines
    }

    /// Compiles an expression of any type (an output column such as `order.total * 2`).
    public init(value source: String, scope: Scope = .order, catalog: FieldCatalog = FieldCatalog()) throws(RuleError) {
        self.source = source
        self.scope = scope
        do {
            let expression = try Parser.parse(source)
            evaluate = try Compiler(catalog: catalog).compile(expression, inLine: scope == .line, quantified: false).eval
            fields = expression.fields
            readsLines = expression.readsLines
        } catch {
            throw error.located(source: source, file: nil, line: 1, column: 1)
        }
    }

    /// Whether an order matches (order scope). Null counts as no match.
    public func matches(_ order: OrderFacts, today: Int64) -> Bool {
        evaluate(EvaluationContext(order: order, line: nil, today: today)) == .bool(true)
    }

    /// The lines of an order that match (line scope).
    public func matchingLines(_ order: OrderFacts, today: Int64) -> [LineFacts] {
        order.lines.filter { evaluate(EvaluationContext(order: order, line: $0, today: today)) == .bool(true) }
    }

    /// Evaluates to a value, for tests and previews.
    public func value(_ order: OrderFacts, line: LineFacts? = nil, today: Int64) -> Value {
        evaluate(EvaluationContext(order: order, line: line, today: today))
    }

    /// Evaluates to a value in a context built once for many rules (an output's columns for one row).
    public func value(in context: EvaluationContext) -> Value {
        evaluate(context)
    }

    /// The compiled rule alone, for a caller that evaluates many rules for many rows: taken once, it spares
    /// copying the rule (its source, fields and conditions) for every value.
    public var evaluator: @Sendable (EvaluationContext) -> Value { evaluate }
}

/// What a rule is evaluated against: an order, one of its lines (for a line rule or an output's row) and the day.
///
/// Building one copies the order's and the line's facts; an output builds it once per row for all its columns,
/// which at 15 columns of 300,000 rows had cost as much as the lookups themselves.
public struct EvaluationContext {
    var order: OrderFacts
    var line: LineFacts?
    var today: Int64
    public init(order: OrderFacts, line: LineFacts?, today: Int64) {
        self.order = order; self.line = line; self.today = today
    }
}

/// Type-checks the tree and turns it into closures in one pass.
struct Compiler {
    let catalog: FieldCatalog
    typealias Eval = @Sendable (EvaluationContext) -> Value
    struct Compiled {
        var type: ValueType
        var eval: Eval
    }

    func compile(_ e: Expression, inLine: Bool, quantified: Bool) throws(RuleError) -> Compiled {
        switch e {
        case .literal(let v, _):
            let type: ValueType = switch v {
            case .number: .number
            case .text: .text
            case .date: .date
            case .bool, .null: .bool
            }
            return Compiled(type: type) { _ in v }
        case .today:
            return Compiled(type: .date) { .date($0.today) }
        case .field(let entity, let name, let at):
            guard let fields = catalog.fields[entity] else {
                throw RuleError(offset: at, message: "unknown entity '\(entity)'; fields belong to \(catalog.entityNames.joined(separator: ", "))")
            }
            guard let type = fields[name] else {
                let near = catalog.suggestions(entity: entity, name: name)
                let hint = near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"
                throw RuleError(offset: at, message: "unknown field '\(entity).\(name)'\(hint); custom fields come from the mappings")
            }
            if catalog.lineEntities.contains(entity) && !inLine {
                throw RuleError(offset: at, message: "\(entity).\(name) belongs to a line; in an order rule test it inside any line: ..., all lines: ..., count lines where ... or sum ...")
            }
            switch entity {
            case "order": return Compiled(type: type) { $0.order.order[name] ?? .null }
            case "customer": return Compiled(type: type) { $0.order.customer?[name] ?? .null }
            case "line": return Compiled(type: type) { $0.line?.line[name] ?? .null }
            case "product": return Compiled(type: type) { $0.line?.product?[name] ?? .null }
            default:
                if catalog.lineEntities.contains(entity) {
                    return Compiled(type: type) { $0.line?.entities[entity]?[name] ?? .null }
                }
                return Compiled(type: type) { $0.order.entities[entity]?[name] ?? .null }
            }
        case .negate(let inner, let at):
            let c = try compile(inner, inLine: inLine, quantified: quantified)
            guard c.type == .number else { throw RuleError(offset: at, message: "'-' needs a number, but this is \(c.type)") }
            let f = c.eval
            return Compiled(type: .number) { ctx in if case .number(let n) = f(ctx) { return .number(-n) }; return .null }
        case .not(let inner, let at):
            let c = try compile(inner, inLine: inLine, quantified: quantified)
            guard c.type == .bool else { throw RuleError(offset: at, message: "'not' needs a condition, but this is \(c.type)") }
            let f = c.eval
            return Compiled(type: .bool) { ctx in .bool(f(ctx) != .bool(true)) }
        case .binary(let op, let l, let r, let at):
            return try binary(op, l, r, at: at, inLine: inLine, quantified: quantified)
        case .inList(let left, let items, let negated, let at):
            let c = try compile(left, inLine: inLine, quantified: quantified)
            var values: [Value] = []
            for item in items {
                let ic = try compile(item, inLine: inLine, quantified: quantified)
                guard ic.type == c.type else {
                    throw RuleError(offset: item.offset, message: "the list mixes \(ic.type) with \(c.type) on the left of 'in'")
                }
                values.append(ic.eval(EvaluationContext(order: OrderFacts(orderID: 0, order: [:], customer: nil, lines: []), line: nil, today: 0)))
            }
            guard items.allSatisfy({ if case .literal = $0 { true } else { false } }) else {
                throw RuleError(offset: at, message: "the list after 'in' must hold plain values, e.g. in ['A', 'B']")
            }
            let set = Set(values), f = c.eval
            return Compiled(type: .bool) { ctx in
                let v = f(ctx)
                if v.isNull { return .bool(false) }
                return .bool(set.contains(v) != negated)
            }
        case .isNull(let inner, let negated, _):
            let f = try compile(inner, inLine: inLine, quantified: quantified).eval
            return Compiled(type: .bool) { ctx in .bool(f(ctx).isNull != negated) }
        case .quantifier(let all, let cond, let at):
            let c = try compileAcrossLines(cond, at: at, inLine: inLine, quantified: quantified, what: all ? "all lines:" : "any line:")
            guard c.type == .bool else { throw RuleError(offset: cond.offset, message: "the condition after '\(all ? "all lines:" : "any line:")' must be true or false, but this is \(c.type)") }
            let f = c.eval
            return Compiled(type: .bool) { ctx in
                for line in ctx.order.lines {
                    var inner = ctx
                    inner.line = line
                    let hit = f(inner) == .bool(true)
                    if all && !hit { return .bool(false) }
                    if !all && hit { return .bool(true) }
                }
                return .bool(all)
            }
        case .count(let cond, let at):
            let f = try cond.map { (c: Expression) throws(RuleError) -> Eval in
                let compiled = try compileAcrossLines(c, at: at, inLine: inLine, quantified: quantified, what: "count lines where")
                guard compiled.type == .bool else { throw RuleError(offset: c.offset, message: "the condition after 'where' must be true or false, but this is \(compiled.type)") }
                return compiled.eval
            }
            if cond == nil, inLine { throw RuleError(offset: at, message: "count lines needs order scope; this rule's scope is line") }
            return Compiled(type: .number) { ctx in
                var n = 0
                for line in ctx.order.lines {
                    guard let f else { n += 1; continue }
                    var inner = ctx
                    inner.line = line
                    if f(inner) == .bool(true) { n += 1 }
                }
                return .number(Decimal(n))
            }
        case .sum(let value, let cond, let at):
            let v = try compileAcrossLines(value, at: at, inLine: inLine, quantified: quantified, what: "sum")
            guard v.type == .number else { throw RuleError(offset: value.offset, message: "sum needs a number, but this is \(v.type)") }
            let f = try cond.map { (c: Expression) throws(RuleError) -> Eval in
                let compiled = try compileAcrossLines(c, at: at, inLine: inLine, quantified: quantified, what: "sum ... where")
                guard compiled.type == .bool else { throw RuleError(offset: c.offset, message: "the condition after 'where' must be true or false, but this is \(compiled.type)") }
                return compiled.eval
            }
            let valueEval = v.eval
            return Compiled(type: .number) { ctx in
                var total = Decimal(0)
                for line in ctx.order.lines {
                    var inner = ctx
                    inner.line = line
                    if let f, f(inner) != .bool(true) { continue }
                    if case .number(let n) = valueEval(inner) { total += n }
                }
                return Self.number(total)
            }
        }
    }

    /// Compiles the body of a quantifier or aggregate: line fields become visible; nesting is refused.
    func compileAcrossLines(_ e: Expression, at: Int, inLine: Bool, quantified: Bool, what: String) throws(RuleError) -> Compiled {
        if inLine { throw RuleError(offset: at, message: "'\(what)' looks across an order's lines, so it needs order scope; this rule's scope is line") }
        if quantified { throw RuleError(offset: at, message: "'\(what)' cannot be used inside another quantifier") }
        return try compile(e, inLine: true, quantified: true)
    }

    func binary(_ op: String, _ l: Expression, _ r: Expression, at: Int, inLine: Bool, quantified: Bool) throws(RuleError) -> Compiled {
        let left = try compile(l, inLine: inLine, quantified: quantified)
        let right = try compile(r, inLine: inLine, quantified: quantified)
        let lf = left.eval, rf = right.eval
        switch op {
        case "and", "or":
            guard left.type == .bool else { throw RuleError(offset: l.offset, message: "'\(op)' joins conditions, but this is \(left.type)") }
            guard right.type == .bool else { throw RuleError(offset: r.offset, message: "'\(op)' joins conditions, but this is \(right.type)") }
            if op == "and" { return Compiled(type: .bool) { ctx in .bool(lf(ctx) == .bool(true) && rf(ctx) == .bool(true)) } }
            return Compiled(type: .bool) { ctx in .bool(lf(ctx) == .bool(true) || rf(ctx) == .bool(true)) }
        case "=", "!=", "<", "<=", ">", ">=":
            guard left.type == right.type else {
                throw RuleError(offset: at, message: "cannot compare \(left.type) with \(right.type)")
            }
            if left.type == .bool && !["=", "!="].contains(op) {
                throw RuleError(offset: at, message: "true/false values can only be compared with = or !=")
            }
            return Compiled(type: .bool) { ctx in
                guard let order = Self.order(lf(ctx), rf(ctx)) else { return .bool(false) }
                switch op {
                case "=": return .bool(order == .orderedSame)
                case "!=": return .bool(order != .orderedSame)
                case "<": return .bool(order == .orderedAscending)
                case "<=": return .bool(order != .orderedDescending)
                case ">": return .bool(order == .orderedDescending)
                default: return .bool(order != .orderedAscending)
                }
            }
        case "contains", "starts with", "matches":
            guard left.type == .text else { throw RuleError(offset: l.offset, message: "'\(op)' needs text on its left, but this is \(left.type)") }
            guard right.type == .text else { throw RuleError(offset: r.offset, message: "'\(op)' needs text on its right, but this is \(right.type)") }
            if op == "matches" {
                guard case .literal(.text(let pattern), _) = r else {
                    throw RuleError(offset: r.offset, message: "'matches' needs a regular expression in quotes")
                }
                let regex: NSRegularExpression
                do { regex = try NSRegularExpression(pattern: pattern) } catch {
                    throw RuleError(offset: r.offset, message: "'\(pattern)' is not a valid regular expression")
                }
                let box = RegexHolder(regex: regex)
                return Compiled(type: .bool) { ctx in
                    guard case .text(let s) = lf(ctx) else { return .bool(false) }
                    return .bool(box.regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil)
                }
            }
            let starts = op == "starts with"
            return Compiled(type: .bool) { ctx in
                guard case .text(let s) = lf(ctx), case .text(let t) = rf(ctx) else { return .bool(false) }
                return .bool(starts ? s.hasPrefix(t) : s.contains(t))
            }
        default: // + - * /
            switch (left.type, right.type, op) {
            case (.number, .number, _):
                return Compiled(type: .number) { ctx in
                    guard case .number(let a) = lf(ctx), case .number(let b) = rf(ctx) else { return .null }
                    switch op {
                    case "+": return Self.number(a + b)
                    case "-": return Self.number(a - b)
                    case "*": return Self.number(a * b)
                    default: return b == 0 ? .null : Self.number(a / b)
                    }
                }
            case (.text, .text, "+"):
                // Joins text, for output columns such as 'ACME-' + order.ref; null when either side is null.
                return Compiled(type: .text) { ctx in
                    guard case .text(let a) = lf(ctx), case .text(let b) = rf(ctx) else { return .null }
                    return .text(a + b)
                }
            case (.date, .number, "+"), (.date, .number, "-"):
                return Compiled(type: .date) { ctx in
                    guard case .date(let d) = lf(ctx), case .number(let n) = rf(ctx) else { return .null }
                    return DayMath.adding(op == "+" ? n : -n, to: d).map(Value.date) ?? .null
                }
            case (.number, .date, "+"):
                return Compiled(type: .date) { ctx in
                    guard case .number(let n) = lf(ctx), case .date(let d) = rf(ctx) else { return .null }
                    return DayMath.adding(n, to: d).map(Value.date) ?? .null
                }
            case (.date, .date, "-"):
                return Compiled(type: .number) { ctx in
                    guard case .date(let a) = lf(ctx), case .date(let b) = rf(ctx) else { return .null }
                    let (days, overflow) = a.subtractingReportingOverflow(b)
                    return overflow ? .null : .number(Decimal(days))
                }
            default:
                throw RuleError(offset: at, message: "cannot apply '\(op)' to \(left.type) and \(right.type)")
            }
        }
    }

    /// A number result, or null when the arithmetic overflowed (Decimal gives NaN beyond about 10^165).
    static func number(_ d: Decimal) -> Value { d.isNaN ? .null : .number(d) }

    static func order(_ a: Value, _ b: Value) -> ComparisonResult? {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y ? .orderedSame : x < y ? .orderedAscending : .orderedDescending
        case (.text(let x), .text(let y)): return x == y ? .orderedSame : x < y ? .orderedAscending : .orderedDescending
        case (.date(let x), .date(let y)): return x == y ? .orderedSame : x < y ? .orderedAscending : .orderedDescending
        case (.bool(let x), .bool(let y)): return x == y ? .orderedSame : .orderedAscending
        default: return nil
        }
    }
}

struct RegexHolder: @unchecked Sendable {
    let regex: NSRegularExpression
}
