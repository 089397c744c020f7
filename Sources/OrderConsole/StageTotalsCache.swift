import Foundation
import OrderEngine
import OrderStore

/// The orders, lines and value per stage, read again only when the history has moved.
///
/// Summing every line costs a pass over all of them (about 0.2 s at 300,000 lines), and Health and the
/// Stages board ask on every view; the history's mark (`HistoryMark`) changes with every change that
/// can alter a total, and costs three index lookups, so a view of an unchanged home is free and a
/// changed one pays once. The mark is read before the totals: a change landing between the two makes
/// the next view read again, never keeps a stale total.
final class StageTotalsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: (mark: HistoryMark, totals: [StageTotal])?

    func totals(in database: OrderDatabase) throws -> [StageTotal] {
        let mark = try database.historyMark()
        if let kept = lock.withLock({ kept }), kept.mark == mark { return kept.totals }
        let totals = try database.stageTotals()
        lock.withLock { kept = (mark, totals) }
        return totals
    }

    /// The totals kept for `mark`, if those are the ones kept: no reading.
    func totals(keptAt mark: HistoryMark) -> [StageTotal]? {
        lock.withLock { kept?.mark == mark ? kept?.totals : nil }
    }
}
