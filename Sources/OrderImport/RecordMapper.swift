import Foundation
import OrderModel

/// Applies a mapping's field rules to one source record: source, transforms, dialect, checks.
///
/// Format-neutral: the CSV and XML readers hand it a lookup for columns or XPaths, and it
/// returns the engine's canonical values (decimal point, ISO 8601 dates, `true`/`false`)
/// or a rejection naming the field, the value found and what was expected.
public struct RecordMapper: Sendable {
    public let mapping: Mapping
    let rules: [FieldRule?]
    let specs: [FieldSpec]
    let dialect: CSVDialect

    /// Per engine field: the column it copies unchanged, when its rule is a bare column whose value
    /// needs no transform, conversion or check (the usual case) — read without any rule machinery.
    public let direct: [ColumnRef?]

    /// The index of the card-number field (orders), whose value is the only one left unmasked: the
    /// record decoder reduces it to its last four digits and nothing else reads it.
    let cardIndex: Int?

    public init(mapping: Mapping) {
        self.mapping = mapping
        specs = mapping.feed.fields
        rules = specs.map { mapping.fields[$0.name] }
        dialect = mapping.dialect
        cardIndex = specs.firstIndex { $0.name == Self.cardField }
        let plainNumbers = dialect.decimal == UInt8(ascii: ".") && dialect.thousands == nil
        direct = zip(specs, rules).map { spec, rule in
            guard let rule, case .column(let ref) = rule.source, rule.transforms.isEmpty, !rule.checks.required,
                  rule.checks.allowed == nil, rule.checks.min == nil, rule.checks.max == nil, rule.checks.maxLength == nil else { return nil }
            switch spec.kind {
            case .text, .code, .flag: return ref
            case .integer, .decimal: return plainNumbers ? ref : nil
            case .date: return nil
            }
        }
    }

    /// Every column or XPath the mapping reads (fields and `skip_when:`), so a reader can resolve them once per file.
    public var references: [FieldSource] {
        let rules = mapping.fields.values.sorted { $0.location.line < $1.location.line } + mapping.custom.map(\.rule)
        return rules.map(\.source).flatMap(\.references) + (mapping.skipWhen?.references ?? [])
    }

    /// What one row hands to the next: the order whose header later rows inherit (`fill_down`), and
    /// the counters of `sequence:` fields.
    public struct FillDown: Sendable {
        var orderRef: String?
        var header: [String] = []
        var custom: [String: String] = [:]
        /// Rows mapped so far (`sequence: per_file`).
        var rowsInFile = 0
        /// The order key of the previous row and its rows so far (`sequence: per_order`).
        var sequenceKey: String?
        var rowsInOrder = 0
        public init() {}
    }

    /// Whether the mapping's `skip_when:` leaves this row out; `lookup` returns the raw text of a column or XPath.
    public func skips(_ lookup: (FieldSource) -> String) -> Bool {
        guard let condition = mapping.skipWhen else { return false }
        return Self.holds(condition, { source($0, lookup).trimmed })
    }

    static func holds(_ condition: SkipCondition, _ value: (FieldSource) -> String) -> Bool {
        switch condition {
        case .all(let parts): return parts.allSatisfy { holds($0, value) }
        case .any(let parts): return parts.contains { holds($0, value) }
        case .not(let inner): return !holds(inner, value)
        case .test(let source, let test):
            let v = value(source)
            switch test {
            case .blank: return v.isEmpty
            case .equals(let text): return v == text
            case .oneOf(let list): return list.contains(v)
            case .matches(let box): return box.regex.firstMatch(in: v, range: NSRange(v.startIndex..., in: v)) != nil
            }
        }
    }

    /// A skipped row of a `fill_down` orders file may still be the first row of its order, the one that
    /// carries the header: its header values are kept for the rows that follow, as if it were read.
    /// Nothing else of it counts (no record, no rejection, no sequence number).
    public func noteSkipped(line: Int, fillDown: inout FillDown, lookup: (FieldSource) -> String) {
        guard mapping.feed == .orders, mapping.fillDown, let key = orderKey(lookup), key != fillDown.orderRef else { return }
        let counters = (fillDown.rowsInFile, fillDown.sequenceKey, fillDown.rowsInOrder)
        if case .failure = map(line: line, fillDown: &fillDown, lookup: lookup) {
            fillDown = FillDown()
            fillDown.orderRef = key
        }
        (fillDown.rowsInFile, fillDown.sequenceKey, fillDown.rowsInOrder) = counters
    }

