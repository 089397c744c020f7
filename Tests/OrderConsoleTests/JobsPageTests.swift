import Foundation
import Hummingbird
import HummingbirdTesting
import OrderConsole
import OrderEngine
import Testing
import TestSupport

/// The Job Manager: schedules in words, Run now through the engine, the history and its filters.
struct JobsPageTests {
    @Test func showsEachJobsScheduleInWordsAndNextRun() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            let page = try await browser.get("/jobs")
            #expect(page.status == .ok)
            #expect(page.body.contains("<th scope=\"row\">cycle</th><td>every 2 seconds</td>"))
            // Read-only: the button is there but cannot be used.
            #expect(page.body.contains("disabled title=\"read-only console\""))
        }
    }

    @Test func runNowRunsTheJobAndTheHistorySaysWhoAsked() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseActing(home) { browser in
            try await browser.get("/jobs")
            let ran = try await browser.post("/jobs/cycle/run", [:])
            #expect(ran.status == .seeOther)
            #expect(ran.location?.contains("ran%20cycle") == true)
            let page = try await browser.get("/jobs")
            #expect(page.body.contains("manual by user:tester"))
            let unknown = try await browser.post("/jobs/nightly/run", [:])
            #expect(unknown.location?.contains("failed-notice=1") == true)
        }
    }

    @Test func theHistoryFiltersAndBadValuesFallBack() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseActing(home) { browser in
            try await browser.get("/jobs")
            _ = try await browser.post("/jobs/cycle/run", [:])
            #expect(try await browser.get("/jobs?failed=1").body.contains("No such runs."))
            #expect(try await browser.get("/jobs?since=2999-01-01").body.contains("No such runs."))
            let bad = try await browser.get("/jobs?since=yesterday&limit=-4&job=%3Cx%3E")
            #expect(bad.status == .ok)
            #expect(bad.body.contains("is not a time"))
        }
    }

    @Test func aReadOnlyConsoleRefusesRunNow() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            try await browser.get("/jobs")
            #expect(try await browser.post("/jobs/cycle/run", [:]).status == .forbidden)
        }
    }
}
