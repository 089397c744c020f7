/// A mistake in a mapping file, with where it is and how to fix it.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation?
    public var message: String
    public init(file: String, location: SourceLocation?, message: String) {
        self.file = file; self.location = location; self.message = message
    }
    public var description: String {
        if let location { return "\(file):\(location.line):\(location.column): \(message)" }
        return "\(file): \(message)"
    }
}