    /// The row's order key as the mapping makes it (after `order_ref`'s steps, card numbers masked); the
    /// value as written when the steps fail on it. Nil when blank or not an orders feed. Rows are
    /// compared by this key, never by the raw text (`fill_down` with a `prefix:` continues the right order).
    public func orderKey(_ lookup: (FieldSource) -> String) -> String? {
        guard mapping.feed == .orders, let rule = mapping.fields["order_ref"], let raw = raw("order_ref", lookup) else { return nil }
        let made = (try? value(of: rule, field: "order_ref", kind: .code, line: 0, lookup: lookup))?.trimmed.nilIfEmpty
        return CardNumberRedactor.redact(made ?? raw)
    }

    /// Maps one record; `lookup` returns the raw text of a column or XPath.
    public func map(line: Int, location: String? = nil, fillDown: inout FillDown, directValue: ((Int) -> String?)? = nil,
                    lookup: (FieldSource) -> String) -> Result<MappedRecord, RecordRejection> {
        var values = [String](repeating: "", count: specs.count)
        var continuing = false
        let rowRef = mapping.feed == .orders && mapping.fillDown ? orderKey(lookup) : nil
        if mapping.fillDown, let current = fillDown.orderRef, !fillDown.header.isEmpty {
            continuing = rowRef == nil || rowRef == current
        }
        fillDown.rowsInFile += 1
        do throws(RecordRejection) {
            var counted: [Int] = []
            for i in 0..<rules.count {
                if !continuing, let directValue, let value = directValue(i) {
                    values[i] = value
                    continue
                }
                guard let rule = rules[i] else { continue }
                if case .sequence = rule.source { counted.append(i); continue }
                // A following row of the same order inherits the header fields it leaves blank.
                if continuing, !specs[i].isLineField, source(rule.source, lookup).trimmed.isEmpty {
                    values[i] = fillDown.header[i]
                    continue
                }
                values[i] = try value(of: rule, field: specs[i].name, kind: specs[i].kind, line: line, lookup: lookup)
            }
            var custom: [String: String] = [:]
            var countedCustom: [CustomField] = []
            for field in mapping.custom {
                if case .sequence = field.rule.source { countedCustom.append(field); continue }
                if continuing, field.entity == "order", source(field.rule.source, lookup).trimmed.isEmpty {
                    if let v = fillDown.custom[field.qualifiedName] { custom[field.qualifiedName] = v }
                    continue
                }
                let v = try value(of: field.rule, field: field.qualifiedName, kind: field.kind, line: line, lookup: lookup)
                if !v.isEmpty { custom[field.qualifiedName] = v }
            }
            if !counted.isEmpty || !countedCustom.isEmpty {
                // Counted once the order key is known: the row's own, or the one it continues.
                if mapping.feed == .orders {
                    let key = values[mapping.feed.index(of: "order_ref")]
                    if key == fillDown.sequenceKey { fillDown.rowsInOrder += 1 } else { fillDown.sequenceKey = key; fillDown.rowsInOrder = 1 }
                }
                let counters = (perFile: fillDown.rowsInFile, perOrder: fillDown.rowsInOrder)
                let counting: (FieldSource) -> String = { source in
                    guard case .sequence(let scope) = source else { return lookup(source) }
                    return String(scope == .perFile ? counters.perFile : counters.perOrder)
                }
                for i in counted {
                    guard let rule = rules[i] else { continue }
                    values[i] = try value(of: rule, field: specs[i].name, kind: specs[i].kind, line: line, lookup: counting)
                }
                for field in countedCustom {
                    let v = try value(of: field.rule, field: field.qualifiedName, kind: field.kind, line: line, lookup: counting)
                    if !v.isEmpty { custom[field.qualifiedName] = v }
                }
            }
            // Every value but the card field is masked here, once, for every feed and format: whatever
            // reads a mapped record (the database, a pick list, `mapping test`) never sees a card number.
            for i in values.indices where i != cardIndex { values[i] = CardNumberRedactor.redact(values[i]) }
            for (key, value) in custom { custom[key] = CardNumberRedactor.redact(value) }
            if mapping.fillDown && !continuing {
                fillDown.orderRef = values[mapping.feed.index(of: "order_ref")].nilIfEmpty
                fillDown.header = values
                fillDown.custom = custom.filter { $0.key.hasPrefix("order.") }
            }
            return .success(MappedRecord(line: line, values: values, custom: custom, location: location))
        } catch {
            var e = error
            e.location = location
            if mapping.feed == .orders {
                let ref = values[mapping.feed.index(of: "order_ref")].nilIfEmpty.map(CardNumberRedactor.redact) ?? rowRef
                    ?? orderKey(lookup)
                e.orderRef = ref ?? (mapping.fillDown ? fillDown.orderRef : nil)
                // A broken first row still starts its order: the rows that follow belong to it (and are refused with it).
                if mapping.fillDown, !continuing, let ref, ref != fillDown.orderRef {
                    let counters = (fillDown.rowsInFile, fillDown.sequenceKey, fillDown.rowsInOrder)
                    fillDown = FillDown()
                    fillDown.orderRef = ref
                    (fillDown.rowsInFile, fillDown.sequenceKey, fillDown.rowsInOrder) = counters
                }
                if e.lineNo == nil { e.lineNo = Int(raw("line_no", lookup) ?? "") }
                if e.sku == nil { e.sku = raw("sku", lookup).map(CardNumberRedactor.redact) }
                e.cardDigits = raw(Self.cardField, lookup).flatMap(CardNumberRedactor.cardDigits)
            }
            return .failure(e)
        }
    }

