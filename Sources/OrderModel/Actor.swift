/// Who made a change, as the history records it (`stage_move.actor`): the engine's steps and rules,
/// the importer, or a person at a command.
public enum Actor: Sendable, Hashable, CustomStringConvertible {
    /// A built-in step or a process rule, by name (`rule:allocate`, `rule:proforma-vetting`): the history
    /// has always called both rules.
    case rule(String)
    /// The importer applying a feed (a cancellation, a despatch confirmation, a stock count).
    case importer
    /// A person, by their user name (`user:ann`).
    case user(String)

    /// The text the history stores.
    public var description: String {
        switch self {
        case .rule(let name): "rule:\(name)"
        case .importer: "import"
        case .user(let name): "user:\(name)"
        }
    }
}
