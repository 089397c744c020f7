import Foundation
import Hummingbird
import HummingbirdTesting
@testable import OrderConsole
import OrderEngine
import Testing
import TestSupport

/// Logging in: who may, what happens to the sessions of people removed, and where a login is needed.
struct LoginPageTests {
    static let password = "correct horse battery"

    /// A home with one console user, alice.
    static func home() throws -> TestHome {
        let home = try TestHome()
        try home.cycle()
        var users = try ConsoleUsers(home: home.home)
        try users.set(name: "alice", password: password)
        try users.save()
        return home
    }

    static func console(_ home: TestHome, host: String = "127.0.0.1") throws -> Console {
        try Console(engine: home.engine(), mailbox: nil, options: .init(address: ConsoleAddress(host: host, port: 0)))
    }

    /// The session cookie a response sets, as a `Cookie` header value.
    static func cookie(_ response: TestResponse) throws -> String {
        let setCookie = try #require(response.headers[.setCookie])
        return String(try #require(setCookie.split(separator: ";").first))
    }

    /// The CSRF token of a page's forms.
    static func csrf(_ response: TestResponse) throws -> String {
        let body = String(buffer: response.body)
        let marker = "name=\"csrf\" value=\""
        let start = try #require(body.range(of: marker)).upperBound
        return String(body[start...].prefix { $0 != "\"" })
    }

    static func logIn(_ client: some TestClientProtocol, password: String) async throws -> (TestResponse, String) {
        let form = try await client.execute(uri: "/login", method: .get)
        let cookie = try cookie(form), token = try csrf(form)
        let body = "csrf=\(token)&name=alice&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&next=%2Fstages"
        let response = try await client.execute(uri: "/login", method: .post,
                                                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                                body: ByteBuffer(string: body))
        return (response, cookie)
    }

    @Test func aHomeWithUsersSendsStrangersToTheLoginPage() async throws {
        let home = try Self.home()
        let app = Application(router: try Self.console(home).makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/?since=today", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/login?next=%2F%3Fsince%3Dtoday")
        }
    }

    @Test func aWrongPasswordIsRefusedAndTheRightOneLetsIn() async throws {
        let home = try Self.home()
        let app = Application(router: try Self.console(home).makeRouter())
        try await app.test(.router) { client in
            let (refused, _) = try await Self.logIn(client, password: "wrong password here")
            #expect(refused.status == .unauthorized)
            #expect(String(buffer: refused.body).contains("do not match"))

            let (accepted, _) = try await Self.logIn(client, password: Self.password)
            #expect(accepted.status == .seeOther)
            #expect(accepted.headers[.location] == "/stages")
            // A new session id at login.
            let session = try Self.cookie(accepted)
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("<span>alice</span>"))
        }
    }

    @Test func aRemovedUsersSessionEndsAtTheirNextRequest() async throws {
        let home = try Self.home()
        let app = Application(router: try Self.console(home).makeRouter())
        try await app.test(.router) { client in
            let (accepted, _) = try await Self.logIn(client, password: Self.password)
            let session = try Self.cookie(accepted)
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).status == .ok)
            var users = try ConsoleUsers(home: home.home)
            let removed = users.remove(name: "alice")
            #expect(removed)
            try users.set(name: "bob", password: "another long password")
            try users.save()
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            #expect(page.status == .seeOther)
        }
    }

    @Test func aUserAddedWhileTheConsoleRunsPutsItBehindALogin() async throws {
        let home = try TestHome()
        try home.cycle()
        let app = Application(router: try Self.console(home).makeRouter())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/", method: .get).status == .ok)
            var users = try ConsoleUsers(home: home.home)
            try users.set(name: "alice", password: Self.password)
            try users.save()
            #expect(try await client.execute(uri: "/", method: .get).status == .seeOther)
        }
    }

    @Test func anAddressBeyondLoopbackNeedsAConsoleUser() throws {
        let home = try TestHome()
        try home.cycle()
        #expect(throws: ConsoleError.self) { try Self.console(home, host: "0.0.0.0") }
        var users = try ConsoleUsers(home: home.home)
        try users.set(name: "alice", password: Self.password)
        try users.save()
        let console = try Self.console(home, host: "0.0.0.0")
        #expect(console.loginRequired)
        #expect(console.plainHTTPWarning)
    }

    @Test(arguments: ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
    func loginNeverRedirectsToAnotherSite(next: String) {
        #expect(LoginPage.safeNext(next) == "/")
    }
}

struct UsersFileTests {
    @Test func aSavedPasswordVerifies() throws {
        let home = try LoginPageTests.home()
        let users = try ConsoleUsers(home: home.home)
        #expect(users.verify(name: "alice", password: LoginPageTests.password))
        #expect(!users.verify(name: "alice", password: "not the password"))
    }
}
