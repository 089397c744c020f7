import Foundation
import Hummingbird
import OrderDaemon
import OrderEngine
import OrderModel
import OrderStore

/// The Job Manager: each job's schedule in words, last and next run, Run now, and the history.
enum JobsPage {
    static func addRoutes(to router: Router<ConsoleContext>, console: Console) {
        router.get("/jobs") { request, context -> Response in
            Layout.response(try page(request: request, console: console, context: context))
        }
        router.post("/jobs/:name/run") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard !console.readOnly else {
                return ErrorPage.response(.forbidden, title: "Read-only console",
                                          message: "This console is read-only (orderflow serve): run the job on the console of the running engine (orderflow run --http).",
                                          console: console, context: context)
            }
            let (text, failed) = OrderPage.answerText(await console.ask(.runJob(name), from: context.person))
            var components = URLComponents()
            components.path = "/jobs"
            components.queryItems = [URLQueryItem(name: "notice", value: text)] + (failed ? [URLQueryItem(name: "failed-notice", value: "1")] : [])
            return Layout.redirect("/jobs?" + (components.percentEncodedQuery ?? ""))
        }
    }

    static func page(request: Request, console: Console, context: ConsoleContext) throws -> HTML {
        func text(_ name: String) -> String? { Layout.query(request, name) }
        let runner = try JobRunner.reading(engine: console.engine)
        let idle = Dictionary(try runner.idleRuns().map { ($0.job, $0) }, uniquingKeysWith: { $1 })
        let disabled: HTML = console.readOnly ? " disabled title=\"read-only console\"" : .empty
        let jobs = try runner.jobs.map { job -> HTML in
            let last = try runner.history(job: job.name, limit: 1).first
            var lastText = last.map { "\($0.startedAt): \($0.outcome.rawValue)" } ?? "never"
            if let i = idle[job.name], i.lastAt > (last?.startedAt ?? "") { lastText = "\(i.lastAt): ok, nothing to do" }
            let next = try runner.nextRun(of: job)?.description ?? "–"
            return """
                <tr><th scope="row">\(job.name)</th><td>\(job.schedule.description)</td><td>\((job.steps ?? ["all"]).joined(separator: ", "))</td>\
                <td>\(lastText)</td><td>\(next)</td>\
                <td><form method="post" action="/jobs/\(job.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? job.name)/run">\(Layout.csrfField(context))\
                <button type="submit"\(disabled)>Run now<span class="sr-only"> (\(job.name))</span></button></form></td></tr>
                """
        }
        let since = text("since").flatMap { Timestamp(iso8601: $0) }
        let limit = min(max(text("limit").flatMap { Int($0) } ?? 50, 1), 1000)
        let filter = JobRunner.HistoryFilter(job: text("job"), since: since, failedOnly: text("failed") != nil, busyOnly: text("busy") != nil)
        let runs = try JobRunner.history(console.engine.database, filter: filter, limit: limit)
        let askers = try console.engine.database.requesters(ofRuns: runs.map(\.id))
        let rows = runs.map { r -> HTML in
            let counts = (r.counts ?? [:]).sorted { $0.key < $1.key }.compactMap { step, c -> String? in
                let nonZero = c.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                return nonZero.isEmpty ? nil : "\(step): \(nonZero.joined(separator: ", "))"
            }.joined(separator: "; ")
            let trigger = askers[r.id].map { "\(r.trigger.rawValue) by \($0)" } ?? r.trigger.rawValue
            return """
                <tr><td class="num">\(r.id)</td><th scope="row">\(r.job)</th><td>\(trigger)</td><td>\(r.startedAt)</td><td>\(r.finishedAt ?? "–")</td>\
                <td class="\(r.outcome == .failed ? "bad" : "")">\(r.outcome.rawValue)</td><td>\(CardNumberRedactor.redact(r.error ?? counts))</td></tr>
                """
        }
        let jobOptions = runner.jobs.map { j -> HTML in j.name == text("job") ? "<option selected>\(j.name)</option>" : "<option>\(j.name)</option>" }
        let idleNote = idle.values.sorted { $0.job < $1.job }.map { i -> HTML in
            "<li>\(i.job): \(i.runs) run(s) with nothing to do since \(i.since), the last at \(i.lastAt) (counted, not listed)</li>"
        }
        let problem: HTML = runner.problem.map { "<p class=\"notice error\" role=\"alert\">The configuration has a problem: \($0). The jobs' steps are not checked against it.</p>" } ?? .empty
        let notice = text("notice")
        return Layout.page("Job Manager", section: .jobs, console: console, context: context, content: """
            \(Layout.notice(notice, error: text("failed-notice") != nil))
            \(problem)
            <table><caption>The jobs of orderflow.yaml (business time \(console.engine.clock.now.description))</caption>
            <thead><tr><th scope="col">Job</th><th scope="col">Schedule</th><th scope="col">Steps</th><th scope="col">Last run</th><th scope="col">Next run</th><th scope="col">Now</th></tr></thead>
            <tbody>\(jobs)</tbody></table>
            <h2>History</h2>
            <form method="get" action="/jobs" class="filters" aria-label="Filter the history">
            <label for="h-job">Job<select id="h-job" name="job"><option value="">all</option>\(jobOptions)</select></label>
            <label for="h-since">Since (ISO 8601)<input id="h-since" name="since" value="\(text("since"))" placeholder="2026-12-01"></label>
            <label for="h-failed"><span>Failed only</span><input id="h-failed" type="checkbox" name="failed" value="1"\(text("failed") != nil ? HTML(" checked") : .empty)></label>
            <label for="h-busy"><span>Did something</span><input id="h-busy" type="checkbox" name="busy" value="1"\(text("busy") != nil ? HTML(" checked") : .empty)></label>
            <button type="submit">Filter</button> <a href="/jobs">Clear</a>
            </form>
            \(text("since") != nil && since == nil ? HTML("<p class=\"notice error\">'\(text("since"))' is not a time; write it like 2026-12-01 or 2026-12-01T09:00:00Z. All runs are shown.</p>") : .empty)
            \(runs.isEmpty ? HTML("<p class=\"muted\">No such runs.</p>") : """
            <table id="job-history"><caption>Runs, newest first (at most \(limit); <a href="/jobs?limit=\(limit * 2)">show more</a>)</caption>
            <thead><tr><th scope="col" class="num">#</th><th scope="col">Job</th><th scope="col">Trigger</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Outcome</th><th scope="col">What it did, or its error</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """)
            \(idleNote.isEmpty ? HTML.empty : "<ul class=\"muted\">\(idleNote)</ul>")
            """)
    }
}
