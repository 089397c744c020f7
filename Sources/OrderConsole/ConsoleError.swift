/// Why the console cannot start or cannot do what was asked; each says what to change.
public enum ConsoleError: Error, Sendable, CustomStringConvertible, Equatable {
    /// `--http` was given something that is not an address.
    case address(String, String)
    /// A non-loopback bind without any console user to log in as.
    case loginNeeded(String)
    /// The users file has a line that cannot be read.
    case usersFile(String)
    /// A user name or password that cannot be used.
    case user(String)

    public var description: String {
        switch self {
        case .address(let found, let expected): "--http '\(found)' is not an address to listen on; expected \(expected)"
        case .loginNeeded(let message), .usersFile(let message), .user(let message): message
        }
    }
}
