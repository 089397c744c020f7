/// A streaming RFC 4180 parser over a byte buffer: one pass, no copy of the file.
///
/// It hands each record to a callback with the line it starts on, so a caller can
/// report "file, line, field" for any value. A broken record (text after a closing
/// quote, invalid UTF-8, an unclosed quote) is handed over as an error and parsing
/// goes on with the next line: one bad row never costs the rest of the file.
public struct CSVParser: Sendable {
    public struct Options: Sendable, Hashable {
        public var delimiter: UInt8
        public var quote: UInt8
        /// Inside a quoted field, this byte makes the next byte literal (e.g. `\"`); nil: quotes are doubled.
        public var escape: UInt8?
        /// Physical lines to skip at the start (titles, report headers) before the first record.
        public var skipLines: Int
        public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""), escape: UInt8? = nil, skipLines: Int = 0) {
            self.delimiter = delimiter
            self.quote = quote
            self.escape = escape
            self.skipLines = skipLines
        }
    }

    public var options: Options
    public init(options: Options = Options()) { self.options = options }

    /// Parses `bytes`, calling `body` for every record (blank lines are skipped).
    /// Return `false` from `body` to stop early.
    public func parse(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ body: (Result<CSVRecord, CSVRecordError>) throws -> Bool
    ) rethrows {
        let n = bytes.count
        let delimiter = options.delimiter, quote = options.quote
        let escape = options.escape.flatMap { $0 == quote ? nil : $0 }
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var i = 0
        var line = 1
        // Skip a UTF-8 byte order mark.
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        // Skip leading lines, whatever they hold.
        while line <= options.skipLines, i < n {
            if bytes[i] == lf || bytes[i] == cr {
                if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { i += 1 }
                line += 1
            }
            i += 1
        }
        var fields: [String] = []
        fields.reserveCapacity(32)
        var scratch: [UInt8] = []

        while i < n {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            var failure: CSVRecordError? = nil
            // A blank line is no record.
            if bytes[i] == lf || bytes[i] == cr {
                if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { i += 1 }
                i += 1
                line += 1
                continue
            }
            var endOfRecord = false
            while !endOfRecord {
                let column = fields.count + 1
                if i < n, bytes[i] == quote {
                    // Quoted field.
                    let openLine = line
                    i += 1
                    scratch.removeAll(keepingCapacity: true)
                    var closed = false
                    var segment = i
                    while i < n {
                        let b = bytes[i]
                        if let escape, b == escape, i + 1 < n {
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<i]))
                            scratch.append(bytes[i + 1])
                            i += 2
                            segment = i
                            continue
                        }
                        if b == quote {
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<i]))
                            if i + 1 < n, bytes[i + 1] == quote {
                                scratch.append(quote)
                                i += 2
                                segment = i
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if b == lf { line += 1 }
                        else if b == cr, !(i + 1 < n && bytes[i + 1] == lf) { line += 1 }
                        i += 1
                    }
                    if !closed {
                        failure = failure ?? .init(line: openLine, field: column, problem: .unclosedQuote)
                        fields.append("")
                        break
                    }
                    if let at = scratch.firstIndex(of: 0) {
                        failure = failure ?? .init(line: recordLine, field: column, problem: .nulByte(after: Self.text(scratch[..<at]) ?? ""))
                        fields.append("")
                    } else if let text = Self.text(scratch) {
                        fields.append(text)
                    } else {
                        failure = failure ?? .init(line: recordLine, field: column, problem: .invalidUTF8)
                        fields.append("")
                    }
                    // After the closing quote: delimiter, end of line or end of file.
                    if i >= n { endOfRecord = true }
                    else if bytes[i] == delimiter { i += 1 }
                    else if bytes[i] == lf || bytes[i] == cr { endOfRecord = true }
                    else {
                        failure = failure ?? .init(line: line, field: column, problem: .textAfterClosingQuote)
                        // Skip the rest of this field.
                        while i < n, bytes[i] != delimiter, bytes[i] != lf, bytes[i] != cr { i += 1 }
                        if i < n, bytes[i] == delimiter { i += 1 } else { endOfRecord = true }
                    }
                } else {
                    let start = i
                    var high: UInt8 = 0
                    var nul = false
                    while i < n {
                        let b = bytes[i]
                        if b == delimiter || b == lf || b == cr { break }
                        high |= b
                        nul = nul || b == 0
                        i += 1
                    }
                    let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    if nul, let at = raw.firstIndex(of: 0) {
                        // Never stored and never cut at the NUL: the whole line is refused.
                        failure = failure ?? .init(line: recordLine, field: column, problem: .nulByte(after: Self.text(raw[..<at]) ?? ""))
                        fields.append("")
                    } else if let text = high < 0x80 ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self) {
                        fields.append(text)
                    } else {
                        failure = failure ?? .init(line: recordLine, field: column, problem: .invalidUTF8)
                        fields.append("")
                    }
                    if i < n, bytes[i] == delimiter { i += 1 } else { endOfRecord = true }
                }
            }
            // Consume the line end.
            if i < n {
                if bytes[i] == cr { i += 1; if i < n, bytes[i] == lf { i += 1 } ; line += 1 }
                else if bytes[i] == lf { i += 1; line += 1 }
            }
            let keepGoing: Bool
            if var failure {
                failure.fields = fields
                keepGoing = try body(.failure(failure))
            } else {
                keepGoing = try body(.success(CSVRecord(line: recordLine, fields: fields, endOffset: i)))
            }
            if !keepGoing { return }
        }
    }

    /// A field's text; nil when it is not valid UTF-8. Plain ASCII (nearly every field) takes the
    /// direct path: `String(validating:as:)` looks up generic metadata on every call.
    static func text<C: Collection<UInt8>>(_ bytes: C) -> String? {
        bytes.allSatisfy({ $0 < 0x80 }) ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }
}

/// One parsed row: its fields and the (1-based) line it starts on.
public struct CSVRecord: Sendable, Hashable {
    public var line: Int
    public var fields: [String]
    /// Byte offset just past the record, for progress.
    public var endOffset: Int
    public init(line: Int, fields: [String], endOffset: Int = 0) { self.line = line; self.fields = fields; self.endOffset = endOffset }
    public static func == (a: CSVRecord, b: CSVRecord) -> Bool { a.line == b.line && a.fields == b.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(line); hasher.combine(fields) }
}

/// A row that could not be parsed; the parser resumes at the next line.
public struct CSVRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        case unclosedQuote, textAfterClosingQuote, invalidUTF8
        /// A NUL byte (0x00), after this text: no text field holds one (a database or a C reader would cut the value there).
        case nulByte(after: String)
    }
    public var line: Int
    /// 1-based position of the field in the row.
    public var field: Int
    public var problem: Problem
    /// What could be read of the row, so that the caller can tell which order it belonged to.
    public var fields: [String] = []

    public init(line: Int, field: Int, problem: Problem) {
        self.line = line; self.field = field; self.problem = problem
    }

    public var description: String {
        switch problem {
        case .unclosedQuote: "field \(field) opens a quote that is never closed (expected a closing \")"
        case .textAfterClosingQuote: "field \(field) has text after its closing quote (expected a delimiter or end of line)"
        case .invalidUTF8: "field \(field) is not valid UTF-8 text"
        case .nulByte(let before):
            "field \(field) holds a NUL byte (0x00)\(before.isEmpty ? " at its start" : " after '\(before.count > 40 ? String(before.prefix(37)) + "..." : before)'"), expected text without NUL bytes"
        }
    }
}
