import Foundation

/// The value syntaxes of `orderflow.yaml`: durations (`2s`, `500ms`, `5m`, `2h`) and sizes (`500MB`, `4GB`).
///
/// Both are parsed into exact, bounded numbers: a value that is not finite, not positive or
/// too large to count is refused with a reason rather than reaching a conversion that traps.
enum ConfigValues {
    /// Why a duration or a size was refused.
    enum Problem: Error, Equatable {
        case notUnderstood
        case notFinite
        case negative
        case zero
        case outOfRange
        case notWholeSeconds
    }

    static let durationUnits: [(names: [String], seconds: Double)] = [
        (["ms", "millisecond", "milliseconds"], 0.001),
        (["s", "sec", "secs", "second", "seconds", ""], 1),
        (["m", "min", "mins", "minute", "minutes"], 60),
        (["h", "hr", "hrs", "hour", "hours"], 3600),
        (["d", "day", "days"], 86_400),
    ]

    /// Seconds of a duration such as `2s`, `500ms`, `5m`, `2h` or a plain number of seconds, within `range`.
    static func seconds(_ text: String, in range: ClosedRange<Double>) -> Result<Double, Problem> {
        let (number, unit) = split(text)
        guard let factor = durationUnits.first(where: { $0.names.contains(unit) })?.seconds,
              !number.isEmpty, let value = Double(number) else { return .failure(.notUnderstood) }
        let seconds = value * factor
        guard seconds.isFinite else { return .failure(.notFinite) }
        if seconds < 0 { return .failure(.negative) }
        if seconds == 0 && range.lowerBound > 0 { return .failure(.zero) }
        guard range.contains(seconds) else { return .failure(.outOfRange) }
        return .success(seconds)
    }

    /// Whole seconds of a duration within `range` (a job's interval).
    static func wholeSeconds(_ text: String, in range: ClosedRange<Int>) -> Result<Int, Problem> {
        switch seconds(text, in: Double(range.lowerBound)...Double(range.upperBound)) {
        case .failure(let problem): return .failure(problem)
        case .success(let seconds):
            guard seconds == seconds.rounded() else { return .failure(.notWholeSeconds) }
            return .success(Int(seconds))
        }
    }

    static let sizeUnits: [(names: [String], bytes: Int64)] = [
        (["", "b"], 1), (["kb", "k"], 1 << 10), (["mb", "m"], 1 << 20), (["gb", "g"], 1 << 30), (["tb", "t"], 1 << 40),
    ]

    /// Bytes of a size such as `500MB`, `4GB` or a plain number of bytes; more than 0, and counted without overflow.
    static func bytes(_ text: String) -> Result<Int64, Problem> {
        let (number, unit) = split(text)
        guard let factor = sizeUnits.first(where: { $0.names.contains(unit) })?.bytes, !number.isEmpty else {
            return .failure(.notUnderstood)
        }
        guard let value = Int64(number) else {
            // Digits too many for a 64-bit count, or not a whole number at all.
            if let d = Double(number), d.rounded() == d { return .failure(d < 0 ? .negative : .outOfRange) }
            return .failure(Double(number).map { !$0.isFinite ? .notFinite : .notUnderstood } ?? .notUnderstood)
        }
        if value < 0 { return .failure(.negative) }
        if value == 0 { return .failure(.zero) }
        let (total, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { return .failure(.outOfRange) }
        return .success(total)
    }

    /// The number and the unit of `12.5 ms`, lower-cased, spaces between them allowed.
    static func split(_ text: String) -> (number: String, unit: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let numberCharacters = Set("+-.0123456789e")
        // An exponent ('1e3') belongs to the number; an 'e' with no digit after it would be a unit's.
        var end = t.startIndex
        while end < t.endIndex, numberCharacters.contains(t[end]) {
            if t[end] == "e", t.index(after: end) == t.endIndex || !"+-0123456789".contains(t[t.index(after: end)]) { break }
            end = t.index(after: end)
        }
        return (String(t[..<end]), t[end...].trimmingCharacters(in: .whitespaces))
    }
}
