import Foundation
import Hummingbird
import HummingbirdTesting
import OrderConsole
import Testing
import TestSupport

/// Stock per sku, and a sku's lots with what they funded.
struct StockPageTests {
    @Test func listsPositionsMostBackOrderedFirstAndFilters() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/stock")
            #expect(page.status == .ok)
            #expect(page.body.contains("<a href=\"/stock/WID-100\">WID-100</a>"))
            let filtered = try await browser.get("/stock?sku=WID-2")
            #expect(!filtered.body.contains("/stock/WID-100"))
            #expect(try await browser.get("/stock?page=-3").status == .ok)
        }
    }

    @Test func aSkuShowsItsLotsAndTheOrderLinesEachFunded() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/stock/WID-100")
            #expect(page.status == .ok)
            #expect(page.body.contains("<a href=\"/orders/SO-1001\">SO-1001</a> line 1"))
            #expect(page.body.contains("<a href=\"/orders/SO-1002\">SO-1002</a> line 1"))
        }
    }
}
