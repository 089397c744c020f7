/// What the engine keeps of a payment card: never the number, only what the credit check needs.
///
/// The full number is seen once, at import, where it is checked (Luhn) and reduced
/// to its last four digits; from then on no layer can store, log or print it.
public struct PaymentCard: Sendable, Hashable {
    public enum Status: String, Sendable, Codable {
        case missing, invalid, valid
    }
    public var status: Status
    public var lastFour: String?

    /// Checks and reduces a raw card number (spaces and dashes allowed between digits).
    public init(rawNumber: String) {
        let trimmed = rawNumber.trimmed
        if trimmed.isEmpty {
            status = .missing
            lastFour = nil
            return
        }
        var digits: [UInt8] = []
        var onlyDigits = true
        for byte in trimmed.utf8 {
            if byte >= 48 && byte <= 57 { digits.append(byte - 48) }
            else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") { continue }
            else { onlyDigits = false }
        }
        lastFour = digits.count >= 4 ? String(digits.suffix(4).map { Character(String($0)) }) : nil
        status = onlyDigits && (12...19).contains(digits.count) && Luhn.isValid(digits) ? .valid : .invalid
    }

    public init(status: Status, lastFour: String?) {
        self.status = status
        self.lastFour = lastFour
    }
}

/// The Luhn (mod 10) check digit test used by card numbers.
public enum Luhn {
    /// `digits` are values 0...9, most significant first.
    public static func isValid(_ digits: [UInt8]) -> Bool {
        guard digits.count >= 2 else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            var d = Int(digit)
            if index % 2 == 1 {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
        }
        return sum % 10 == 0
    }
}
import Foundation
