import Foundation
import Hummingbird
import OrderEngine
import OrderModel
import OrderStore

/// Stock per sku: on hand, allocated, back-ordered; and for one sku its lots and what each funded.
enum StockPage {
    static let pageSize = 50

    static func skuPath(_ sku: String) -> String {
        "/stock/" + (sku.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#", ";"])) ?? sku)
    }

    static func addRoutes(to router: Router<ConsoleContext>, console: Console) {
        router.get("/stock") { request, context -> Response in
            let sku = Layout.query(request, "sku")
            let (page, offset) = Layout.page(request, size: pageSize)
            let (total, positions) = try console.engine.database.stockPositions(skuContaining: sku, offset: offset, limit: pageSize)
            let rows = positions.map { p -> HTML in
                """
                <tr><th scope="row"><a href="\(skuPath(p.sku))">\(p.sku)</a></th><td>\(p.warehouse)</td><td class="num">\(p.onHand.description)</td>\
                <td class="num">\(p.allocated.description)</td><td class="num">\(p.backOrdered.description)</td></tr>
                """
            }
            func link(_ n: Int) -> String {
                var c = URLComponents()
                c.path = "/stock"
                c.queryItems = (sku.map { [URLQueryItem(name: "sku", value: $0)] } ?? []) + [URLQueryItem(name: "page", value: String(n))]
                return c.string ?? "/stock"
            }
            let pager = Layout.pager(page: page, total: total, size: pageSize, summary: "\(total) position(s)", link: link)
            return Layout.response(Layout.page("Stock", section: .stock, console: console, context: context, content: """
                <form method="get" action="/stock" class="filters" role="search" aria-label="Filter the stock">
                <label for="s-sku">SKU contains<input id="s-sku" name="sku" value="\(sku)"></label>
                <button type="submit">Filter</button> <a href="/stock">Clear</a>
                </form>
                \(pager)
                \(positions.isEmpty ? HTML("<p class=\"muted\">No stock and no back order\(sku == nil ? "" : " for a sku like that").</p>") : """
                <table><caption>Stock per sku and warehouse, most back-ordered first</caption>
                <thead><tr><th scope="col">SKU</th><th scope="col">Warehouse</th><th scope="col" class="num">On hand</th><th scope="col" class="num">Allocated</th><th scope="col" class="num">Back-ordered</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
                """))
        }
        router.get("/stock/:sku") { _, context -> Response in
            let sku = context.parameters.get("sku") ?? ""
            let mine = try console.engine.database.stockPositions(ofSKU: sku)
            let lots = try console.engine.database.lots(ofSKU: sku)
            let summary = mine.map { p -> HTML in
                "<li>\(p.warehouse): on hand \(p.onHand.description), allocated \(p.allocated.description), back-ordered \(p.backOrdered.description)</li>"
            }
            let lotRows = lots.map { lot -> HTML in
                let funded = lot.funded.map { f -> HTML in
                    "<li><a href=\"\(OrderPage.path(f.orderRef))\">\(f.orderRef)</a> line \(f.lineNo): \(f.quantity.description) <span class=\"muted\">(\(f.stage))</span></li>"
                }
                return """
                    <tr><td>\(lot.source)</td><td>\(lot.warehouse)</td><td>\(lot.receivedAt)</td><td class="num">\(lot.quantity.description)</td>\
                    <td class="num">\(lot.remaining.description)</td><td>\(funded.isEmpty ? HTML("<span class=\"muted\">nothing yet</span>") : "<ul>\(funded)</ul>")</td></tr>
                    """
            }
            return Layout.response(Layout.page("Stock of \(sku)", section: .stock, console: console, context: context, content: """
                <p><a href="/stock">All stock</a></p>
                \(summary.isEmpty ? HTML("<p class=\"muted\">No stock position for \(sku).</p>") : "<ul>\(summary)</ul>")
                <h2>Lots</h2>
                \(lots.isEmpty ? HTML("<p class=\"muted\">No lot of \(sku) has been received.</p>") : """
                <table><caption>Lots of \(sku), newest first, with the order lines each funded (oldest order first)</caption>
                <thead><tr><th scope="col">Source</th><th scope="col">Warehouse</th><th scope="col">Received</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Remaining</th><th scope="col">Funded</th></tr></thead>
                <tbody>\(lotRows)</tbody></table>
                """)
                """))
        }
    }
}
