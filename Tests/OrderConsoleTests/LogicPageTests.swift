import Foundation
import Hummingbird
import HummingbirdTesting
@testable import OrderConsole
import OrderEngine
import OrderRules
import Testing
import TestSupport

/// The Logic Builder: checked by the engine's checker, previewed, saved with a backup and a diff.
struct LogicPageTests {
    static let rule = """
          - rule: big-back-orders
            search: customer.terms = 'ACCOUNT' and order.totl > 100
            stages: [back-order]
            scope: order
            action: move
            to: on-hold
            reason: back order over 100

        """

    static func edited(_ home: TestHome, rule: String = rule) throws -> String {
        try home.read("rules.yaml").replacingOccurrences(of: "  # Drop-ship items", with: rule + "  # Drop-ship items")
    }

    /// The line and column of `needle` in `text`, 1-based.
    static func position(of needle: String, in text: String) throws -> (Int, Int) {
        let offset = try #require(text.range(of: needle)).lowerBound
        let before = text[..<offset]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return (line, column)
    }

    @Test func checkPlacesASearchTypoAtItsLineAndColumnInTheFile() async throws {
        let home = try ConsoleFixture.sampleHome()
        let text = try Self.edited(home)
        let (line, column) = try Self.position(of: "order.totl", in: text)
        try await ConsoleFixture.browseReadOnly(home) { browser in
            try await browser.get("/logic")
            let answer = try await browser.post("/logic/check", ["rules": text])
            #expect(answer.body.contains("\"ok\":false"))
            #expect(answer.body.contains("\"line\":\(line)"))
            #expect(answer.body.contains("\"column\":\(column)"))
            let good = try await browser.post("/logic/check", ["rules": text.replacingOccurrences(of: "totl", with: "total")])
            #expect(good.body.contains("\"ok\":true"))
            #expect(good.body.contains("big-back-orders"))
        }
    }

    @Test func aTypoInAFoldedSearchIsPlacedOnItsOwnLine() throws {
        let text = """
            stages: []
            pipeline:
              - rule: r1
                search: >-
                  customer.terms = 'PROFORMA'
                  and order.totl > 5
                stages: [new]
                action: move
                to: on-hold
                reason: x

            """
        let (line, column) = try Self.position(of: "order.totl", in: text)
        #expect(throws: RulesFileError.self) { try RulesFile.check(text, catalog: FieldCatalog()) }
        do {
            _ = try RulesFile.check(text, catalog: FieldCatalog())
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func aYAMLMistakeHasItsLineToo() throws {
        do {
            _ = try RulesFile.check("stages: []\npipeline:\n  - step: import\n   - step: export\n", catalog: FieldCatalog())
            Issue.record("no error")
        } catch {
            #expect(error.line == 4)
        }
    }

    @Test func previewListsWhatTheEditedRuleWouldMatch() async throws {
        let home = try ConsoleFixture.sampleHome()
        let text = try Self.edited(home).replacingOccurrences(of: "totl", with: "total")
        try await ConsoleFixture.browseReadOnly(home) { browser in
            try await browser.get("/logic")
            let page = try await browser.post("/logic", ["rules": text, "action": "preview", "rule": "big-back-orders"])
            #expect(page.body.contains("id=\"preview\""))
            #expect(page.body.contains("SO-1006"))
            #expect(page.body.contains("1 order(s) in back-order match now"))
        }
        // Nothing was saved.
        #expect(!(try home.read("rules.yaml")).contains("big-back-orders"))
    }

    @Test func saveKeepsABackupWritesAndShowsTheDiffAndTheNextCycleRunsIt() async throws {
        let home = try ConsoleFixture.sampleHome()
        let old = try home.read("rules.yaml")
        let text = try Self.edited(home).replacingOccurrences(of: "totl", with: "total")
        try await ConsoleFixture.browseActing(home) { browser in
            try await browser.get("/logic")
            let page = try await browser.post("/logic", ["rules": text, "action": "save"])
            #expect(page.status == .ok)
            #expect(page.body.contains("<ins class=\"add\">+   - rule: big-back-orders</ins>"))
        }
        #expect(try home.read("rules.yaml") == text)
        let backups = try FileManager.default.contentsOfDirectory(atPath: home.root.appendingPathComponent("backups/rules").path)
        #expect(backups.count == 1)
        #expect(try home.read("backups/rules/\(backups[0])") == old)
        try home.cycle()
        #expect(try home.stages("SO-1006") == [1: "on-hold"])
    }

    @Test func anInvalidTextIsNeverSaved() async throws {
        let home = try ConsoleFixture.sampleHome()
        let old = try home.read("rules.yaml")
        try await ConsoleFixture.browseActing(home) { browser in
            try await browser.get("/logic")
            let page = try await browser.post("/logic", ["rules": try Self.edited(home), "action": "save"])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("unknown field"))
        }
        #expect(try home.read("rules.yaml") == old)
    }

    @Test func aReadOnlyConsoleDoesNotSave() async throws {
        let home = try ConsoleFixture.sampleHome()
        try await ConsoleFixture.browseReadOnly(home) { browser in
            try await browser.get("/logic")
            #expect(try await browser.post("/logic", ["rules": "stages: []\npipeline: []\n", "action": "save"]).status == .forbidden)
        }
    }

    @Test func theDiffShowsOnlyWhatChangedWithContext() {
        let diff = LineDiff(old: "a\nb\nc\nd\ne\nf\ng\nh\ni\n", new: "a\nb\nc\nd\nE\nf\ng\nh\ni\n")
        #expect(diff.changes.filter { if case .kept = $0 { false } else { true } } == [.removed("e"), .added("E")])
        #expect(!diff.isEmpty)
        #expect(LineDiff(old: "x\n", new: "x\n").isEmpty)
    }
}
