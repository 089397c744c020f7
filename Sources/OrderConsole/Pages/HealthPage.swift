import Foundation
import Hummingbird
import OrderEngine
import OrderModel
import OrderStore

/// Is it up, what failed overnight, how much waits where: the first page.
enum HealthPage {
    static func addRoutes(to router: Router<ConsoleContext>, console: Console) {
        router.get("/") { _, context -> Response in
            Layout.response(try page(console: console, context: context))
        }
    }

    static func page(console: Console, context: ConsoleContext) throws -> HTML {
        let engine = console.engine
        let now = engine.clock.now
        let health = try EngineHealth.read(home: engine.home, database: engine.database,
                                           failedSince: Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - 86_400))
        let totals = try console.stageTotals()
        let failed = FailedFile.newest(in: engine.home, limit: 20)
        let dayStart = Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - now.secondsSinceEpoch % 86_400)
        let weekStart = Timestamp(secondsSinceEpoch: dayStart.secondsSinceEpoch - 6 * 86_400)
        let hours = try engine.database.linesReleasedPerHour(since: weekStart)
        let money = engine.config.money

        let engineCard: HTML = health.running
            ? "<li class=\"card\"><span class=\"label\">Engine</span><span class=\"value good\">Running</span><span class=\"muted\">pid \(health.pid.map(String.init) ?? "?") since \(health.since ?? "?")</span></li>"
            : "<li class=\"card\"><span class=\"label\">Engine</span><span class=\"value bad\">Not running</span><span class=\"muted\">no engine holds this home</span></li>"
        let cycleCard: HTML = health.lastGoodCycle.map { c -> HTML in
            "<li class=\"card\"><span class=\"label\">Last good cycle</span><span class=\"value\">#\(c.id)</span><span class=\"muted\">\(c.finishedAt ?? c.startedAt)</span></li>"
        } ?? "<li class=\"card\"><span class=\"label\">Last good cycle</span><span class=\"value muted\">none yet</span></li>"
        let stuck = health.running ? 0 : health.filesInProcessing
        let backOrder = totals.first { $0.stage == Stage.backOrder.rawValue }
        let backOrderValue = backOrder.map { $0.value.map(money.format) ?? "too large to compute" } ?? money.format(Money.zero)
        let cards: HTML = """
            <ul class="cards">
            \(engineCard)
            \(cycleCard)
            <li class="card"><span class="label">Files waiting</span><span class="value">\(health.filesWaiting)</span><span class="muted">in inbox/</span></li>
            <li class="card"><span class="label">Files stuck</span><span class="value \(stuck > 0 ? "bad" : "")">\(stuck)</span><span class="muted">\(health.running ? "\(health.filesInProcessing) being imported" : "in processing/, finished at the next start")</span></li>
            <li class="card"><span class="label">Files failed (24 h)</span><span class="value \(health.filesFailed > 0 ? "bad" : "")">\(health.filesFailed)</span><span class="muted">in failed/</span></li>
            <li class="card"><span class="label">Runs failed (24 h)</span><span class="value \(health.runsFailed > 0 ? "bad" : "")">\(health.runsFailed)</span><span class="muted"><a href="/jobs?failed=1">job history</a></span></li>
            <li class="card"><span class="label">Back-order value</span><span class="value">\(backOrderValue)</span><span class="muted">\(backOrder?.lines ?? 0) line(s)</span></li>
            </ul>
            """
        let lastFailure: HTML = health.lastFailure.map { f -> HTML in
            "<h2>Last failure</h2><p class=\"notice error\"><strong>\(f.job)</strong> at <time>\(f.at)</time>: \(CardNumberRedactor.redact(f.error))</p>"
        } ?? "<h2>Last failure</h2><p class=\"muted\">No failed run recorded.</p>"

        let order = Stage.builtIn.map(\.rawValue)
        let stageRows = totals.sorted { (order.firstIndex(of: $0.stage) ?? 99, $0.stage) < (order.firstIndex(of: $1.stage) ?? 99, $1.stage) }
            .map { t -> HTML in
                "<tr><th scope=\"row\"><a href=\"/stages/\(t.stage)\">\(t.stage)</a></th><td class=\"num\">\(t.orders)</td><td class=\"num\">\(t.lines)</td><td class=\"num\">\(t.value.map(money.format) ?? "too large")</td></tr>"
            }
        let stages: HTML = stageRows.isEmpty ? "<p class=\"muted\">No orders yet.</p>" : """
            <table><caption>Orders per stage</caption>
            <thead><tr><th scope="col">Stage</th><th scope="col" class="num">Orders</th><th scope="col" class="num">Lines</th><th scope="col" class="num">Value</th></tr></thead>
            <tbody>\(stageRows)</tbody></table>
            """
        let failedRows = failed.map { f -> HTML in
            "<tr><td>\(f.feed)</td><td>\(f.name)</td><td><time>\(Timestamp(secondsSinceEpoch: Int64(f.at.timeIntervalSince1970)).description)</time></td><td class=\"reason\">\(f.reason)</td></tr>"
        }
        let failedTable: HTML = failed.isEmpty ? "<p class=\"muted\">No file has failed.</p>" : """
            <table id="failed-files"><caption>Newest failed files, with the reason written beside each in failed/</caption>
            <thead><tr><th scope="col">Feed</th><th scope="col">File</th><th scope="col">Failed at</th><th scope="col">Reason</th></tr></thead>
            <tbody>\(failedRows)</tbody></table>
            """
        return Layout.page("Health", section: .health, console: console, context: context, content: """
            \(cards)
            \(lastFailure)
            <h2>Throughput</h2>
            \(ThroughputChart.today(hours, dayStart: dayStart))
            \(ThroughputChart.week(hours, weekStart: weekStart))
            <h2>Stages</h2>
            \(stages)
            <h2>Failed files</h2>
            \(failedTable)
            """)
    }
}

