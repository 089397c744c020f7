import Foundation
import Hummingbird
import HTTPTypes
import OrderModel

/// The one door every request passes: session, login, CSRF check and the security headers.
///
/// - Every browser gets a session cookie (HttpOnly, SameSite=Strict); on a console that needs a login,
///   a session without a user is sent to `/login`.
/// - A POST must carry the session's CSRF token in its `csrf` field (and, when the browser sends an
///   `Origin`, come from this console's own origin); otherwise it is refused before any page sees it.
/// - Every response gets a strict Content-Security-Policy (scripts and styles only from this console,
///   no inline code, no framing), `nosniff`, a same-origin referrer policy, and no caching of pages.
struct ConsoleGuard: RouterMiddleware {
    typealias Context = ConsoleContext
    let console: Console

    static let cookieName = "orderflow_session"
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        let path = request.uri.path
        var newSession: Sessions.Session? = nil
        // Read once a request: who may log in now (nil: the file cannot be read, so nobody is let in).
        let users = try? console.users()
        let loginRequired = console.alwaysLogin || (users.map { !$0.isEmpty } ?? true)
        if let session = console.sessions.session(id: request.cookies[Self.cookieName]?.value) {
            context.session = session
        } else {
            let session = console.sessions.start(user: nil)
            context.session = session
            newSession = session
        }
        // Signed in: a user the file still lists (a removed user's session ends here). Without a login
        // (loopback, no users), the person acting is the engine's user.
        let signedIn = context.session?.user.map { users?.hashes[$0] != nil } ?? false
        if !loginRequired, context.session?.user == nil { context.session?.user = console.defaultPerson }
        var response: Response
        if path.hasPrefix("/static/") || path == "/login" || !loginRequired || signedIn {
            if request.method == .post {
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                context.form = FormFields(urlEncoded: String(decoding: body.readableBytesView, as: UTF8.self))
                if let refusal = refusal(of: request, form: context.form, session: context.session) {
                    response = ErrorPage.response(.forbidden, title: "Refused", message: refusal, console: console, context: context)
                    return finish(response, newSession: newSession)
                }
            }
            do {
                response = try await next(request, context)
            } catch let error as HTTPError {
                throw error
            } catch {
                // A page that cannot be made says why (a broken rules.yaml, a database problem), in words.
                response = ErrorPage.response(.internalServerError, title: "This page could not be made",
                                              message: CardNumberRedactor.redact(String(describing: error)), console: console, context: context)
            }
        } else if request.method == .get {
            let target = request.uri.description
            response = Response(status: .seeOther, headers: [.location: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")])
        } else {
            response = ErrorPage.response(.unauthorized, title: "Log in first", message: "Your session has ended; log in again and repeat the action.",
                                          console: console, context: context)
        }
        return finish(response, newSession: newSession)
    }

    /// Why a POST is refused, or nil when its token and origin are right.
    func refusal(of request: Request, form: FormFields, session: Sessions.Session?) -> String? {
        if let origin = request.headers[.origin], let host = request.head.authority {
            let expected = ["http://" + host, "https://" + host]
            if !expected.contains(origin) {
                return "The form came from another site (\(origin)); nothing was changed."
            }
        }
        guard let session, let sent = form["csrf"], Sessions.tokensMatch(sent, session.csrfToken) else {
            return "The form is out of date (the page was open before the engine restarted, or it came from elsewhere); reload the page and try again. Nothing was changed."
        }
        return nil
    }

    func finish(_ response: Response, newSession: Sessions.Session?) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on its own forms.
        if let name = HTTPField.Name("Referrer-Policy") { response.headers[name] = "same-origin" }
        if let name = HTTPField.Name("X-Frame-Options") { response.headers[name] = "DENY" }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if let newSession { response.setCookie(Self.cookie(for: newSession)) }
        return response
    }

    static func cookie(for session: Sessions.Session) -> Cookie {
        Cookie(name: cookieName, value: session.id, path: "/", httpOnly: true, sameSite: .strict)
    }
}
