import Foundation

/// What stops the engine or a command, in words an operator can act on.
public enum EngineError: Error, Sendable, CustomStringConvertible, Equatable {
    case config(String)
    case mappings(String)
    case locked(String)
    case unknownOrder(String)
    case unknownReceipt(String)
    case notPossible(String)
    case rules(String)
    case jobs(String)

    public var description: String {
        switch self {
        case .config(let m): "configuration: \(m)"
        case .mappings(let m): "mappings:\(Self.joined(m)) fix the mapping files, then run again; nothing was imported"
        case .locked(let m): m
        case .unknownOrder(let ref): "no order '\(ref)'; 'orderflow orders' lists the orders"
        case .unknownReceipt(let ref): "no receipt '\(ref)' was imported; receipts come from files in inbox/receipts (see the exception report for refused ones)"
        case .notPossible(let m): m
        case .rules(let m): "rules:\(Self.joined(m)) fix rules.yaml, then run again; nothing was changed"
        case .jobs(let m): "jobs: \(m)"
        }
    }

    /// One problem stays on the error's line; several are listed one per line below it.
    static func joined(_ message: String) -> String {
        message.contains("\n") ? "\n\(message)\n" : " \(message);"
    }

    /// The error on one line, for a log line or a recorded run: the lines of a multi-line message joined with "; ".
    public static func oneLine(_ error: any Error) -> String {
        let text: String = switch error as? EngineError {
        case .mappings(let m)?: "mappings: \(m)"
        case .rules(let m)?: "rules: \(m)"
        default: "\(error)"
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: "; ")
    }
}
