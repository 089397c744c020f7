import OrderModel

/// Turns one input file into mapped records through its mapping, CSV or XML.
///
/// For CSV the header row is resolved once against every column the mapping reads, so a
/// file whose header lacks a mapped column fails whole with a message naming the column and
/// the mapping line, before any record is read. Records stream: memory does not grow with
/// the file, and the pages already read are handed back.
public struct FeedReader: Sendable {
    public var mapping: Mapping
    public init(mapping: Mapping) { self.mapping = mapping }

    /// Sets up the XML library once (and its refusal of external entities). Call it on the engine's
    /// thread before a file is read on another one: libxml2 2.9 wants its setup done first.
    public static func prepare() { _ = XMLFeedReader.installSafeLoader }

    /// What a read left out on purpose.
    public struct Summary: Sendable, Hashable {
        /// Rows (or XML line elements) the mapping's `skip_when:` left out: neither records nor rejections.
        public var skipped = 0
        public init() {}
    }

    /// Reads every record, handing each to `body` as mapped values or a rejection.
    /// - Parameter progress: called now and then with the bytes read so far.
    /// - Returns: how many rows `skip_when:` left out.
    /// - Throws: `FileRejection` when the file cannot be read as this feed at all.
    @discardableResult
    public func read(_ file: InputFile, progress: ((Int) throws -> Void)? = nil,
                     _ body: (Result<MappedRecord, RecordRejection>) throws -> Void) throws -> Summary {
        switch mapping.format {
        case .csv(let dialect):
            let bytes = file.bytes
            if dialect.encoding == .utf8 && !TextEncoding.hasUTF16BOM(bytes) {
                return try readCSV(bytes, dialect: dialect, release: file.release(upTo:), progress: progress, body)
            } else {
                let encoding: TextEncoding = TextEncoding.hasUTF16BOM(bytes) ? .utf16 : dialect.encoding
                guard let utf8 = encoding.transcode(bytes) else {
                    throw FileRejection(reason: "the file is not valid \(encoding.rawValue) text (UTF-16 needs a byte order mark)")
                }
                return try utf8.withUnsafeBufferPointer { try readCSV($0, dialect: dialect, release: nil, progress: progress, body) }
            }
        case .xml(let layout):
            return try XMLFeedReader(mapping: mapping, layout: layout).read(path: file.path, size: file.size, progress: progress, body)
        }
    }

    /// Checks that a waiting file can be read through this mapping: for CSV with a header, that the
    /// header has every mapped column. Reads only the start of the file.
    public func checkHeader(_ file: InputFile) throws {
        guard case .csv(let dialect) = mapping.format, dialect.hasHeader else { return }
        var bytes = file.bytes
        if bytes.count > 1 << 20 { bytes = UnsafeBufferPointer(rebasing: bytes[0..<(1 << 20)]) }
        if dialect.encoding != .utf8 || TextEncoding.hasUTF16BOM(bytes) {
            let encoding: TextEncoding = TextEncoding.hasUTF16BOM(bytes) ? .utf16 : dialect.encoding
            guard let utf8 = encoding.transcode(UnsafeBufferPointer(rebasing: bytes[0..<(bytes.count & ~1)])) else {
                throw FileRejection(reason: "the file is not valid \(encoding.rawValue) text (UTF-16 needs a byte order mark)")
            }
            _ = try utf8.withUnsafeBufferPointer { try readCSV($0, dialect: dialect, release: nil, progress: nil, headerOnly: true) { _ in } }
        } else {
            try readCSV(bytes, dialect: dialect, release: nil, progress: nil, headerOnly: true) { _ in }
        }
    }

    /// Reads CSV from memory (tests, previews).
    @discardableResult
    public func read(csv bytes: UnsafeBufferPointer<UInt8>, _ body: (Result<MappedRecord, RecordRejection>) throws -> Void) throws -> Summary {
        guard case .csv(let dialect) = mapping.format else { throw FileRejection(reason: "not a CSV mapping") }
        return try readCSV(bytes, dialect: dialect, release: nil, progress: nil, body)
    }

