import Foundation
import Hummingbird

/// Log in and out (on a console that needs a login).
enum LoginPage {
    static func addRoutes(to router: Router<ConsoleContext>, console: Console) {
        router.get("/login") { request, context -> Response in
            Layout.response(page(console: console, context: context, next: request.uri.queryParameters["next"].map(String.init), error: nil))
        }
        router.post("/login") { _, context -> Response in
            let name = context.form["name"] ?? "", password = context.form["password"] ?? ""
            let next = safeNext(context.form["next"])
            // bcrypt is slow on purpose; it runs off the server's event loops.
            let users = try console.users()
            let good = await Task.detached { users.verify(name: name, password: password) }.value
            guard good else {
                return Layout.response(page(console: console, context: context, next: next, error: "That name and password do not match a console user."),
                                       status: .unauthorized)
            }
            // A new session id at login, so an id planted before it is worth nothing after.
            if let old = context.session?.id { console.sessions.end(id: old) }
            let session = console.sessions.start(user: name)
            var response = Layout.redirect(next)
            response.setCookie(ConsoleGuard.cookie(for: session))
            return response
        }
        router.post("/logout") { _, context -> Response in
            if let id = context.session?.id { console.sessions.end(id: id) }
            return Layout.redirect("/login")
        }
    }

    /// Only a path on this console, never another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    static func page(console: Console, context: ConsoleContext, next: String?, error: String?) -> HTML {
        Layout.page("Log in", section: nil, console: console, context: context, content: """
            \(Layout.notice(error, error: true))
            <form method="post" action="/login" class="login">
            \(Layout.csrfField(context))
            <input type="hidden" name="next" value="\(safeNext(next))">
            <p><label for="name">Name</label><br><input id="name" name="name" autocomplete="username" required></p>
            <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
            <p><button type="submit" class="primary">Log in</button></p>
            </form>
            """)
    }
}
