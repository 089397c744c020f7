import OrderStore

/// One row of the exception report: the store's `ExceptionNote`, under the name the engine's steps still use
/// (some of them do not import the store themselves).
typealias ExceptionEntry = ExceptionNote
