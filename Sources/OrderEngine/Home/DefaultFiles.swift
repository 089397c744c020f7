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
    # The home currency, and what one unit of each other currency is worth in it (exact decimals):
    # an order in another currency than its customer's is held for credit without a rate.
    # currency: GBP
    # currency_rates: { EUR: 0.8612, USD: 0.7891 }
    # Unit conversions for every product, read both ways (a product's own come from its units field):
    # units: { KGM: 1000 GRM, CS: 12 EA }
    # The time zone that cron schedules are read in (a job may name its own).
    time_zone: UTC
    # SQLite's page cache in MB for the cycle's work (a file's import uses at most 64 MB of it).
    cache_mb: 64
    # The job executor ('orderflow run'): each job runs steps of the pipeline in rules.yaml,
    # continuously (every: 30s, 5m, 2h) or at set times (cron: minute hour day month weekday).
    jobs:
      - name: cycle
        every: 2s
        steps: [all]
    #  - name: morning-back-orders
    #    cron: "0 6 * * MON-FRI"
    #    time_zone: Europe/London
    #    steps: [allocate, export]
    #    missed: run-once        # or skip: a run missed while the engine was down

    """

    /// The seed system's default process, plus the example vetting rule.
    static let rules = """
    # orderflow rules: user-defined stages and the pipeline, in order.
    # A pipeline entry is a built-in step (import, credit-check, unknown-products, drop-ship,
    # allocate, export) or a rule: a search in the rule language with an action.
    # Try a search first: orderflow search "customer.terms = 'PROFORMA'"

    # Stages of your own, beside the built-in ones (new, held-for-credit, order-vetting, on-hold,
    # drop-ship, back-order, picking, despatched, cancelled).
    stages: []

    pipeline:
      - step: import
      # Credit problems -> held-for-credit (unknown customer, on stop, card, credit limit).
      - step: credit-check
      # Orders naming a sku not in the product file -> order-vetting until the product arrives.
      - step: unknown-products
      # Large PROFORMA orders wait in order-vetting for a person's 'orderflow release'.
      - rule: proforma-vetting
        search: >-
          customer.terms = 'PROFORMA' and (order.total > 1000 or order.item_count > 10
          or any line: product.category = 'Plasma TV')
        stages: [new]
        scope: order
        action: move
        to: order-vetting
        reason: PROFORMA order over 1000, over 10 items or with a plasma TV; check payment, then release
      # Drop-ship items -> drop-ship, with a purchase order per (order, supplier).
      - step: drop-ship
      # Oldest order first: stock -> picking, the rest -> back-order.
      - step: allocate
      # Pick lists, purchase orders and the exception report.
      - step: export

    """

    /// One mapping per feed, named after it, built from the feed's fields so that the two never drift apart.
    static var mappings: [(String, String)] {
        Feed.allCases.map { feed in
            // Columns added to the standard layout later may be missing from older files.
            let optional: Set<String> = ["priority", "ship_policy", "currency", "line_type", "shipping_charge", "discount",
                                         "unit", "stock_unit", "quantity_decimals", "units"]
            let fields = feed.fields.map {
                optional.contains($0.name) ? "  \($0.name): { column: \($0.name), optional: true }" : "  \($0.name): \($0.name)"
            }.joined(separator: "\n")
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
