import Foundation
import Hummingbird
import OrderDaemon
import OrderEngine
import OrderModel
import OrderStore

/// "Why hasn't this shipped?": one order's header, lines, history and documents, and the hand actions.
///
/// Each action is a link to a page that says what it will do, with a form that posts it (so a stray
/// click changes nothing, and it works without JavaScript); the post goes to the engine's mailbox and
/// is done by the engine as `user:<name>`.
enum OrderPage {
    /// The hand actions on an order.
    enum Action: String, CaseIterable {
        case release, hold, cancel

        var title: String {
            switch self {
            case .release: "Release"
            case .hold: "Hold"
            case .cancel: "Cancel"
            }
        }

        var explanation: String {
            switch self {
            case .release: "Releases the order's held lines (held for credit, held by hand or in order vetting): the credit check is overridden for this order from now on, and the next cycle allocates them."
            case .hold: "Moves the order's open lines to on-hold, giving back any stock allocated to them, until someone releases it. The reason is kept in the history."
            case .cancel: "Cancels the order's open lines. Despatched lines and lines on a purchase order already sent are kept. This cannot be undone."
            }
        }
    }

    static func path(_ ref: String) -> String {
        "/orders/" + (ref.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#", ";"])) ?? ref)
    }

    static func addRoutes(to router: Router<ConsoleContext>, console: Console) {
        router.get("/orders") { request, _ -> Response in
            let ref = request.uri.queryParameters["ref"].map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
            return Layout.redirect(ref.isEmpty ? "/" : path(ref))
        }
        router.get("/orders/:ref") { request, context -> Response in
            let ref = context.parameters.get("ref") ?? ""
            guard let detail = try order(ref, console: console) else { return notFound(ref, console: console, context: context) }
            let notice = request.uri.queryParameters["notice"].map(String.init)
            let failed = request.uri.queryParameters["failed"] != nil
            return Layout.response(try page(detail, notice: notice, failed: failed, console: console, context: context))
        }
        router.get("/orders/:ref/:action") { _, context -> Response in
            let ref = context.parameters.get("ref") ?? ""
            guard let action = context.parameters.get("action").flatMap(Action.init(rawValue:)) else {
                return ErrorPage.response(.notFound, title: "Not found", message: "The actions on an order are release, hold and cancel.", console: console, context: context)
            }
            guard try order(ref, console: console) != nil else { return notFound(ref, console: console, context: context) }
            return Layout.response(confirm(action, ref: ref, console: console, context: context))
        }
        router.post("/orders/:ref/:action") { _, context -> Response in
            let ref = context.parameters.get("ref") ?? ""
            guard let action = context.parameters.get("action").flatMap(Action.init(rawValue:)) else {
                return ErrorPage.response(.notFound, title: "Not found", message: "The actions on an order are release, hold and cancel.", console: console, context: context)
            }
            guard !console.readOnly else {
                return ErrorPage.response(.forbidden, title: "Read-only console",
                                          message: "This console is read-only (orderflow serve): \(action.rawValue) the order on the console of the running engine (orderflow run --http).",
                                          console: console, context: context)
            }
            let request: EngineMailbox.Request
            switch action {
            case .release: request = .release(order: ref)
            case .cancel: request = .cancel(order: ref)
            case .hold:
                let reason = (context.form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !reason.isEmpty else {
                    return Layout.response(confirm(.hold, ref: ref, error: "Say why the order is held: the reason is kept in its history.",
                                                   console: console, context: context), status: .badRequest)
                }
                request = .hold(order: ref, reason: reason)
            }
            let (text, failed) = answerText(await console.ask(request, from: context.person))
            var components = URLComponents()
            components.path = path(ref)
            components.queryItems = [URLQueryItem(name: "notice", value: text)] + (failed ? [URLQueryItem(name: "failed", value: "1")] : [])
            return Layout.redirect(components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? ""))
        }
        router.get("/documents/:id") { _, context -> Response in
            try document(id: context.parameters.get("id").flatMap { Int64($0) }, console: console, context: context)
        }
    }

    /// What the engine answered, in words, and whether it is a refusal.
    static func answerText(_ answer: EngineMailbox.Answer?) -> (String, Bool) {
        switch answer {
        case .done(let message)?: (message, false)
        case .ran(let run)?: ("ran \(run.job): \(run.outcome.rawValue)", run.outcome == .failed)
        case .refused(let why)?: (why, true)
        case nil: ("Queued: the engine is busy and will do it when its current step ends. Reload the page in a moment.", false)
        }
    }

    static func order(_ ref: String, console: Console) throws -> OrderQueries.OrderDetail? {
        do {
            return try OrderQueries(engine: console.engine).order(ref)
        } catch EngineError.unknownOrder {
            return nil
        }
    }

    static func notFound(_ ref: String, console: Console, context: ConsoleContext) -> Response {
        ErrorPage.response(.notFound, title: "No such order",
                           message: "No order has the ref '\(ref)'. Refs are matched exactly; try the search box above, or a stage's list.",
                           console: console, context: context)
    }

    static func page(_ o: OrderQueries.OrderDetail, notice: String?, failed: Bool, console: Console, context: ConsoleContext) throws -> HTML {
        let payment: String = {
            var text = o.paymentMethod ?? "customer's terms"
            if let last4 = o.cardLast4 { text += ", card ending \(last4)" }
            return text
        }()
        let shipTo = ["ship_name", "ship_address1", "ship_address2", "ship_city", "ship_postcode", "ship_country"]
            .compactMap { o.shipTo[$0] }.filter { !$0.isEmpty }.joined(separator: ", ")
        let lines = o.lines.map { l -> HTML in
            let ref = [l.pickListRef.map { "pick list \($0)" }, l.poRef.map { "PO \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return """
                <tr><td class="num">\(l.lineNo)\(l.part > 0 ? ".\(l.part)" : "")</td><td>\(l.sku)</td><td class="num">\(l.quantity.description)\(l.stockUnit.map { " \($0)" } ?? "")</td>\
                <td class="num">\(l.unitPrice ?? "product's")</td><td><a href="/stages/\(l.stage)">\(l.stage)</a></td>\
                <td class="reason">\(CardNumberRedactor.redact(l.reason ?? ""))</td><td>\(l.servedFrom.joined(separator: "; "))</td><td>\(ref)</td></tr>
                """
        }
        let history = o.history.map { m -> HTML in
            "<li><time>\(m.at)</time> <strong>\(m.actor)</strong>\(m.lineNo.map { " line \($0)" } ?? ""): \(m.from ?? "–") → \(m.to) <span class=\"reason\">\(CardNumberRedactor.redact(m.reason))</span></li>"
        }
        let documents = try console.engine.database.documents(ofOrder: o.orderRef).map { d -> HTML in
            d.writtenAt == nil
                ? "<li>\(d.kind.rawValue) \(d.name) <span class=\"muted\">(waiting to be written)</span></li>"
                : "<li>\(d.kind.rawValue) <a href=\"/documents/\(d.id)\">outbox/\(d.folder)/\(d.name)</a> <span class=\"muted\">written \(d.writtenAt)</span></li>"
        }
        let actions: HTML = console.readOnly
            ? "<p class=\"muted\">Read-only console: release, hold and cancel are made on the console of the running engine.</p>"
            : HTML(joining: Action.allCases.map { a -> HTML in "<a class=\"button\" href=\"\(path(o.orderRef))/\(a.rawValue)\">\(a.title)</a>" })
        return Layout.page("Order \(o.orderRef)", section: nil, console: console, context: context, content: """
            \(Layout.notice(notice, error: failed))
            <div class="actions">\(actions)</div>
            <dl class="facts">
            <dt>Date</dt><dd>\(o.orderDate)</dd>
            <dt>Customer</dt><dd>\(o.customerRef)</dd>
            <dt>Payment</dt><dd>\(payment); credit \(o.creditState.rawValue)\(o.creditOverride ? " (overridden by hand)" : "")\(o.manualHold ? "; held by hand" : "")</dd>
            <dt>Ship to</dt><dd>\(shipTo.isEmpty ? "the customer's address" : shipTo)</dd>
            <dt>Total</dt><dd>\(o.total ?? "too large to compute")</dd>
            <dt>From</dt><dd>\(o.sourceFile) line \(o.sourceLine)</dd>
            </dl>
            <h2>Lines</h2>
            <table><caption>The order's lines, each with its stage, why it is there and what stock served it</caption>
            <thead><tr><th scope="col" class="num">Line</th><th scope="col">SKU</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Unit price</th>\
            <th scope="col">Stage</th><th scope="col">Reason</th><th scope="col">Served from</th><th scope="col">On</th></tr></thead>
            <tbody>\(lines)</tbody></table>
            <h2>History</h2>
            <ol class="timeline">\(history)</ol>
            <h2>Documents</h2>
            \(documents.isEmpty ? HTML("<p class=\"muted\">The order is on no pick list, purchase order or exception report yet.</p>") : "<ul>\(documents)</ul>")
            """)
    }

    static func confirm(_ action: Action, ref: String, error: String? = nil, console: Console, context: ConsoleContext) -> HTML {
        let reason: HTML = action == .hold
            ? "<p><label for=\"reason\">Reason (kept in the history)</label><br><textarea id=\"reason\" name=\"reason\" rows=\"3\" cols=\"60\" required></textarea></p>"
            : .empty
        let disabled: HTML = console.readOnly ? " disabled" : .empty
        return Layout.page("\(action.title) order \(ref)?", section: nil, console: console, context: context, content: """
            \(Layout.notice(error, error: true))
            <p>\(action.explanation)</p>
            \(console.readOnly ? HTML("<p class=\"notice error\">This console is read-only (orderflow serve): act on the console of the running engine.</p>") : .empty)
            <form method="post" action="\(path(ref))/\(action.rawValue)">
            \(Layout.csrfField(context))
            \(reason)
            <p class="actions"><button type="submit" class="\(action == .cancel ? "danger" : "primary")"\(disabled)>\(action.title) \(ref)</button>
            <a href="\(path(ref))">Back to the order, doing nothing</a></p>
            </form>
            """)
    }

    /// An outbox file the engine wrote, as text to save: looked up by its id (never a path from the
    /// request), and only a regular file inside `outbox/` once symlinks are resolved. The engine never
    /// writes a card number into a document, so nothing here can show one.
    static func document(id: Int64?, console: Console, context: ConsoleContext) throws -> Response {
        guard let id, let file = try console.engine.database.outboxFile(id: id) else {
            return ErrorPage.response(.notFound, title: "No such document", message: "There is no written document with that number.", console: console, context: context)
        }
        let outbox = console.engine.home.outbox.resolvingSymlinksInPath().standardizedFileURL
        let url = outbox.appendingPathComponent(file.folder, isDirectory: true).appendingPathComponent(file.name)
            .resolvingSymlinksInPath().standardizedFileURL
        let inside = url.path.hasPrefix(outbox.path + "/")
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard inside, attributes?[.type] as? FileAttributeType == .typeRegular, let data = FileManager.default.contents(atPath: url.path) else {
            return ErrorPage.response(.notFound, title: "Document collected",
                                      message: "outbox/\(file.folder)/\(file.name) is no longer in the outbox: it has been collected (or moved).",
                                      console: console, context: context)
        }
        let type = file.name.lowercased().hasSuffix(".xml") ? "application/xml" : "text/plain; charset=utf-8"
        let safeName = String(file.name.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || "0123456789.-_".unicodeScalars.contains($0)) }.map(Character.init))
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(safeName)\""],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
