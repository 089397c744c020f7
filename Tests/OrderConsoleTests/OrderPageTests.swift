import Foundation
import Hummingbird
import HummingbirdTesting
import OrderConsole
import OrderEngine
import Testing
import TestSupport

/// An order's page and the hand actions on it.
struct OrderPageTests {
    @Test func showsLinesWithReasonHistoryAndDocuments() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let find = try await browser.get("/orders?ref=SO-1001")
            #expect(find.status == .seeOther && find.location == "/orders/SO-1001")
            let page = try await browser.get("/orders/SO-1001")
            #expect(page.status == .ok)
            #expect(page.body.contains("<ol class=\"timeline\">"))
            #expect(page.body.contains("rule:credit-check") || page.body.contains("allocate"))
            #expect(page.body.contains("pick list <a href=\"/documents/"))
            // The document link serves the file the engine wrote.
            let start = try #require(page.body.range(of: "href=\"/documents/")).upperBound
            let id = page.body[start...].prefix { $0.isNumber }
            let file = try await browser.client.execute(uri: "/documents/\(id)", method: .get)
            #expect(file.status == .ok)
            #expect(String(buffer: file.body).contains("SO-1001"))
            #expect(file.headers[.contentDisposition]?.hasPrefix("attachment") == true)
        }
    }

    @Test func anUnknownRefIsAPageThatSaysSo() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/orders/NOPE-1")
            #expect(page.status == .notFound)
            #expect(page.body.contains("No order has the ref"))
            #expect(try await browser.get("/documents/999999").status == .notFound)
            #expect(try await browser.get("/documents/..%2F..%2Fetc%2Fpasswd").status == .notFound)
        }
    }

    @Test func theCardNumberIsNeverShownOnlyItsLastFour() async throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("S1")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("CARD-1", sku: "S1", payment: "CARD", card: "4111111111111111", expiry: "12/30")]))
        try home.cycle()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/orders/CARD-1")
            #expect(page.body.contains("card ending 1111"))
            #expect(!page.body.contains("4111111111111111"))
            #expect(!page.body.contains("411111"))
        }
    }

    @Test func releaseIsConfirmedThenDoneByTheEngineAsTheUser() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseActing(home) { browser in
            let confirm = try await browser.get("/orders/SO-1007/release")
            #expect(confirm.body.contains("<button type=\"submit\" class=\"primary\">Release SO-1007</button>"))
            let done = try await browser.post("/orders/SO-1007/release", [:])
            #expect(done.status == .seeOther)
            #expect(done.location?.hasPrefix("/orders/SO-1007?notice=") == true)
            #expect(done.location?.contains("failed=1") == false)
        }
        let history = try home.order("SO-1007").history
        #expect(history.contains { $0.actor == "user:tester" })
    }

    @Test func holdNeedsAReasonAndRecordsIt() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseActing(home) { browser in
            try await browser.get("/orders/SO-1006/hold")
            #expect(try await browser.post("/orders/SO-1006/hold", ["reason": "  "]).status == .badRequest)
            #expect(try await browser.post("/orders/SO-1006/hold", ["reason": "customer phoned"]).status == .seeOther)
        }
        let order = try home.order("SO-1006")
        #expect(order.history.contains { $0.actor == "user:tester" && $0.reason.contains("customer phoned") })
    }

    @Test func aRefusedActionComesBackAsAnError() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseActing(home) { browser in
            try await browser.get("/orders/SO-1001/release")
            let answer = try await browser.post("/orders/SO-1001/release", [:])
            #expect(answer.location?.contains("failed=1") == true)
        }
    }

    @Test func withoutTheTokenOrOnAReadOnlyConsoleNothingHappens() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            try await browser.get("/orders/SO-1007/cancel")
            #expect(try await browser.post("/orders/SO-1007/cancel", [:]).status == .forbidden)
            browser.csrf = "stale"
            #expect(try await browser.post("/orders/SO-1007/cancel", [:]).status == .forbidden)
        }
        #expect(try home.order("SO-1007").lines.allSatisfy { $0.stage == "held-for-credit" })
    }
}