    static let cardField = "card_number"

    func raw(_ field: String, _ lookup: (FieldSource) -> String) -> String? {
        guard let rule = mapping.fields[field] else { return nil }
        return source(rule.source, lookup).trimmed.nilIfEmpty
    }

    func source(_ source: FieldSource, _ lookup: (FieldSource) -> String) -> String {
        switch source {
        case .column, .xpath, .sequence: return lookup(source)
        case .constant(let v): return v
        case .first(let alternatives):
            // As written: the first alternative with a value (its steps are applied by `value(of:)`).
            for alternative in alternatives {
                let v = self.source(alternative.source, lookup)
                if !v.trimmed.isEmpty { return v }
            }
            return ""
        case .concat(let parts, let separator):
            return parts.map { self.source($0, lookup).trimmed }.filter { !$0.isEmpty }
                .joined(separator: separator)
        case .template(let parts):
            return parts.map { part in
                switch part {
                case .literal(let l): l
                case .source(let s): self.source(s, lookup).trimmed
                }
            }.joined()
        }
    }

    /// A value after its source and steps, before the dialect's forms and the checks.
    struct Made {
        /// The source value as written, for messages.
        var original: String
        var value: String
        var numberDone = false
        var dateDone = false
    }

    func made(_ rule: FieldRule, field: String, line: Int, lookup: (FieldSource) -> String) throws(RecordRejection) -> Made {
        var result: Made
        if case .first(let alternatives) = rule.source {
            // Each alternative through its own steps; the first that is not blank wins.
            result = Made(original: "", value: "")
            for alternative in alternatives {
                let candidate = try made(alternative, field: field, line: line, lookup: lookup)
                if !candidate.value.trimmed.isEmpty { result = candidate; break }
            }
        } else {
            let original = source(rule.source, lookup)
            result = Made(original: original, value: original)
        }
        let original = result.original
        var value = result.value
        var numberDone = result.numberDone, dateDone = result.dateDone
        func bad(_ expected: String) -> RecordRejection {
            .badValue(line: line, field: field, found: original, expected: expected)
        }
        for step in rule.transforms {
            switch step {
            case .trim: value = value.trimmed
            case .upper: value = value.uppercased()
            case .lower: value = value.lowercased()
            case .defaultValue(let d): if value.trimmed.isEmpty { value = d }
            case .map(let table, let otherwise):
                if let mapped = table[value] ?? table[value.trimmed] { value = mapped }
                else if let otherwise { value = otherwise }
            case .regex(let box):
                let range = NSRange(value.startIndex..., in: value)
                if let match = box.regex.firstMatch(in: value, range: range) {
                    let r = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                    value = Range(r, in: value).map { String(value[$0]) } ?? ""
                } else {
                    value = ""
                }
            case .number:
                guard let n = normalisedNumber(value) else { throw bad(numberExpectation) }
                value = n
                numberDone = true
            case .date(let pattern):
                if value.trimmed.isEmpty { continue }
                guard let t = pattern.parse(value) else { throw bad("a date like \(pattern.text)") }
                value = t.description
                dateDone = true
            case .multiply(let factor):
                if value.trimmed.isEmpty { continue }
                guard let n = numberDone ? value : normalisedNumber(value),
                      let d = Decimal(string: n, locale: Locale(identifier: "en_US_POSIX")) else { throw bad(numberExpectation) }
                var product = d * factor
                var rounded = Decimal()
                NSDecimalRound(&rounded, &product, 6, .plain)
                value = NSDecimalNumber(decimal: rounded).stringValue
                numberDone = true
            case .prefix(let p): if !value.isEmpty { value = p + value }
            case .suffix(let s): if !value.isEmpty { value += s }
            }
        }
        return Made(original: original, value: value, numberDone: numberDone, dateDone: dateDone)
    }

