/// Masks anything that looks like a full payment card number in free text or whole files.
///
/// Hostile or careless feeds put card numbers where they do not belong (a ship-to name,
/// a note, an extra column, the archived input file itself). The rule, the same everywhere:
///
/// - A *run* is digits joined by gaps. A gap is one separator (space, dash or dot, as people
///   write `4111 1111 1111 1111`, `4111-1111-…` or `4111.1111.…`), or XML markup that does not
///   change the parsed text (a comment, a CDATA start or end, a processing instruction), so a
///   number split by markup is seen as the one number a parser reads. A digit may also be written
///   as an XML character reference (`&#52;`).
/// - A run is a card number when it has 13 to 19 digits and passes the Luhn check, or when its
///   digits are among the `known` numbers read from a card field (masked even when they fail Luhn).
/// - When the whole run is not one, every stretch of its groups of three or more digits is tried,
///   so a card number written next to another number (`qty 2 4111 1111 1111 1111`) is still found,
///   while dates and phone numbers made of short groups are left alone.
///
/// Masking keeps the length (each masked digit, or the whole character reference, becomes `*`),
/// so file offsets and line numbers stay true, and keeps the last four digits, which is all the
/// engine ever needs.
public enum CardNumberRedactor {
    public static let mask = UInt8(ascii: "*")

    /// One digit of a run: its bytes (one, or a character reference) and its value.
    struct Unit {
        var start: Int
        var end: Int
        var digit: UInt8
        /// Index of the group it belongs to (a new group after every gap).
        var group: Int
    }