/// Lines released to the warehouse, as small bar charts drawn on the server (SVG, no script), each with
/// a text summary for screen readers.
enum ThroughputChart {
    /// Per hour of the business day so far (UTC).
    static func today(_ hours: [HourCount], dayStart: Timestamp) -> HTML {
        let day = String(dayStart.description.prefix(10))
        let byHour = Dictionary(hours.filter { $0.hour.hasPrefix(day) }.map { (Int($0.hour.suffix(2)) ?? 0, $0.lines) }, uniquingKeysWith: +)
        let bars = (0..<24).map { (label: String(format: "%02d", $0), value: byHour[$0] ?? 0) }
        let total = bars.reduce(0) { $0 + $1.value }
        return chart(title: "Lines released per hour today (\(day), UTC): \(total) in all", bars: bars, labelEvery: 3)
    }

    /// Per day of the last seven: the day's lines, captioned with its average per hour.
    static func week(_ hours: [HourCount], weekStart: Timestamp) -> HTML {
        let bars = (0..<7).map { offset -> (label: String, value: Int) in
            let day = String(Timestamp(secondsSinceEpoch: weekStart.secondsSinceEpoch + Int64(offset) * 86_400).description.prefix(10))
            let lines = hours.filter { $0.hour.hasPrefix(day) }.reduce(0) { $0 + $1.lines }
            return (String(day.suffix(5)), lines)
        }
        let total = bars.reduce(0) { $0 + $1.value }
        let tenths = total * 10 / (7 * 24)
        let perHour = "\(tenths / 10).\(tenths % 10)"
        return chart(title: "Lines released per day this week: \(total) in all, \(perHour) per hour on average", bars: bars,
                     labelEvery: 1, barSpacing: 48)
    }

    static func chart(title: String, bars: [(label: String, value: Int)], labelEvery: Int, barSpacing: Int = 24) -> HTML {
        let width = barSpacing * bars.count, height = 90
        let top = max(1, bars.map(\.value).max() ?? 1)
        let rects = bars.enumerated().map { index, bar -> HTML in
            let h = bar.value * 70 / top
            let x = index * barSpacing + 3
            let label: HTML = index % labelEvery == 0 ? "<text x=\"\(x)\" y=\"88\">\(bar.label)</text>" : .empty
            return "<rect x=\"\(x)\" y=\"\(74 - h)\" width=\"\(barSpacing - 6)\" height=\"\(max(h, bar.value > 0 ? 1 : 0))\"><title>\(bar.label): \(bar.value)</title></rect>\(label)"
        }
        let summary = bars.filter { $0.value > 0 }.map { "\($0.label): \($0.value)" }.joined(separator: ", ")
        return """
            <figure>
            <svg class="chart" role="img" aria-label="\(title)" viewBox="0 0 \(width) \(height)" width="\(width * 2)" height="\(height * 2)">\(rects)</svg>
            <figcaption>\(title)\(summary.isEmpty ? "" : ". \(summary)")</figcaption>
            </figure>
            """
    }
}
