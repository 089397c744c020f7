import Foundation
import Hummingbird
import HummingbirdTesting
import OrderConsole
import OrderEngine
import Testing
import TestSupport

/// Health: what a morning's first look needs, on a real home.
struct HealthPageTests {
    /// A home with orders picked and held for credit, and one failed file.
    static func home() throws -> TestHome {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1"), Sample.account("C2", limit: "1.00")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("S1")]))
        try home.drop("receipts", "r.csv", Sample.receipts(["R1,S1,100,MAIN,2026-11-20"]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("A-1", sku: "S1", qty: 2), Sample.line("B-1", customer: "C2", sku: "S1", qty: 5)]))
        try home.drop("orders", "broken.csv", "not,an,orders,file\n1,2,3,4\n")
        try home.cycle()
        return home
    }

    static func console(_ home: TestHome) throws -> Console {
        try Console(engine: home.engine(), mailbox: nil, options: .init(address: ConsoleAddress(host: "127.0.0.1", port: 0)))
    }

    @Test func showsStagesFailedFilesAndTheReasonOfEach() async throws {
        let home = try Self.home()
        let app = Application(router: try Self.console(home).makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            let body = String(buffer: response.body)
            #expect(body.contains("<a href=\"/stages/held-for-credit\">held-for-credit</a>"))
            #expect(body.contains("id=\"failed-files\""))
            #expect(body.contains("broken.csv"))
            #expect(body.contains("the header row lacks"))
            #expect(body.contains("<h1>Health</h1>"))
        }
    }

    @Test func sendsAStrictContentSecurityPolicyAndNoCaching() async throws {
        let home = try Self.home()
        let app = Application(router: try Self.console(home).makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/", method: .get)
            let csp = try #require(response.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'none'"))
            #expect(csp.contains("script-src 'self'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test func anUnknownPathIsAPageThatSaysSoWithTheSameHeaders() async throws {
        let home = try Self.home()
        let app = Application(router: try Self.console(home).makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/no/such/<page>", method: .get)
            #expect(response.status == .notFound)
            #expect(String(buffer: response.body).contains("There is no page at /no/such/&lt;page&gt;"))
            #expect(response.headers[.contentSecurityPolicy] != nil)
        }
    }

    @Test func aPostWithoutTheFormsTokenIsRefused() async throws {
        let home = try Self.home()
        let app = Application(router: try Self.console(home).makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/logout", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "csrf=guess"))
            #expect(response.status == .forbidden)
        }
    }

    /// The stage counts are kept between views, and read again as soon as the history moves.
    @Test func stageCountsFollowTheHistory() async throws {
        let home = try Self.home()
        let console = try Self.console(home)
        let app = Application(router: console.makeRouter())
        try await app.test(.router) { client in
            let before = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(!before.contains("/stages/cancelled"))
            _ = try OrderActions(engine: home.engine()).cancel("B-1")
            let after = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(after.contains("<a href=\"/stages/cancelled\">cancelled</a>"))
        }
    }
}
