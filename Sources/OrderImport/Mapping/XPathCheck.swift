import CLibXML2

/// Checks an XPath from a mapping when the mapping is loaded, so a typo stops the engine
/// with a line and column instead of producing blank fields at import.
enum XPathCheck {
    static func validate(_ expression: String, namespaces: [String: String], file: String, at location: SourceLocation) throws(MappingError) {
        guard let compiled = xmlXPathCompile(expression) else {
            throw MappingError(file: file, location: location, message: "bad XPath '\(expression)': libxml2 cannot compile it")
        }
        xmlXPathFreeCompExpr(compiled)
        for prefix in prefixes(in: expression) where namespaces[prefix] == nil {
            throw MappingError(file: file, location: location,
                message: "XPath '\(expression)' uses prefix '\(prefix)', which is not declared under xml: namespaces:")
        }
    }

    /// Checks a path that starts with `/` (absolute from the document root, for values outside the record):
    /// element names step by step, predicates allowed, ending in an element, `@attribute` or `text()`, and
    /// starting at the record path's root element. A path that can never match is a mistake in the mapping,
    /// never a silent blank at import.
    static func validateAbsolute(_ expression: String, namespaces: [String: String], record: RecordPath?,
                                 file: String, at location: SourceLocation) throws(MappingError) {
        guard let steps = absoluteSteps(expression, namespaces: namespaces), let first = steps.first else {
            throw MappingError(file: file, location: location,
                message: "absolute path '\(expression)': expected /root/child/... — element names from the document root (predicates [...] allowed), ending in an element, @attribute or text(); '//', '..', '*' and axes cannot be followed outside the record")
        }
        guard let record, !record.anywhere, let root = record.steps.first else { return }
        guard first == root else {
            let rootName = record.text.split(separator: "/").first.map(String.init) ?? record.text
            throw MappingError(file: file, location: location,
                message: "absolute path '\(expression)' can never match: the document's root element is \(rootName) (from xml: record: \(record.text)), and the path starts elsewhere")
        }
    }

    /// The element steps of an absolute path (`/a/b[@x='1']/c/@d` gives a, b, c); nil when the path is not
    /// a plain chain of child elements from the root.
    static func absoluteSteps(_ expression: String, namespaces: [String: String]) -> [RecordPath.Step]? {
        guard expression.hasPrefix("/"), !expression.hasPrefix("//") else { return nil }
        // Split on / outside predicates and quotes.
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character? = nil
        for c in expression.dropFirst() {
            if let q = quote { current.append(c); if c == q { quote = nil }; continue }
            switch c {
            case "'", "\"": quote = c; current.append(c)
            case "[": depth += 1; current.append(c)
            case "]": depth -= 1; current.append(c); if depth < 0 { return nil }
            case "/" where depth == 0: parts.append(current); current = ""
            default: current.append(c)
            }
        }
        guard quote == nil, depth == 0 else { return nil }
        parts.append(current)
        var steps: [RecordPath.Step] = []
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            if last, !steps.isEmpty, part == "text()" || (part.hasPrefix("@") && isName(part.dropFirst())) { break }
            let name = part.firstIndex(of: "[").map { part[..<$0] } ?? Substring(part)
            if let open = part.firstIndex(of: "["), !part.hasSuffix("]") || open == part.startIndex { return nil }
            guard isName(name) else { return nil }
            let pieces = name.split(separator: ":", omittingEmptySubsequences: false)
            if pieces.count == 2 {
                guard let uri = namespaces[String(pieces[0])] else { return nil }
                steps.append(RecordPath.Step(namespace: uri, localName: String(pieces[1])))
            } else {
                steps.append(RecordPath.Step(namespace: nil, localName: String(name)))
            }
        }
        return steps.isEmpty ? nil : steps
    }

    /// An element or attribute name, with at most one prefix: `Identity`, `cbc:ID`.
    static func isName(_ text: Substring) -> Bool {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count) else { return false }
        return pieces.allSatisfy { piece in
            guard let first = piece.first, first.isLetter || first == "_" else { return false }
            return piece.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) }
        }
    }

    /// Namespace prefixes used in name tests (`cbc:ID`, `@cac:x`), not axes (`child::`) or string literals.
    static func prefixes(in expression: String) -> [String] {
        var found: [String] = []
        let chars = Array(expression)
        var i = 0
        var quote: Character? = nil
        while i < chars.count {
            let c = chars[i]
            if let q = quote { if c == q { quote = nil }; i += 1; continue }
            if c == "'" || c == "\"" { quote = c; i += 1; continue }
            if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || "_-.".contains(chars[j]) { j += 1 }
                if j < chars.count, chars[j] == ":", j + 1 < chars.count, chars[j + 1] != ":", (i == 0 || chars[i - 1] != ":") {
                    found.append(String(chars[i..<j]))
                }
                i = j
                continue
            }
            i += 1
        }
        return found
    }
}
