import Hummingbird

extension Layout {
    /// A query parameter as typed, trimmed; nil when absent or blank.
    static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map { String($0).trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The page number a list is asked for (`?page=`): 1 for a missing, bad or negative one; and the
    /// offset of its first row, 0 when the number is too large to multiply.
    static func page(_ request: Request, size: Int) -> (page: Int, offset: Int) {
        let page = max(1, query(request, "page").flatMap { Int($0) } ?? 1)
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: size)
        return (page, overflow ? 0 : offset)
    }

    /// Previous and next links around a summary of where the list stands.
    static func pager(page: Int, total: Int, size: Int, summary: String, link: (Int) -> String) -> HTML {
        let pages = max(1, (total + size - 1) / size)
        return """
            <nav class="pager" aria-label="Pages of this list">
            \(page > 1 ? HTML("<a href=\"\(link(page - 1))\" rel=\"prev\">Previous</a>") : .empty)
            <span>\(summary), page \(min(page, pages)) of \(pages)</span>
            \(page < pages ? HTML("<a href=\"\(link(page + 1))\" rel=\"next\">Next</a>") : .empty)
            </nav>
            """
    }
}
