/// Where things are in a template's text, for error positions: libxml2's tree gives an element's line
/// but no column, and nothing for an attribute or a piece of text.
///
/// Read only after libxml2 has found the text well-formed, so a light pass suffices: start tags in
/// document order (the tree's elements in pre-order) with each attribute value's offset, and the
/// offset of each placeholder `{{` in text content, in order. Offsets are in characters, as
/// `OutputMappingError.position(of:in:)` counts them.
struct XMLTemplateSource {
    struct StartTag {
        var offset: Int
        /// Attribute name as written (`of:if`, `currencyID`) → offset of its value's first character.
        var values: [String: Int] = [:]
    }

    let text: String
    private(set) var tags: [StartTag] = []
    private(set) var textPlaceholders: [Int] = []

    init(_ text: String) {
        self.text = text
        let c = Array(text)
        var i = 0
        func starts(_ s: String, at k: Int) -> Bool {
            var k = k
            for ch in s {
                guard k < c.count, c[k] == ch else { return false }
                k += 1
            }
            return true
        }
        func skip(past end: String, from k: Int) -> Int {
            var k = k
            while k < c.count, !starts(end, at: k) { k += 1 }
            return min(k + end.count, c.count)
        }
        while i < c.count {
            if c[i] != "<" {
                var end = i
                while end < c.count, c[end] != "<" { end += 1 }
                textPlaceholders += Self.placeholders(in: c, from: i, to: end)
                i = end
            } else if starts("<!--", at: i) {
                i = skip(past: "-->", from: i + 4)
            } else if starts("<![CDATA[", at: i) {
                let end = skip(past: "]]>", from: i + 9)
                textPlaceholders += Self.placeholders(in: c, from: i + 9, to: max(i + 9, end - 3))
                i = end
            } else if starts("<?", at: i) {
                i = skip(past: "?>", from: i + 2)
            } else if starts("<!", at: i) || starts("</", at: i) {
                i = skip(past: ">", from: i + 2)
            } else {
                var tag = StartTag(offset: i)
                i += 1
                while i < c.count, !c[i].isWhitespace, c[i] != ">", c[i] != "/" { i += 1 }
                while i < c.count {
                    while i < c.count, c[i].isWhitespace { i += 1 }
                    guard i < c.count, c[i] != ">", c[i] != "/" else { break }
                    var name = ""
                    while i < c.count, !c[i].isWhitespace, c[i] != "=", c[i] != ">" { name.append(c[i]); i += 1 }
                    while i < c.count, c[i].isWhitespace || c[i] == "=" { i += 1 }
                    guard i < c.count, c[i] == "\"" || c[i] == "'" else { break }
                    let quote = c[i]
                    i += 1
                    tag.values[name] = i
                    while i < c.count, c[i] != quote { i += 1 }
                    i += 1
                }
                i = skip(past: ">", from: i)
                tags.append(tag)
            }
        }
    }

    /// The offsets of each `{{` in `c[from..<to]`, each placeholder read as `TextTemplate` reads it
    /// (to the first `}}` outside single quotes).
    static func placeholders(in c: [Character], from: Int, to: Int) -> [Int] {
        var found: [Int] = []
        var i = from
        while i + 1 < to {
            guard c[i] == "{", c[i + 1] == "{" else { i += 1; continue }
            found.append(i)
            var j = i + 2
            var quoted = false
            while j < to {
                if c[j] == "'" { quoted.toggle() } else if !quoted, c[j] == "}", j + 1 < to, c[j + 1] == "}" { break }
                j += 1
            }
            i = j + 2
        }
        return found
    }

    /// The character offset of `line`:`column` (1-based) in `text`.
    static func offset(line: Int, column: Int, in text: String) -> Int {
        var l = 1, offset = 0
        for ch in text {
            if l >= line { break }
            if ch == "\n" || ch == "\r\n" { l += 1 }
            offset += 1
        }
        return offset + max(column - 1, 0)
    }

    /// An error at `offset` characters into the template.
    func error(at offset: Int, _ message: String) -> OutputMappingError {
        let (line, column) = OutputMappingError.position(of: offset, in: text)
        return OutputMappingError(line: line, column: column, message: message)
    }
}
