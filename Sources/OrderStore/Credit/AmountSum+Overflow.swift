import GRDB

extension AmountSum {
    /// SQLite stopped a sum because its total passed Int64 ("integer overflow"); nothing of the statement was
    /// read. A caller that summed `native` runs again with `split`, which reports such a total as nil instead.
    package struct Overflow: Error, Sendable {}

    /// Runs `body`, reporting SQLite's integer overflow as `Overflow` (other errors pass through unchanged).
    package static func detectingOverflow<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.message == "integer overflow" {
            throw Overflow()
        }
    }
}
