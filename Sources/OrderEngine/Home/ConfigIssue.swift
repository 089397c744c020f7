import OrderImport

/// One mistake in `orderflow.yaml`: what was found, where, and what was expected.
///
/// The engine refuses to start on any of them, and `orderflow check` lists them all, so the
/// sentence names the setting and the value as written and the position to edit.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    /// `orderflow.yaml`, as the operator knows it.
    public var file: String
    /// Where the value (or the key) is; nil only when the file as a whole is at fault.
    public var location: SourceLocation?
    /// The setting and the value found, e.g. `ship_policy 'partial'`.
    public var subject: String
    /// What is wrong and what is expected.
    public var message: String

    public init(file: String, location: SourceLocation?, subject: String, message: String) {
        self.file = file; self.location = location; self.subject = subject; self.message = message
    }

    public var description: String {
        let place = location.map { "\(file):\($0.line):\($0.column)" } ?? file
        return subject.isEmpty ? "\(place): \(message)" : "\(subject) at \(place): \(message)"
    }
}
