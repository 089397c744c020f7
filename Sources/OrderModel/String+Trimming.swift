extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    ///
    /// Import trims every value it reads; Foundation's `trimmingCharacters(in:)` bridges
    /// through UTF-16 and cost a third of the import time, so this works on UTF-8 bytes and
    /// returns the string itself when there is nothing to trim.
    public var trimmed: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        if !Self.isBlank(first) && !Self.isBlank(last) { return self }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, Self.isBlank(utf8[start]) { start = utf8.index(after: start) }
        while end > start, Self.isBlank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(self[start..<end])
    }

    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
}
