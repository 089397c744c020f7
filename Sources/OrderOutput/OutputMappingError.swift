/// A mistake in an output mapping, found when it is loaded: where it is (file, line, column) and what to fix.
///
/// Positions are 1-based. An error found inside a piece of text (a file-name template, an XML template)
/// is first made relative to that text (`file` nil, line 1 = the text's first line), then placed in its
/// file with `located(file:line:column:)`, so the operator is pointed at the very character.
public struct OutputMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String? = nil, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// `file:line:col: message` (or `line:col: message` when the file is not known).
    public var description: String {
        (file.map { "\($0):" } ?? "") + "\(line):\(column): \(message)"
    }

    /// This error (positioned relative to a text) placed in `file`, where the text starts at `line`:`column`.
    ///
    /// A position on the text's first line is shifted by `column`; later lines keep their own column,
    /// plus `indent` (the indentation a YAML block scalar strips from each of its lines).
    public func located(file: String?, line: Int, column: Int, indent: Int = 0) -> OutputMappingError {
        var e = self
        e.file = file
        if self.line <= 1 {
            e.line = line
            e.column = column + self.column - 1
        } else {
            e.line = line + self.line - 1
            e.column = self.column + indent
        }
        return e
    }

    /// Line and column (1-based) of the character at `offset` (in characters) of `text`.
    public static func position(of offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for (i, ch) in text.enumerated() {
            if i >= offset { break }
            if ch == "\n" || ch == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