    func value(of rule: FieldRule, field: String, kind: FieldKind, line: Int, lookup: (FieldSource) -> String) throws(RecordRejection) -> String {
        let made = try made(rule, field: field, line: line, lookup: lookup)
        let original = made.original
        var value = made.value
        let numberDone = made.numberDone, dateDone = made.dateDone
        func bad(_ expected: String) -> RecordRejection {
            .badValue(line: line, field: field, found: original, expected: expected)
        }
        // The dialect's forms apply to typed fields unless a step already converted the value.
        let trimmed = value.trimmed
        if !trimmed.isEmpty {
            switch kind {
            case .integer, .decimal:
                if !numberDone, dialect.decimal != UInt8(ascii: ".") || dialect.thousands != nil {
                    guard let n = normalisedNumber(trimmed) else { throw bad(numberExpectation) }
                    value = n
                }
                if field.contains(".") {
                    // A custom field's type is checked here; engine fields are checked by the record decoder.
                    let v = value.trimmed
                    if kind == .integer, Int64(v) == nil || !Self.isWithinCustomLimit(v) {
                        throw bad(Self.isPlainDecimal(v) && !v.contains(".") ? "a whole number of at most \(Self.customDigits) digits (the engine's limit)" : "a whole number")
                    }
                    if kind == .decimal, Decimal(string: v, locale: Locale(identifier: "en_US_POSIX")) == nil || !Self.isPlainDecimal(v) {
                        throw bad("a number such as 12.50")
                    }
                    if kind == .decimal, !Self.isWithinCustomLimit(v) {
                        throw bad("a number of at most \(Self.customDigits) digits before the decimal point and \(Self.customDigits) after (the engine's limit)")
                    }
                    value = v
                }
            case .date:
                if !dateDone {
                    if let pattern = dialect.dateFormat {
                        guard let t = pattern.parse(trimmed) else { throw bad("a date like \(pattern.text)") }
                        value = t.description
                    } else if let t = Timestamp(iso8601: trimmed, offset: .asWritten) {
                        value = t.description
                    } else if field.contains(".") {
                        throw bad("a date YYYY-MM-DD or an ISO 8601 date-time")
                    }
                }
            case .flag where field.contains("."):
                switch trimmed.uppercased() {
                case "Y", "YES", "1", "TRUE": value = "true"
                case "N", "NO", "0", "FALSE": value = "false"
                default: throw bad("Y or N")
                }
            default:
                break
            }
        }
        try check(value, rule.checks, bad: bad)
        return value
    }

    var numberExpectation: String {
        let d = Character(UnicodeScalar(dialect.decimal))
        let example = dialect.thousands.map { "1\(Character(UnicodeScalar($0)))234\(d)50" } ?? "1234\(d)50"
        return "a number like \(example)"
    }

    /// `1.234,56` (per the dialect) to `1234.56`; nil when it is not a number.
    func normalisedNumber(_ text: String) -> String? {
        var out: [UInt8] = []
        var digits = 0, points = 0
        for (i, b) in text.trimmed.utf8.enumerated() {
            if b >= 48 && b <= 57 { out.append(b); digits += 1 }
            else if b == dialect.decimal { out.append(UInt8(ascii: ".")); points += 1 }
            else if let t = dialect.thousands, b == t { continue }
            else if b == 32 || b == 0xA0 { continue }
            else if (b == UInt8(ascii: "-") || b == UInt8(ascii: "+")) && i == 0 { out.append(b) }
            else { return nil }
        }
        guard digits > 0, points <= 1 else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// A custom number's digits either side of the point: 18 keeps it exact as an Int64 and as a rule's Decimal.
    public static let customDigits = 18

    /// Whether a plain number has at most `customDigits` digits before and after its point.
    static func isWithinCustomLimit(_ s: String) -> Bool {
        var body = Substring(s)
        if body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = parts.first else { return true }
        return whole.drop { $0 == "0" }.count <= customDigits && parts.dropFirst().allSatisfy { $0.count <= customDigits }
    }

    static func isPlainDecimal(_ s: String) -> Bool {
        var digits = 0, points = 0
        for (i, b) in s.utf8.enumerated() {
            if b >= 48 && b <= 57 { digits += 1 } else if b == 46 { points += 1 } else if !(i == 0 && (b == 45 || b == 43)) { return false }
        }
        return digits > 0 && points <= 1
    }

    func check(_ value: String, _ checks: FieldChecks, bad: (String) -> RecordRejection) throws(RecordRejection) {
        let v = value.trimmed
        if v.isEmpty {
            if checks.required { throw bad("a value (the mapping makes the field required)") }
            return
        }
        if let allowed = checks.allowed, !allowed.contains(v) {
            throw bad("one of \(allowed.joined(separator: ", "))")
        }
        if checks.min != nil || checks.max != nil {
            guard let n = Decimal(string: v, locale: Locale(identifier: "en_US_POSIX")), Self.isPlainDecimal(v) else { throw bad("a number") }
            if let min = checks.min, n < min { throw bad("at least \(min)") }
            if let max = checks.max, n > max { throw bad("at most \(max)") }
        }
        if let maxLength = checks.maxLength, v.count > maxLength { throw bad("at most \(maxLength) characters") }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
