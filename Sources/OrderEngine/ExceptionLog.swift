import OrderStore

/// One row of the exception report: the store's `ExceptionEntry`, named here for the engine's files that do not
/// import the store themselves.
typealias ExceptionEntry = OrderStore.ExceptionEntry
