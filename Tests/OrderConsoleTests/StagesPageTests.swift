import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import OrderConsole
import Testing
import TestSupport

/// The Stages board and a stage's list.
struct StagesPageTests {
    @Test func theBoardShowsEveryStageWithItsCountsIncludingEmptyOnes() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/stages")
            #expect(page.status == .ok)
            for stage in ["new", "held-for-credit", "order-vetting", "on-hold", "back-order", "picking", "cancelled"] {
                #expect(page.body.contains("href=\"/stages/\(stage)\""), "\(stage)")
            }
            #expect(page.body.contains("4 order(s), 4 line(s)"))
        }
    }

    @Test func aStageListsItsOrdersWithReasonAndFilters() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let all = try await browser.get("/stages/held-for-credit")
            #expect(all.body.contains("Showing 1–4 of 4 order(s)"))
            #expect(all.body.contains("credit-limit: exposure"))
            let one = try await browser.get("/stages/held-for-credit?customer=C005")
            #expect(one.body.contains("Showing 1–1 of 1 order(s)"))
            #expect(one.body.contains("SO-1007"))
            let bySKU = try await browser.get("/stages/held-for-credit?sku=NO-SUCH-SKU")
            #expect(bySKU.body.contains("matches these filters"))
            let byText = try await browser.get("/stages/held-for-credit?q=credit-limit")
            #expect(byText.body.contains("SO-1007"))
        }
    }

    @Test func sortsByAnyColumnAndPagesWithoutTrappingOnBadValues() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let up = try await browser.get("/stages/held-for-credit?sort=ref")
            let down = try await browser.get("/stages/held-for-credit?sort=ref&dir=desc")
            let upOrder = try #require(up.body.range(of: "SO-1003")).lowerBound < #require(up.body.range(of: "SO-1010")).lowerBound
            let downOrder = try #require(down.body.range(of: "SO-1010")).lowerBound < #require(down.body.range(of: "SO-1003")).lowerBound
            #expect(upOrder && downOrder)
            #expect(down.body.contains("aria-sort=\"descending\""))
            for bad in ["?page=-5", "?page=99999999999999999999", "?page=9223372036854775807", "?sort=evil&dir=up", "?sort=value&dir=desc"] {
                #expect(try await browser.get("/stages/held-for-credit" + bad).status == .ok, "\(bad)")
            }
        }
    }

    @Test func anUnknownStageSaysWhichStagesThereAre() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/stages/held-for-credti")
            #expect(page.status == .notFound)
            #expect(page.body.contains("There is no stage &#39;held-for-credti&#39;"))
        }
    }

    @Test func hostileValuesAreShownNotRun() async throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers(["C1,<script>alert(1)</script>,ACCOUNT,1.00,0,N,a@b.c,1 Road,,Town,AB1,GB"]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("S1")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("\"<b>X\"", sku: "S1", qty: 5)]))
        try home.cycle()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/stages/held-for-credit")
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.body.contains("<script>alert"))
            #expect(!page.body.contains("<b>X"))
        }
    }
}

/// A broken rules.yaml (edited by hand) does not leave a blank page.
struct BrokenRulesTests {
    @Test func aPageThatCannotBeMadeSaysWhy() async throws {
        let home = try ConsoleFixture.sampleHome()
        try Data("stages: [\npipeline:\n".utf8).write(to: home.home.rulesFile)
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/stages")
            #expect(page.status == .internalServerError)
            #expect(page.body.contains("rules.yaml"))
            #expect(try await browser.get("/").status == .ok)
        }
    }

    /// An order whose lines in a stage add up beyond Int64 (as an import before the limits could let in):
    /// the list still shows, that order's value "too large", and sorting by value still works.
    @Test func anOrderWorthMoreThanTheEngineCanHoldIsListedAsTooLarge() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await home.engine().database.writer.write { db in
            try db.execute(sql: """
                UPDATE order_line SET stage = 'held-for-credit', unit_price = 9223372036854775807, quantity = 10000000
                WHERE order_id = (SELECT order_id FROM order_line GROUP BY order_id HAVING COUNT(*) >= 2 ORDER BY order_id LIMIT 1)
                """)
        }
        try await ConsoleFixture.browseReadOnly(home) { browser in
            for uri in ["/stages/held-for-credit", "/stages/held-for-credit?sort=value&dir=desc", "/stages"] {
                let page = try await browser.get(uri)
                #expect(page.status == .ok, "\(uri)")
                #expect(page.body.contains("too large"), "\(uri)")
            }
        }
    }
}
