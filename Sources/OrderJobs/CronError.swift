/// A mistake in a cron schedule: in the expression itself, or in the name of its time zone.
///
/// It says where the mistake starts (`offset`, counted in characters from the start of the text
/// the caller gave), so a configuration loader can point at `orderflow.yaml:LINE:COL` by adding
/// the offset to the column where the scalar's text starts.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, for callers that word their own messages.
    public enum Kind: Sendable, Hashable {
        /// The cron expression does not parse.
        case expression
        /// The time zone name is not one the system's time zone database knows.
        case timeZone
    }

    public var kind: Kind
    /// 0-based offset, in characters, of the first character of the mistake within the text.
    public var offset: Int
    /// 0-based field index (minute, hour, day of month, month, day of week), when the mistake is in one field.
    public var field: Int?
    /// One sentence saying what was found and what was expected.
    public var message: String

    public init(kind: Kind = .expression, offset: Int, field: Int? = nil, message: String) {
        self.kind = kind
        self.offset = offset
        self.field = field
        self.message = message
    }

    /// 1-based column within the text, as editors count.
    public var column: Int { offset + 1 }
    public var description: String { message }
}
