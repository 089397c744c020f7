/// A mistake in a rule, shown like a compiler error: where, what, and a caret under the spot.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Character offset in the expression.
    public var offset: Int
    public var message: String
    /// The expression, for the caret line.
    public var source: String = ""
    /// Where the expression starts in its file (file, line, column), when it comes from one.
    public var file: String? = nil
    public var line: Int = 1
    public var column: Int = 1

    public init(offset: Int, message: String) { self.offset = offset; self.message = message }

    /// Places the error in a file: `line`/`column` are where the expression text starts.
    public func located(source: String, file: String?, line: Int, column: Int) -> RuleError {
        var e = self
        e.source = source; e.file = file; e.line = line; e.column = column
        return e
    }

    /// The line and column of the offending character in the file (the expression's own when it has
    /// none), counting the expression's line breaks.
    public var position: (line: Int, column: Int) {
        let chars = Array(source)
        var l = line, lineStart = 0
        for (i, ch) in chars.prefix(offset).enumerated() where ch == "\n" { l += 1; lineStart = i + 1 }
        return (l, lineStart == 0 ? column + offset : offset - lineStart + 1)
    }

    public var description: String {
        let chars = Array(source)
        var lineStart = 0
        for (i, ch) in chars.prefix(offset).enumerated() where ch == "\n" { lineStart = i + 1 }
        let (l, c) = position
        let where_ = file.map { "\($0):\(l):\(c): " } ?? "\(l):\(c): "
        guard !source.isEmpty else { return where_ + message }
        let lineEnd = chars[lineStart...].firstIndex(of: "\n") ?? chars.count
        let text = String(chars[lineStart..<lineEnd])
        let caret = String(repeating: " ", count: max(0, offset - lineStart)) + "^"
        return "\(where_)\(message)\n    \(text)\n    \(caret)"
    }
}
