import Foundation
import Hummingbird
import OrderEngine
import OrderModel
import OrderStore

/// Where the orders are: a board of every stage, and each stage's orders with reason and age.
enum StagesPage {
    static let pageSize = 50

    static func addRoutes(to router: Router<ConsoleContext>, console: Console) {
        router.get("/stages") { _, context -> Response in
            Layout.response(try board(console: console, context: context))
        }
        router.get("/stages/:stage") { request, context -> Response in
            let stage = context.parameters.get("stage") ?? ""
            let stages = try RuleQueries(engine: console.engine).overview().stages
            // A stage of the file, or one whose lines stayed after it left the file.
            let held = try console.stageTotals()
            guard stages.contains(where: { $0.name == stage }) || held.contains(where: { $0.stage == stage }) else {
                return ErrorPage.response(.notFound, title: "No such stage",
                                          message: "There is no stage '\(stage)'. The stages are \(stages.map(\.name).joined(separator: ", ")).",
                                          console: console, context: context)
            }
            return Layout.response(try list(stage: stage, request: request, console: console, context: context))
        }
    }

    /// Every stage, built-in and of rules.yaml, in pipeline order, with what it holds now.
    static func board(console: Console, context: ConsoleContext) throws -> HTML {
        let stages = try RuleQueries(engine: console.engine).overview().stages
        let totals = Dictionary(try console.stageTotals().map { ($0.stage, $0) }, uniquingKeysWith: { a, _ in a })
        let money = console.engine.config.money
        let cards = stages.map { s -> HTML in
            let t = totals[s.name]
            let value = t.map { $0.value.map(money.format) ?? "too large" } ?? money.format(Money.zero)
            return """
                <li class="card"><a href="/stages/\(s.name)"><span class="label">\(s.builtIn ? "built-in" : "rules.yaml")</span>\
                <span class="value">\(s.name)</span></a>\
                <span>\(t?.orders ?? 0) order(s), \(t?.lines ?? 0) line(s), \(value)</span>\
                <span class="muted">\(s.description)</span></li>
                """
        }
        return Layout.page("Stages", section: .stages, console: console, context: context, content: """
            <p>Every stage an order line can be in, with the orders, lines and value there now. Open one to see its orders.</p>
            <ul class="cards">\(cards)</ul>
            """)
    }

    /// One stage's orders: filtered by customer, sku and text, sorted by any column, a page at a time.
    static func list(stage: String, request: Request, console: Console, context: ConsoleContext) throws -> HTML {
        func text(_ name: String) -> String? { Layout.query(request, name) }
        let sort = text("sort").flatMap(StageOrderQuery.Sort.init(rawValue:)) ?? .age
        let descending = text("dir") == "desc"
        let (page, offset) = Layout.page(request, size: pageSize)
        let query = StageOrderQuery(stage: stage, customer: text("customer"), sku: text("sku"), text: text("q"), sort: sort,
                                    descending: descending, offset: offset, limit: pageSize)
        let (total, orders) = try console.engine.database.stageOrders(query)
        let now = console.engine.clock.now
        let money = console.engine.config.money

        /// The list's address with some parameters changed, the filters kept.
        func link(sort: StageOrderQuery.Sort? = nil, descending: Bool? = nil, page: Int? = nil) -> String {
            var items: [URLQueryItem] = []
            for name in ["customer", "sku", "q"] { if let v = text(name) { items.append(URLQueryItem(name: name, value: v)) } }
            items.append(URLQueryItem(name: "sort", value: (sort ?? query.sort).rawValue))
            if descending ?? query.descending { items.append(URLQueryItem(name: "dir", value: "desc")) }
            if let page, page > 1 { items.append(URLQueryItem(name: "page", value: String(page))) }
            var components = URLComponents()
            components.path = "/stages/\(stage)"
            components.queryItems = items
            return components.string ?? "/stages/\(stage)"
        }
        func header(_ title: String, _ column: StageOrderQuery.Sort, numeric: Bool = false) -> HTML {
            let current = column == query.sort
            let next = current ? !query.descending : false
            let arrow = current ? (query.descending ? " ▼" : " ▲") : ""
            let sortState = current ? (query.descending ? "descending" : "ascending") : "none"
            return "<th scope=\"col\" aria-sort=\"\(sortState)\"\(numeric ? HTML(" class=\"num\"") : .empty)><a href=\"\(link(sort: column, descending: next))\">\(title)\(arrow)</a></th>"
        }
        let rows = orders.map { o -> HTML in
            """
            <tr><th scope="row"><a href="/orders/\(o.orderRef.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? o.orderRef)">\(o.orderRef)</a></th>\
            <td>\(o.orderDate.prefix(10))</td><td>\(o.customerRef) <span class="muted">\(o.customerName)</span></td>\
            <td>\(Self.age(since: o.since, now: now))</td><td class="num">\(o.lines)</td>\
            <td class="num">\(o.value.map(money.format) ?? "too large")</td><td class="reason">\(CardNumberRedactor.redact(o.reason ?? ""))</td></tr>
            """
        }
        let first = total == 0 ? 0 : query.offset + 1
        let last = query.offset + orders.count
        let pager = Layout.pager(page: page, total: total, size: pageSize, summary: "Showing \(first)–\(last) of \(total) order(s)",
                                 link: { link(page: $0) })
        let table: HTML = orders.isEmpty
            ? "<p class=\"muted\">No order in \(stage)\(text("customer") != nil || text("sku") != nil || text("q") != nil ? " matches these filters" : "").</p>"
            : """
            <table><caption>Orders with a line in \(stage), by \(query.sort.rawValue) (\(query.descending ? "descending" : "ascending"))</caption>
            <thead><tr>\(header("Order", .ref))\(header("Date", .date))\(header("Customer", .customer))\
            \(header("In stage for", .age))\(header("Lines here", .lines, numeric: true))\(header("Value here", .value, numeric: true))<th scope="col">Reason</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page("Stage \(stage)", section: .stages, console: console, context: context, content: """
            <p><a href="/stages">All stages</a></p>
            <form method="get" action="/stages/\(stage)" class="filters" role="search" aria-label="Filter the orders">
            <label for="f-customer">Customer ref<input id="f-customer" name="customer" value="\(text("customer"))"></label>
            <label for="f-sku">SKU<input id="f-sku" name="sku" value="\(text("sku"))"></label>
            <label for="f-q">Text (ref, customer name, reason)<input id="f-q" name="q" type="search" value="\(text("q"))"></label>
            <input type="hidden" name="sort" value="\(query.sort.rawValue)">
            \(query.descending ? HTML("<input type=\"hidden\" name=\"dir\" value=\"desc\">") : .empty)
            <button type="submit">Filter</button> <a href="/stages/\(stage)">Clear</a>
            </form>
            \(pager)
            \(table)
            """)
    }

    /// How long since `since`, on the business clock, in the largest unit that says it: "3 d 4 h", "25 min".
    static func age(since: String, now: Timestamp) -> String {
        guard let then = Timestamp(iso8601: since) else { return since }
        let seconds = max(0, now.secondsSinceEpoch - then.secondsSinceEpoch)
        let days = seconds / 86_400, hours = seconds % 86_400 / 3_600, minutes = seconds % 3_600 / 60
        if days > 0 { return "\(days) d \(hours) h" }
        if hours > 0 { return "\(hours) h \(minutes) min" }
        return "\(minutes) min"
    }
}
