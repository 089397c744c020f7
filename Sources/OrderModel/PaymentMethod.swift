/// How an order is paid; blank on an order means the customer's terms.
public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    case account = "ACCOUNT"
    case card = "CARD"
    case proforma = "PROFORMA"

    /// Parses a feed value, case-insensitively and ignoring surrounding blanks.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmed.uppercased())
    }
}
import Foundation
