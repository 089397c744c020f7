import Logging
import OrderStore
import ServiceLifecycle

/// Reads the stage totals again soon after the history moves, so a page view does not have to.
///
/// Totals cost a pass over the stage index (about 0.2 s at 300,000 lines); without this the first view
/// of Health or the Stages board after each cycle paid for it. Checking whether anything moved costs
/// three index lookups, so the warmer looks every `interval` and reads the totals only after a change.
/// A view that comes before the warmer still reads them itself: never a stale total, only a slower view.
struct StageTotalsWarmer: Service {
    let cache: StageTotalsCache
    let database: OrderDatabase
    let interval: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var failing = false
                while !Task.isCancelled {
                    do {
                        _ = try cache.totals(in: database)
                        failing = false
                    } catch {
                        // Pages say what is wrong when they are viewed; the log says it once, not every second.
                        if !failing { logger.warning("the console could not read the stage totals", metadata: ["error": "\(error)"]) }
                        failing = true
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutdown: nothing to finish.
        }
    }
}