    @discardableResult
    func readCSV(_ bytes: UnsafeBufferPointer<UInt8>, dialect: CSVDialect, release: ((Int) -> Void)?,
                 progress: ((Int) throws -> Void)?, headerOnly: Bool = false,
                 _ body: (Result<MappedRecord, RecordRejection>) throws -> Void) throws -> Summary {
        let mapper = RecordMapper(mapping: mapping)
        let references = mapper.references
        var columns: [ColumnRef: Int] = [:]
        var resolved = false
        var headerWidth: Int? = nil
        var fileError: (any Error)? = nil
        var fillDown = RecordMapper.FillDown()
        var summary = Summary()
        var header: [String] = []
        var sinceRelease = 0
        // Resolved once, after the header: the CSV column of each engine field that is copied as it is.
        var directColumns: [Int?] = []
        if !dialect.hasHeader {
            for case .column(let ref) in references { if case .position(let p) = ref { columns[ref] = p - 1 } }
            resolved = true
        }
        try CSVParser(options: dialect.parserOptions).parse(bytes) { result in
            switch result {
            case .failure(let error):
                if !resolved {
                    fileError = FileRejection(reason: "the header row (line \(error.line)) cannot be read: \(error)")
                    return false
                }
                var rejection = RecordRejection(line: error.line, field: nil, message: error.description)
                if case .nulByte = error.problem {
                    // Named by its column and the field that reads it: the operator finds it in the sender's file.
                    let name = error.field <= header.count ? header[error.field - 1] : nil
                    let user = name.map { userOf(.name($0)).0 } ?? userOf(.position(error.field)).0
                    rejection = RecordRejection(line: error.line, field: user == "?" ? name : user,
                        message: error.description + (name.map { " (column '\($0)'\(user == "?" ? "" : ", mapped to \(user)"))" } ?? "")
                            + "; the line is refused, nothing of it is stored")
                }
                rejection.orderRef = orderRef(in: error.fields, columns, &fillDown)
                rejection.cardDigits = cardDigits(in: error.fields, columns)
                try body(.failure(rejection))
            case .success(let record):
                if !resolved {
                    do {
                        columns = try resolveHeader(record, references: references)
                        headerWidth = record.fields.count
                        header = record.fields.map { $0.trimmed }
                        resolved = true
                    } catch {
                        fileError = error
                        return false
                    }
                    return !headerOnly
                }
                if let width = headerWidth, record.fields.count != width {
                    var rejection = RecordRejection(line: record.line, field: nil,
                        message: "found \(record.fields.count) fields, expected \(width) as in the header")
                    rejection.orderRef = orderRef(in: record.fields, columns, &fillDown)
                    rejection.cardDigits = cardDigits(in: record.fields, columns)
                    try body(.failure(rejection))
                } else {
                    let fields = record.fields
                    if directColumns.isEmpty {
                        directColumns = mapper.direct.map { ref in ref.flatMap { columns[$0] ?? -1 } }
                    }
                    let lookup: (FieldSource) -> String = { source in
                        guard case .column(let ref) = source, let index = columns[ref], index >= 0, index < fields.count else { return "" }
                        return fields[index]
                    }
                    if mapper.skips(lookup) {
                        summary.skipped += 1
                        mapper.noteSkipped(line: record.line, fillDown: &fillDown, lookup: lookup)
                    } else {
                        try body(mapper.map(line: record.line, fillDown: &fillDown, directValue: { i in
                            guard let column = directColumns[i] else { return nil }
                            return column >= 0 && column < fields.count ? fields[column] : ""
                        }, lookup: lookup))
                    }
                }
                sinceRelease += 1
                if sinceRelease == 4096 {
                    sinceRelease = 0
                    release?(record.endOffset)
                    try progress?(record.endOffset)
                }
            }
            return true
        }
        if let fileError { throw fileError }
        if !resolved { throw FileRejection(reason: "the file is empty: expected a header row naming the columns") }
        try progress?(bytes.count)
        return summary
    }

    /// The order a broken row belongs to, so that the whole order is rejected with it.
    /// Its key is made as for a good row (after `order_ref`'s steps), so that it joins the right order.
    private func orderRef(in fields: [String], _ columns: [ColumnRef: Int], _ fillDown: inout RecordMapper.FillDown) -> String? {
        guard mapping.feed == .orders else { return fillDown.orderRef }
        let key = RecordMapper(mapping: mapping).orderKey { source in
            guard case .column(let ref) = source, let index = columns[ref], index >= 0, index < fields.count else { return "" }
            return fields[index]
        }
        return key ?? (mapping.fillDown ? fillDown.orderRef : nil)
    }

    /// The digits of the card-number column of a row that cannot be mapped (its width is wrong), to mask them.
    private func cardDigits(in fields: [String], _ columns: [ColumnRef: Int]) -> String? {
        guard mapping.feed == .orders, let rule = mapping.fields[RecordMapper.cardField] else { return nil }
        for case .column(let ref) in rule.source.references {
            if let column = columns[ref], column >= 0, column < fields.count, let digits = CardNumberRedactor.cardDigits(fields[column]) { return digits }
        }
        return nil
    }

    /// When the header arrived as one column that another delimiter would split, says which and where to set it.
    static func delimiterHint(header: [String], delimiter: UInt8, file: String) -> String {
        guard header.count == 1, let only = header.first else { return "" }
        let candidates: [Character] = [";", "\t", "|", ","].filter { $0.asciiValue != delimiter }
        guard let guess = candidates.max(by: { a, b in only.filter { $0 == a }.count < only.filter { $0 == b }.count }),
              only.contains(guess) else { return "" }
        let shown = guess == "\t" ? "\\t" : String(guess)
        return ". The header has one column '\(only)': is the delimiter '\(shown)'? Set csv.delimiter in \(file)"
    }

