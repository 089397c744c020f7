/// Decimal text read exactly into an integer count of its smallest unit (minor units, thousandths).
///
/// Money, unit prices and quantities are all fixed-point numbers; one reader keeps their rules the same:
/// an optional sign, digits with at most one point, nothing else, and no silent rounding.
enum FixedPoint {
    /// Parses `-1234.5`, `12`, `0.05` into units of 10^-`decimals`.
    /// - Parameter ignoringZerosBeyond: whether zeros after the last allowed decimal are accepted
    ///   (`12.7500` as a quantity with 3 decimals); a non-zero digit there is always refused.
    /// - Returns: nil for anything else: not a number, too many decimals, or beyond Int64.
    static func parse(_ text: String, decimals: Int, ignoringZerosBeyond: Bool) -> Int64? {
        var bytes = Substring(text.trimmed).utf8[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var whole: Int64 = 0, fraction: Int64 = 0, fractionCount = 0, digits = 0
        var inFraction = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if inFraction { return nil }
                inFraction = true
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            let digit = Int64(byte - 48)
            digits += 1
            if inFraction {
                fractionCount += 1
                if fractionCount > decimals {
                    if digit != 0 || !ignoringZerosBeyond { return nil }
                    continue
                }
                fraction = fraction * 10 + digit
            } else {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                whole = s
            }
        }
        guard digits > 0 else { return nil }
        for _ in min(fractionCount, decimals)..<decimals { fraction *= 10 }
        var scale: Int64 = 1
        for _ in 0..<decimals {
            let (next, overflow) = scale.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            scale = next
        }
        let (m, o1) = whole.multipliedReportingOverflow(by: scale)
        let (total, o2) = m.addingReportingOverflow(fraction)
        if o1 || o2 { return nil }
        return negative ? -total : total
    }
}
