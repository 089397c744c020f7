import Foundation
import Hummingbird

/// The frame of every page: skip link, navigation, the person and logout, warnings, the content.
///
/// Landmarks (`header`, `nav`, `main`) and one `h1` a page make it readable by a screen reader; the
/// current page is marked `aria-current`; every control is reachable with the keyboard.
struct Layout {
    /// The pages of the navigation bar.
    enum Section: String, CaseIterable, Sendable {
        case health, stages, stock, logic, jobs

        var title: String {
            switch self {
            case .health: "Health"
            case .stages: "Stages"
            case .stock: "Stock"
            case .logic: "Logic Builder"
            case .jobs: "Job Manager"
            }
        }

        var path: String {
            switch self {
            case .health: "/"
            case .stages: "/stages"
            case .stock: "/stock"
            case .logic: "/logic"
            case .jobs: "/jobs"
            }
        }
    }

    /// A whole page.
    /// - Parameter scripts: page scripts besides `console.js` (served from `/static/`, as the CSP allows).
    static func page(_ title: String, section: Section?, console: Console, context: ConsoleContext, scripts: [String] = [],
                     content: HTML) -> HTML {
        let extra = scripts.map { name -> HTML in "<script src=\"/static/\(name)\" defer></script>\n" }
        let nav = Section.allCases.map { s -> HTML in
            s == section
                ? "<li><a href=\"\(s.path)\" aria-current=\"page\">\(s.title)</a></li>"
                : "<li><a href=\"\(s.path)\">\(s.title)</a></li>"
        }
        var banners: [HTML] = []
        if console.readOnly {
            banners.append("<p class=\"banner\" role=\"status\">Read-only console (<code>orderflow serve</code>): the engine runs elsewhere; actions are made on its own console.</p>")
        }
        if console.plainHTTPWarning {
            banners.append("<p class=\"banner warn\" role=\"status\">This console is served over plain HTTP on \(console.options.address.description): put it behind a TLS proxy before using it across a network.</p>")
        }
        let who: HTML = context.session?.user.map { user -> HTML in
            console.loginRequired
                ? "<form method=\"post\" action=\"/logout\" class=\"who\"><span>\(user)</span> \(csrfField(context))<button type=\"submit\">Log out</button></form>"
                : "<span class=\"who\">\(user)</span>"
        } ?? .empty
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · orderflow</title>
            <link rel="stylesheet" href="/static/console.css">
            <script src="/static/console.js" defer></script>
            \(extra)</head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header>
            <p class="brand"><a href="/">orderflow</a> <span class="home">\(console.engine.home.root.lastPathComponent)</span></p>
            <nav aria-label="Pages"><ul>\(nav)</ul></nav>
            <form method="get" action="/orders" class="find" role="search">
            <label for="find-order">Order</label>
            <input id="find-order" name="ref" type="search" placeholder="order_ref" autocomplete="off">
            <button type="submit">Open</button>
            </form>
            \(who)
            </header>
            \(banners)
            <main id="main" tabindex="-1">
            <h1>\(title)</h1>
            \(content)
            </main>
            </body>
            </html>
            """
    }

    /// The hidden field every POST form carries.
    static func csrfField(_ context: ConsoleContext) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(context.session?.csrfToken ?? "")\">"
    }

    /// An HTML response.
    static func response(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: html.rendered)))
    }

    /// A 303 to `path` after a POST, so a reload does not repeat it.
    static func redirect(_ path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }

    /// A notice at the top of a page (`?notice=` after an action): what the engine answered.
    static func notice(_ text: String?, error: Bool = false) -> HTML {
        guard let text, !text.isEmpty else { return .empty }
        return error
            ? "<p class=\"notice error\" role=\"alert\">\(text)</p>"
            : "<p class=\"notice\" role=\"status\">\(text)</p>"
    }
}

/// A page for what went wrong: not found, refused, failed.
enum ErrorPage {
    static func response(_ status: HTTPResponse.Status, title: String, message: String, console: Console, context: ConsoleContext) -> Response {
        Layout.response(Layout.page(title, section: nil, console: console, context: context,
                                    content: "<p class=\"notice error\" role=\"alert\">\(message)</p><p><a href=\"/\">Back to Health</a></p>"),
                        status: status)
    }
}
