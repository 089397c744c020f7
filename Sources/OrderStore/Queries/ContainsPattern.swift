/// A `LIKE … ESCAPE '\'` pattern matching any text that contains `text` as typed: `%`, `_` and `\`
/// in it are matched as themselves, not as wildcards.
func containsPattern(_ text: String) -> String {
    "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
        .replacingOccurrences(of: "_", with: "\\_") + "%"
}
