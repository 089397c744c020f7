import OrderImport

/// The files `orderflow init` writes: the default config and the standard-layout mappings.
enum DefaultFiles {
    static let config = """
    # orderflow configuration. Paths are relative to this folder (the home).
    database: orderflow.sqlite
    # Warehouse of a product whose warehouse column is blank.
    default_warehouse: MAIN
    # Decimal places of the currency (amounts are stored in minor units).
    currency_decimals: 2

    """

    /// One mapping per feed, named after it, built from the feed's fields so that the two never drift apart.
    static var mappings: [(String, String)] {
        Feed.allCases.map { feed in
            let fields = feed.fields.map { "  \($0.name): \($0.name)" }.joined(separator: "\n")
            return ("\(feed.rawValue).yaml", """
                # Standard layout for the \(feed.rawValue) feed: UTF-8 CSV with a header row.
                # Each entry under fields maps an engine field (left) to a source column (right).
                feed: \(feed.rawValue)
                inbox: \(feed.rawValue)
                pattern: "*.csv"
                format: csv
                csv:
                  delimiter: ","
                  quote: '"'
                  header: true
                fields:
                \(fields)

                """)
        }
    }
}