    /// Columns that only optional fields read: a header may lack them.
    private var optionalColumns: Set<ColumnRef> {
        var required: Set<ColumnRef> = [], optional: Set<ColumnRef> = []
        func note(_ rule: FieldRule, optionalAbove: Bool) {
            if case .first(let alternatives) = rule.source {
                for alternative in alternatives { note(alternative, optionalAbove: optionalAbove || rule.optional) }
                return
            }
            for case .column(let ref) in rule.source.references {
                if rule.optional || optionalAbove { optional.insert(ref) } else { required.insert(ref) }
            }
        }
        for rule in mapping.fields.values.map({ $0 }) + mapping.custom.map(\.rule) { note(rule, optionalAbove: false) }
        for case .column(let ref) in mapping.skipWhen?.references ?? [] { required.insert(ref) }
        return optional.subtracting(required)
    }

    private func resolveHeader(_ record: CSVRecord, references: [FieldSource]) throws -> [ColumnRef: Int] {
        let header = record.fields.map { $0.trimmed }
        var positions: [String: Int] = [:]
        for (i, name) in header.enumerated() where positions[name] == nil { positions[name] = i }
        var missing: [String] = []
        var columns: [ColumnRef: Int] = [:]
        for case .column(let ref) in references where columns[ref] == nil {
            switch ref {
            case .position(let p):
                if p > header.count { missing.append("column \(p)") } else { columns[ref] = p - 1 }
            case .name(let name):
                if let i = positions[name] { columns[ref] = i; continue }
                if optionalColumns.contains(ref) { continue }
                let user = userOf(ref)
                missing.append("'\(name)' (mapped to \(user.0) at \(mapping.file):\(user.1))")
            }
        }
        if !missing.isEmpty {
            throw FileRejection(reason: "the header row lacks \(missing.joined(separator: ", ")); found columns \(header.joined(separator: ", "))"
                                + Self.delimiterHint(header: header, delimiter: mapping.dialect.delimiter, file: mapping.file))
        }
        return columns
    }

    /// Which field reads a column, and on which mapping line, for the message.
    private func userOf(_ ref: ColumnRef) -> (String, Int) {
        func reads(_ source: FieldSource) -> Bool {
            source.references.contains { if case .column(let r) = $0 { r == ref } else { false } }
        }
        if let (name, rule) = mapping.fields.sorted(by: { $0.value.location.line < $1.value.location.line }).first(where: { reads($0.value.source) }) {
            return (name, rule.location.line)
        }
        if let custom = mapping.custom.first(where: { reads($0.rule.source) }) { return (custom.qualifiedName, custom.rule.location.line) }
        if let condition = mapping.skipWhen, condition.references.contains(where: { if case .column(let r) = $0 { r == ref } else { false } }) {
            return ("skip_when", mapping.skipWhenLocation?.line ?? 0)
        }
        return ("?", 0)
    }
}

/// A record with its values placed by the feed's field order (blank where unmapped).
public struct MappedRecord: Sendable, Hashable {
    /// The line the record starts on (CSV), or the line of its element (XML).
    public var line: Int
    public var values: [String]
    /// Custom field values by qualified name (`order.channel`), canonical text.
    public var custom: [String: String]
    /// For XML: the record's number and path, e.g. `record 3 (/Orders/Order[3]/Line[2])`.
    public var location: String?
    public init(line: Int, values: [String], custom: [String: String] = [:], location: String? = nil) {
        self.line = line; self.values = values; self.custom = custom; self.location = location
    }
}

/// A whole file that cannot be imported, with the reason written beside it in `failed/`.
/// Its reason is masked for card numbers: it may quote the file (a header row that was data).
public struct FileRejection: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = CardNumberRedactor.redact(reason) }
    public var description: String { reason }
}

/// One record that cannot be imported: where, which field, what was found and what was expected.
public struct RecordRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var field: String?
    public var message: String
    public var orderRef: String?
    public var lineNo: Int?
    public var sku: String?
    /// For XML: the record's number and path.
    public var location: String?
    /// The digits of the record's card-number field when the record could not be mapped, so that the
    /// number is still masked in the kept copy of the file. Never shown.
    public var cardDigits: String?

    public init(line: Int, field: String?, message: String, orderRef: String? = nil, lineNo: Int? = nil, sku: String? = nil) {
        self.line = line; self.field = field; self.message = CardNumberRedactor.redact(message)
        self.orderRef = orderRef.map(CardNumberRedactor.redact); self.lineNo = lineNo; self.sku = sku
    }

    /// A rejection for a bad value; the value is shortened and stripped of card numbers before it is shown.
    /// A card-number field's value is masked whether or not it passes the Luhn check.
    public static func badValue(line: Int, field: String, found: String, expected: String) -> RecordRejection {
        let value = field == RecordMapper.cardField ? CardNumberRedactor.maskingCardField(found) : found
        return RecordRejection(line: line, field: field, message: "field \(field): found '\(shown(value))', expected \(expected)")
    }

    static func shown(_ value: String) -> String {
        let redacted = CardNumberRedactor.redact(value)
        return redacted.count > 60 ? String(redacted.prefix(57)) + "..." : redacted
    }

    /// The message with where it happened in the file: `line 12: ...` or `record 3 (/Orders/Order[3]), line 40: ...`.
    public var description: String {
        if let location { return "\(location), line \(line): \(message)" }
        return "line \(line): \(message)"
    }

    /// The message, prefixed with the XML record when there is one (the line is reported apart).
    public var reason: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
