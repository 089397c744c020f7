/// Masks anything that looks like a full payment card number in free text or whole files.
///
/// Hostile or careless feeds put card numbers where they do not belong (a ship-to name,
/// a note, the archived input file itself). A run of 13 to 19 digits — optionally split
/// by single spaces or dashes — that passes the Luhn check is masked to its last four
/// digits, keeping the byte length so that file offsets and line numbers stay true.
public enum CardNumberRedactor {
    public static let mask = UInt8(ascii: "*")

    /// Redacts in place; returns true when anything was masked.
    /// - Parameter known: when given, mask exactly the runs whose digits are in this set
    ///   (card numbers read from a card field, valid or not) instead of every Luhn-valid run,
    ///   so that product codes such as EAN-13 barcodes in the same file stay intact.
    @discardableResult
    public static func redact(_ bytes: inout [UInt8], known: Set<String>? = nil) -> Bool {
        var changed = false
        var i = 0
        let n = bytes.count
        while i < n {
            guard isDigit(bytes[i]), i == 0 || !isDigit(bytes[i - 1]) else { i += 1; continue }
            // Collect a run of digits with single separators.
            var positions: [Int] = []
            var j = i
            while j < n {
                if isDigit(bytes[j]) {
                    positions.append(j)
                    j += 1
                } else if (bytes[j] == 32 || bytes[j] == 45), j + 1 < n, isDigit(bytes[j + 1]), !positions.isEmpty {
                    j += 1
                } else {
                    break
                }
                if positions.count > 19 { break }
            }
            let isCard: Bool
            if let known {
                isCard = (12...19).contains(positions.count)
                    && known.contains(String(decoding: positions.map { bytes[$0] }, as: UTF8.self))
            } else {
                isCard = (13...19).contains(positions.count) && Luhn.isValid(positions.map { bytes[$0] - 48 })
            }
            if isCard, j >= n || !isDigit(bytes[j]) {
                for p in positions.dropLast(4) { bytes[p] = mask }
                changed = true
            }
            // Continue after this run of digits.
            i = max(j, i + 1)
            while i < n, isDigit(bytes[i]) { i += 1 }
        }
        return changed
    }

    /// Redacts a string; cheap when it holds no long digit run.
    public static func redact(_ text: String) -> String {
        var digitRun = 0, longest = 0
        for byte in text.utf8 {
            if isDigit(byte) { digitRun += 1; longest = max(longest, digitRun) }
            else if byte != 32 && byte != 45 { digitRun = 0 }
        }
        guard longest >= 13 else { return text }
        var bytes = Array(text.utf8)
        return redact(&bytes) ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// The digits of a card-number field value, if it is long enough to be a card number.
    public static func cardDigits(_ value: String) -> String? {
        let digits = value.utf8.filter { isDigit($0) }
        return digits.count >= 12 ? String(decoding: digits, as: UTF8.self) : nil
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
}
