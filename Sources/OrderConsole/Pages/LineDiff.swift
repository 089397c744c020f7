/// The lines of two texts, as a unified diff would show them: kept, removed, added.
///
/// A longest-common-subsequence diff over lines, enough for a rules file (hundreds of lines); past
/// `limit` cells of work it shows every old line removed and every new one added, rather than spend
/// seconds on a text nobody reads line by line.
struct LineDiff: Sendable {
    enum Change: Sendable, Hashable {
        case kept(String), removed(String), added(String)
    }

    let changes: [Change]

    init(old: String, new: String, limit: Int = 4_000_000) {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let (cells, overflow) = (a.count + 1).multipliedReportingOverflow(by: b.count + 1)
        guard !overflow, cells <= limit else {
            changes = a.map(Change.removed) + b.map(Change.added)
            return
        }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var result: [Change] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                result.append(.kept(a[i])); i += 1; j += 1
            } else if i < a.count, j == b.count || lengths[i + 1][j] >= lengths[i][j + 1] {
                // Removals before additions, as a unified diff shows them.
                result.append(.removed(a[i])); i += 1
            } else {
                result.append(.added(b[j])); j += 1
            }
        }
        changes = result
    }

    var isEmpty: Bool { !changes.contains { if case .kept = $0 { false } else { true } } }

    /// The changes with `context` kept lines around each, as `<pre class="diff">` lines.
    func html(context: Int = 3) -> HTML {
        let changed = changes.indices.filter { if case .kept = changes[$0] { false } else { true } }
        var shown = Set<Int>()
        for index in changed { for k in max(0, index - context)...min(changes.count - 1, index + context) { shown.insert(k) } }
        var out: [HTML] = []
        var last = -1
        for index in shown.sorted() {
            if index > last + 1 { out.append("<span class=\"muted\">…</span>\n") }
            switch changes[index] {
            case .kept(let line): out.append("  \(line)\n")
            case .removed(let line): out.append("<del class=\"del\">- \(line)</del>\n")
            case .added(let line): out.append("<ins class=\"add\">+ \(line)</ins>\n")
            }
            last = index
        }
        return "<pre class=\"diff\">\(out)</pre>"
    }
}