    /// Finds every card number in `b` and hands over its digits (all of them; the caller masks).
    /// Nothing is allocated for the common run (a quantity, a date, a price): it is measured first.
    static func scan(_ b: UnsafeBufferPointer<UInt8>, known: Set<String>?, _ found: (ArraySlice<Unit>) -> Void) {
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if c > 57 || (c < 48 && c != 38) { i += 1; continue }
            var j: Int
            if c >= 48 {
                j = i + 1
            } else if c == 38, let first = unit(b, i) {
                j = first.end
            } else {
                i += 1
                continue
            }
            // Measure: how many digits, and where the run ends. Plain digits and single separators are
            // read inline; markup and character references (rare) take the general path.
            var digits = 1
            var markup = -1
            while j < n {
                let d = b[j]
                if isDigit(d) { digits += 1; j += 1; continue }
                let kind = byteKind(d)
                if kind == 0 { break }
                if kind == 1 {
                    guard j + 1 < n else { break }
                    if isDigit(b[j + 1]) { digits += 1; j += 2; continue }
                    guard b[j + 1] == 38, let u = unit(b, j + 1) else { break }
                    digits += 1
                    j = u.end
                    continue
                }
                // The next digit follows at once (same group) or after a gap (a new group).
                if let u = unit(b, j) { digits += 1; j = u.end; continue }
                guard let next = gapEnd(b, j), let u = unit(b, next) else { break }
                if markup < 0, next - j > 1 { markup = j }
                digits += 1
                j = u.end
            }
            if digits >= 12 {
                var units: [Unit] = []
                units.reserveCapacity(digits)
                var k = i, group = 0
                var hidden: [Range<Int>] = []
                while let u = unit(b, k) {
                    units.append(Unit(start: k, end: u.end, digit: u.digit, group: group))
                    guard u.end < j else { break }
                    if unit(b, u.end) != nil { k = u.end; continue }
                    guard let next = gapEnd(b, u.end) else { break }
                    if next - u.end > 1 { hidden.append(u.end..<next) }
                    group += 1
                    k = next
                }
                check(units, known: known, found)
                // Text inside a comment or instruction used as a gap is scanned on its own.
                for range in hidden {
                    scan(UnsafeBufferPointer(rebasing: b[range]), known: known) { inner in
                        found(ArraySlice(inner.map { Unit(start: $0.start + range.lowerBound, end: $0.end + range.lowerBound,
                                                          digit: $0.digit, group: $0.group) }))
                    }
                }
            } else if markup >= 0 {
                // A short run split by markup: the markup's own text is read like any other.
                i = markup + 1
                continue
            }
            i = j
        }
    }

    /// Decides which stretches of a run are card numbers.
    static func check(_ units: [Unit], known: Set<String>?, _ found: (ArraySlice<Unit>) -> Void) {
        if isCard(units[...], known: known) { found(units[...]); return }
        // Groups of the run, as ranges of unit indices.
        var groups: [Range<Int>] = []
        var start = 0
        for k in 1...units.count where k == units.count || units[k].group != units[k - 1].group {
            groups.append(start..<k)
            start = k
        }
        guard groups.count > 1 else { return }
        for a in groups.indices where groups[a].count >= 3 {
            var b = a
            while true {
                let count = groups[b].upperBound - groups[a].lowerBound
                if count > 19 { break }
                let whole = a == 0 && b == groups.count - 1
                if count >= 13, !whole {
                    let span = units[groups[a].lowerBound..<groups[b].upperBound]
                    if isCard(span, known: known) { found(span) }
                }
                guard b + 1 < groups.count, groups[b + 1].count >= 3 else { break }
                b += 1
            }
        }
    }

    static func isCard(_ units: ArraySlice<Unit>, known: Set<String>?) -> Bool {
        if (13...19).contains(units.count) {
            // Luhn, summed in place (this runs for every long digit run of a file).
            var sum = 0
            for (index, unit) in units.reversed().enumerated() {
                var d = Int(unit.digit)
                if index & 1 == 1 { d = d < 5 ? d * 2 : d * 2 - 9 }
                sum += d
            }
            if sum % 10 == 0 { return true }
        }
        guard let known, !known.isEmpty else { return false }
        return known.contains(String(decoding: units.map { $0.digit + 48 }, as: UTF8.self))
    }

    /// The digit at `i` (a digit byte, or `&#NN;` / `&#xHH;` naming one): where it ends and its value.
    @inline(never) static func unit(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (end: Int, digit: UInt8)? {
        guard i < b.count else { return nil }
        if isDigit(b[i]) { return (i + 1, b[i] - 48) }
        guard b[i] == 38, i + 3 < b.count, b[i + 1] == 35 else { return nil }
        var k = i + 2
        var value = 0
        let hex = b[k] == 120 || b[k] == 88
        if hex { k += 1 }
        let first = k
        let limit = min(b.count, k + 8)
        while k < limit {
            let c = b[k]
            if c == 59 { return k > first && (48...57).contains(value) ? (k + 1, UInt8(value - 48)) : nil }
            if isDigit(c) { value = value * (hex ? 16 : 10) + Int(c - 48) }
            else if hex, let h = hexValue(c) { value = value * 16 + h }
            else { return nil }
            k += 1
        }
        return nil
    }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 97...102: Int(c) - 87
        case 65...70: Int(c) - 55
        default: nil
        }
    }

    /// Where the next digit of a run may start after a digit ending at `j`: after one separator, or
    /// after markup that leaves the parsed text unchanged (with at most one separator among it).
    @inline(never) static func gapEnd(_ b: UnsafeBufferPointer<UInt8>, _ j: Int) -> Int? {
        guard j < b.count else { return nil }
        let c = b[j]
        if c == 32 || c == 45 || c == 46 { return j + 1 < b.count && startsUnit(b, j + 1) ? j + 1 : nil }
        guard c == 60 || c == 93 else { return nil }
        var k = j
        var separators = 0
        while k < b.count {
            if let end = markupEnd(b, k) { k = end; continue }
            let d = b[k]
            if (d == 32 || d == 45 || d == 46) && separators == 0 { separators = 1; k += 1; continue }
            break
        }
        return k > j && startsUnit(b, k) ? k : nil
    }

    @inline(__always) static func startsUnit(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Bool {
        k < b.count && (isDigit(b[k]) || (b[k] == 38 && unit(b, k) != nil))
    }

    enum Markup {
        static let cdataStart = Array("<![CDATA[".utf8), cdataEnd = Array("]]>".utf8)
        static let commentStart = Array("<!--".utf8), commentEnd = Array("-->".utf8)
        static let instructionStart = Array("<?".utf8), instructionEnd = Array("?>".utf8)
    }

    /// The end of a comment, CDATA start or end, or processing instruction starting at `k`, or nil.
    static func markupEnd(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int? {
        func has(_ text: [UInt8], at p: Int) -> Bool {
            guard p + text.count <= b.count else { return false }
            for x in 0..<text.count where b[p + x] != text[x] { return false }
            return true
        }
        func find(_ text: [UInt8], from p: Int) -> Int? {
            var q = p
            while q + text.count <= b.count {
                if has(text, at: q) { return q + text.count }
                q += 1
            }
            return nil
        }
        if has(Markup.cdataEnd, at: k) { return k + 3 }
        guard b[k] == 60 else { return nil }
        if has(Markup.cdataStart, at: k) { return k + 9 }
        if has(Markup.commentStart, at: k) { return find(Markup.commentEnd, from: k + 4) }
        if has(Markup.instructionStart, at: k) { return find(Markup.instructionEnd, from: k + 2) }
        return nil
    }

    /// The bytes to mask of a card number: every digit but the last four.
    static func masked(_ card: ArraySlice<Unit>) -> [Range<Int>] {
        card.dropLast(4).map { $0.start..<$0.end }
    }

    /// Redacts in place; returns true when anything was masked.
    /// - Parameter known: card numbers (digits only) read from a card field, masked even when they fail Luhn.
    @discardableResult
    public static func redact(_ bytes: inout [UInt8], known: Set<String>? = nil) -> Bool {
        var changed = false
        // A card is masked as soon as it is found: it lies behind the scan, which never reads it again.
        bytes.withUnsafeMutableBufferPointer { m in
            scan(UnsafeBufferPointer(m), known: known) { card in
                for unit in card.dropLast(4) { for p in unit.start..<unit.end { m[p] = mask } }
                changed = true
            }
        }
        return changed
    }

    /// Whether `bytes` hold anything that `redact` would mask (nothing is copied).
    public static func needsRedaction(_ bytes: UnsafeBufferPointer<UInt8>, known: Set<String>? = nil) -> Bool {
        var found = false
        scan(bytes, known: known) { _ in found = true }
        return found
    }

    /// Redacts UTF-16 text in place, in its own encoding: each code unit that is part of a card
    /// number becomes `*` (two bytes), so the file keeps its length and its byte order mark.
    /// - Parameter littleEndian: the byte order; `bytes` holds whole code units (an even count).
    @discardableResult
    public static func redactUTF16(_ bytes: inout [UInt8], littleEndian: Bool, known: Set<String>? = nil) -> Bool {
        let count = bytes.count / 2
        // Each code unit seen as one byte: ASCII as it is, anything else as a byte that is never a digit
        // or markup, so positions in the projection are code unit indices.
        var projected = [UInt8](repeating: 0, count: count)
        for u in 0..<count {
            let (lo, hi) = littleEndian ? (bytes[2 * u], bytes[2 * u + 1]) : (bytes[2 * u + 1], bytes[2 * u])
            projected[u] = hi == 0 && lo < 128 ? lo : 0x80
        }
        var ranges: [Range<Int>] = []
        projected.withUnsafeBufferPointer { b in scan(b, known: known) { ranges.append(contentsOf: masked($0)) } }
        for range in ranges {
            for u in range {
                bytes[2 * u + (littleEndian ? 0 : 1)] = mask
                bytes[2 * u + (littleEndian ? 1 : 0)] = 0
            }
        }
        return !ranges.isEmpty
    }

    /// Redacts a string; cheap when it holds no long digit run.
    public static func redact(_ text: String) -> String {
        guard mayHoldCard(text) else { return text }
        var bytes = Array(text.utf8)
        return redact(&bytes) ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// A card-number field's value as it may be shown: every digit but the last four masked,
    /// whether or not the number passes Luhn (it was given as a card number).
    public static func maskingCardField(_ value: String) -> String {
        var bytes = Array(value.utf8)
        let digits = bytes.indices.filter { isDigit(bytes[$0]) }
        guard digits.count > 4 else { return value }
        for p in digits.dropLast(4) { bytes[p] = mask }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The digits of every card number in free text, so the same numbers can be masked elsewhere.
    public static func cardNumbers(in text: String) -> [String] {
        guard mayHoldCard(text) else { return [] }
        let bytes = Array(text.utf8)
        var found: [String] = []
        bytes.withUnsafeBufferPointer { b in
            scan(b, known: nil) { card in found.append(String(decoding: card.map { $0.digit + 48 }, as: UTF8.self)) }
        }
        return found
    }

    /// The digits of a card-number field value, if it is long enough to be a card number.
    public static func cardDigits(_ value: String) -> String? {
        let digits = value.utf8.filter { isDigit($0) }
        return digits.count >= 12 ? String(decoding: digits, as: UTF8.self) : nil
    }

    /// Whether the text has 12 or more digits joined by separators (the only texts worth scanning).
    static func mayHoldCard(_ text: String) -> Bool {
        // Most values (codes, quantities, dates, prices) are shorter than any card number: no scan.
        guard text.utf8.count >= 12 else { return false }
        var digits = 0
        for byte in text.utf8 {
            if isDigit(byte) { digits += 1; if digits >= 12 { return true } }
            else if byte != 32 && byte != 45 && byte != 46 { digits = 0 }
        }
        return false
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// 0: ends a run; 1: a separator (space, dash, dot); 2: may start markup or a character reference.
    @inline(__always) static func byteKind(_ b: UInt8) -> Int {
        // Most bytes that end a run are letters, commas, quotes or line ends: one comparison each.
        if b > 93 || b < 32 { return 0 }
        switch b {
        case 32, 45, 46: return 1
        case 38, 60, 93: return 2
        default: return 0
        }
    }
}
