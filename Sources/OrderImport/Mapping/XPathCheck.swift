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
