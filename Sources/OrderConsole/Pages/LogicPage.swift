import Foundation
import Hummingbird
import OrderEngine
import OrderExport
import OrderModel
import OrderRules

/// The Logic Builder: the pipeline in order, and `rules.yaml` in an editor that is checked as it is
/// typed (by the engine's own parser and checker), previews a rule's matches (the code of
/// `orderflow search`) and saves with a dated backup and a diff.
enum LogicPage {
    static func addRoutes(to router: Router<ConsoleContext>, console: Console) {
        router.get("/logic") { _, context -> Response in
            let text = (try? String(contentsOf: console.engine.home.rulesFile, encoding: .utf8)) ?? ""
            return Layout.response(try page(text: text, console: console, context: context))
        }
        router.post("/logic") { _, context -> Response in
            let text = normalized(context.form["rules"] ?? "")
            switch context.form["action"] {
            case "preview":
                return Layout.response(try page(text: text, preview: context.form["rule"], console: console, context: context))
            case "save":
                return try save(text, console: console, context: context)
            default:
                return Layout.response(try page(text: text, checked: true, console: console, context: context))
            }
        }
        router.post("/logic/check") { _, context -> Response in
            let result = Check(check(normalized(context.form["rules"] ?? ""), console: console))
            let body = (try? JSONEncoder().encode(result)) ?? Data("{\"ok\":false,\"message\":\"cannot encode\"}".utf8)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// What `/logic/check` answers.
    struct Check: Encodable {
        var ok: Bool
        var rules: [String]?
        var line: Int?
        var column: Int?
        var message: String?
        var description: String?

        init(_ result: Result<RulesFile, RulesFileError>) {
            switch result {
            case .success(let file):
                ok = true
                rules = LogicPage.ruleNames(file)
            case .failure(let error):
                ok = false
                line = error.line
                column = error.column
                message = error.message
                description = error.description
            }
        }
    }

    /// Browsers post `\r\n`; the file keeps `\n`.
    static func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    static func catalog(_ console: Console) throws -> FieldCatalog {
        RulesFile.catalog(try console.engine.loadMappings())
    }

    static func check(_ text: String, console: Console) -> Result<RulesFile, RulesFileError> {
        do {
            return .success(try RulesFile.check(text, catalog: try catalog(console)))
        } catch let error as RulesFileError {
            return .failure(error)
        } catch {
            return .failure(RulesFileError(description: "\(error)", message: "\(error)"))
        }
    }

    static func ruleNames(_ file: RulesFile) -> [String] {
        file.pipeline.compactMap { if case .rule(let rule) = $0 { rule.name } else { nil } }
    }

    static func page(text: String, checked: Bool = false, preview: String? = nil, saved: HTML? = nil, status: HTTPResponse.Status = .ok,
                     console: Console, context: ConsoleContext) throws -> HTML {
        let overview = try? RuleQueries(engine: console.engine).overview()
        let result = check(text, console: console)
        let pipeline = (overview?.pipeline ?? []).map { e -> HTML in
            let last = e.lastCycle.map { $0.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") } ?? ""
            return "<tr><td class=\"num\">\(e.position)</td><th scope=\"row\">\(e.name)</th><td>\(e.kind)</td><td>\(e.detail)</td><td>\(last)</td></tr>"
        }
        let stages = (overview?.stages ?? []).map { s -> HTML in
            "<li><a href=\"/stages/\(s.name)\">\(s.name)</a> <span class=\"muted\">\(s.builtIn ? "built-in" : "rules.yaml"): \(s.description)</span></li>"
        }
        var statusText = ""
        var errorBlock: HTML = .empty
        switch result {
        case .success(let file):
            statusText = "No errors: \(ruleNames(file).count) rule(s)."
        case .failure(let error):
            statusText = error.line.map { "Error at line \($0), column \(error.column ?? 1): \(error.message)" } ?? error.description
            errorBlock = "<pre class=\"error-detail\">\(error.description)</pre>"
        }
        let names: [String] = (try? result.get()).map(ruleNames) ?? []
        let options = names.map { n -> HTML in n == preview ? "<option selected>\(n)</option>" : "<option>\(n)</option>" }
        let fields = (try? catalog(console))?.fields.sorted { $0.key < $1.key }.map { entity, byName -> HTML in
            let items = byName.sorted { $0.key < $1.key }.map { name, type -> HTML in
                let builtIn = FieldCatalog.builtIn[entity]?[name] != nil
                return "<li><code>\(entity).\(name)</code> <span class=\"muted\">\(type.description)\(builtIn ? "" : ", custom")</span></li>"
            }
            return "<h3>\(entity)</h3><ul>\(items)</ul>"
        } ?? []
        let previewBlock = preview.map { name in previewHTML(rule: name, result: result, console: console) } ?? .empty
        let readOnly: HTML = console.readOnly ? " disabled" : .empty
        return Layout.page("Logic Builder", section: .logic, console: console, context: context, scripts: ["logic.js"], content: """
            \(saved ?? .empty)
            <h2>Pipeline</h2>
            <table><caption>The steps and rules of rules.yaml, in the order each cycle runs them, with what each did in the last cycle</caption>
            <thead><tr><th scope="col" class="num">#</th><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">What it does</th><th scope="col">Last cycle</th></tr></thead>
            <tbody>\(pipeline)</tbody></table>
            <details><summary>Stages</summary><ul>\(stages)</ul></details>
            <h2>rules.yaml</h2>
            <form method="post" action="/logic" id="rules-form">
            \(Layout.csrfField(context))
            <div class="editor">
            <div>
            <label for="rules-text">The rules file: stages and pipeline; each rule's search in the rule language</label>
            <textarea id="rules-text" name="rules" class="code" spellcheck="false" autocomplete="off" aria-describedby="rules-status">\(text)</textarea>
            <p id="rules-status" role="status" aria-live="polite" class="\(checked || (try? result.get()) == nil ? ((try? result.get()) == nil ? "bad" : "good") : "")">\(statusText)</p>
            <p><button type="button" id="go-to-error" hidden>Go to error</button></p>
            \(errorBlock)
            <div class="actions">
            <button type="submit" name="action" value="check">Check</button>
            <label for="preview-rule">Rule to preview</label>
            <select id="preview-rule" name="rule">\(options)</select>
            <button type="submit" name="action" value="preview">Preview</button>
            <button type="submit" name="action" value="save" class="primary"\(readOnly)>Save</button>
            </div>
            </div>
            <aside class="fields" aria-label="Fields a search may use" tabindex="0"><h2>Fields</h2>\(fields)</aside>
            </div>
            </form>
            \(previewBlock)
            """)
    }

    /// The orders a rule of the edited text would match now, in its stages.
    static func previewHTML(rule name: String, result: Result<RulesFile, RulesFileError>, console: Console) -> HTML {
        guard case .success(let file) = result else {
            return "<section id=\"preview\"><h2>Preview</h2><p class=\"notice error\">Fix the error first: a rule is previewed from the text as it is now.</p></section>"
        }
        guard let rule = file.rule(named: name) else {
            return "<section id=\"preview\"><h2>Preview</h2><p class=\"notice error\">The text has no rule named '\(name)'.</p></section>"
        }
        do {
            var matches: [RuleQueries.Match] = []
            for stage in rule.stages {
                matches += try RuleQueries(engine: console.engine).search(rule.search.source, stage: stage.rawValue, scope: rule.scope)
            }
            let shown = matches.prefix(200).map { m -> HTML in
                "<tr><th scope=\"row\"><a href=\"\(OrderPage.path(m.orderRef))\">\(m.orderRef)</a></th><td>\(m.orderDate.prefix(10))</td><td>\(m.customerRef)</td><td>\(m.stages.joined(separator: ", "))</td><td class=\"num\">\(m.total)</td></tr>"
            }
            return """
                <section id="preview"><h2>Preview: \(name)</h2>
                <p>\(matches.count) order(s) in \(rule.stages.map(\.rawValue).joined(separator: ", ")) match now\(matches.count > 200 ? "; the first 200 are shown" : ""). Nothing was changed.</p>
                \(matches.isEmpty ? HTML.empty : """
                <table><caption>Orders the rule would act on at the next cycle</caption>
                <thead><tr><th scope="col">Order</th><th scope="col">Date</th><th scope="col">Customer</th><th scope="col">Stages</th><th scope="col" class="num">Total</th></tr></thead>
                <tbody>\(shown)</tbody></table>
                """)
                </section>
                """
        } catch {
            return "<section id=\"preview\"><h2>Preview</h2><p class=\"notice error\">\(CardNumberRedactor.redact("\(error)"))</p></section>"
        }
    }

    /// Validates, keeps the file as it was under `backups/rules/`, writes the new one atomically and
    /// shows what changed. An invalid text is never written.
    static func save(_ text: String, console: Console, context: ConsoleContext) throws -> Response {
        guard !console.readOnly else {
            return ErrorPage.response(.forbidden, title: "Read-only console",
                                      message: "This console is read-only (orderflow serve): save rules.yaml on the console of the running engine.",
                                      console: console, context: context)
        }
        if case .failure = check(text, console: console) {
            return Layout.response(try page(text: text, checked: true, console: console, context: context), status: .unprocessableContent)
        }
        let home = console.engine.home
        let old = (try? String(contentsOf: home.rulesFile, encoding: .utf8)) ?? ""
        let diff = LineDiff(old: old, new: text)
        guard !diff.isEmpty else {
            return Layout.response(try page(text: text, checked: true, saved: Layout.notice("Nothing changed: rules.yaml is already this text."),
                                            console: console, context: context))
        }
        let writer = AtomicFileWriter(mode: .privateFile)
        let backups = home.root.appendingPathComponent("backups/rules", isDirectory: true)
        let stamp = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).description
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let person = String(context.person.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || "0123456789._-@".unicodeScalars.contains($0)) }.map(Character.init))
        var name = "rules-\(stamp)-\(person.isEmpty ? "someone" : person).yaml"
        var n = 1
        while FileManager.default.fileExists(atPath: backups.appendingPathComponent(name).path) {
            n += 1
            name = "rules-\(stamp)-\(person.isEmpty ? "someone" : person)-\(n).yaml"
        }
        do {
            try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if FileManager.default.fileExists(atPath: home.rulesFile.path) {
                try writer.replace(Array(old.utf8), in: backups, name: name)
            }
            try writer.replace(Array(text.utf8), in: home.root, name: home.rulesFile.lastPathComponent)
        } catch {
            return Layout.response(try page(text: text, checked: true, saved: Layout.notice("rules.yaml was not saved: \(error)", error: true),
                                            console: console, context: context), status: .internalServerError)
        }
        let saved: HTML = """
            \(Layout.notice("Saved rules.yaml as \(context.person); the next cycle runs it. The previous file is kept as backups/rules/\(name)."))
            <h2>What changed</h2>
            \(diff.html())
            """
        return Layout.response(try page(text: text, checked: true, saved: saved, console: console, context: context))
    }
}
