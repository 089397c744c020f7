/// Masks anything that looks like a full payment card number in free text or whole files.
///
/// Hostile or careless feeds put card numbers where they do not belong (a ship-to name,
/// a note, the archived input file itself). A run of digits — optionally split by single
/// spaces or dashes — is a card number when it has 13 to 19 digits and passes the Luhn
/// check, or when its digits are among the `known` card numbers read from a card field.
/// Masking keeps the byte length, so file offsets and line numbers stay true, and keeps
/// the last four digits, which is all the engine ever needs.
public enum CardNumberRedactor {
    public static let mask = UInt8(ascii: "*")

    /// A maximal run of digits with single separators: the byte positions of its digits.
    struct Run {
        var positions: [Int]
    }

    static func runs(in bytes: [UInt8]) -> [Run] {
        var result: [Run] = []
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            while i < n {
                guard isDigit(b[i]) else { i += 1; continue }
                // Measured first: nearly every run (a quantity, a date, a price) is too short to be a card
                // number and needs no list of positions.
                var j = i, digits = 0
                while j < n {
                    if isDigit(b[j]) {
                        digits += 1
                        j += 1
                    } else if b[j] == 32 || b[j] == 45, j + 1 < n, isDigit(b[j + 1]) {
                        j += 1
                    } else {
                        break
                    }
                }
                if digits >= 12 {
                    var positions: [Int] = []
                    positions.reserveCapacity(digits)
                    for k in i..<j where isDigit(b[k]) { positions.append(k) }
                    result.append(Run(positions: positions))
                }
                i = j
            }
        }
        return result
    }

    static func isCard(_ digits: [UInt8], known: Set<String>?) -> Bool {
        if let known, known.contains(String(decoding: digits, as: UTF8.self)) { return true }
        return (13...19).contains(digits.count) && Luhn.isValid(digits.map { $0 - 48 })
    }

    /// Redacts in place; returns true when anything was masked.
    /// - Parameter known: card numbers (digits only) read from a card field, masked even when they fail Luhn.
    @discardableResult
    public static func redact(_ bytes: inout [UInt8], known: Set<String>? = nil) -> Bool {
        var changed = false
        for run in runs(in: bytes) {
            let digits = run.positions.map { bytes[$0] }
            guard isCard(digits, known: known) else { continue }
            for p in run.positions.dropLast(4) { bytes[p] = mask }
            changed = true
        }
        return changed
    }

    /// Redacts a string; cheap when it holds no long digit run.
    public static func redact(_ text: String) -> String {
        guard mayHoldCard(text) else { return text }
        var bytes = Array(text.utf8)
        return redact(&bytes) ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// The digits of every Luhn-valid card number in free text, so the same numbers can be masked elsewhere.
    public static func cardNumbers(in text: String) -> [String] {
        guard mayHoldCard(text) else { return [] }
        let bytes = Array(text.utf8)
        return runs(in: bytes).map { $0.positions.map { bytes[$0] } }.filter { isCard($0, known: nil) }
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// The digits of a card-number field value, if it is long enough to be a card number.
    public static func cardDigits(_ value: String) -> String? {
        let digits = value.utf8.filter { isDigit($0) }
        return digits.count >= 12 ? String(decoding: digits, as: UTF8.self) : nil
    }

    static func mayHoldCard(_ text: String) -> Bool {
        var digits = 0
        for byte in text.utf8 {
            if isDigit(byte) { digits += 1; if digits >= 12 { return true } }
            else if byte != 32 && byte != 45 { digits = 0 }
        }
        return false
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
}
