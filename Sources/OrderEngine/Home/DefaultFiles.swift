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

    static let mappings: [(String, String)] = [
        ("orders.yaml", """
        # Standard layout for the orders feed: UTF-8 CSV with a header row.
        # Each entry under fields maps an engine field (left) to a source column (right).
        feed: orders
        inbox: orders
        pattern: "*.csv"
        format: csv
        csv:
          delimiter: ","
          quote: '"'
          header: true
        fields:
          order_ref: order_ref
          order_date: order_date
          customer_ref: customer_ref
          line_no: line_no
          sku: sku
          quantity: quantity
          unit_price: unit_price
          payment_method: payment_method
          card_number: card_number
          card_expiry: card_expiry
          ship_name: ship_name
          ship_address1: ship_address1
          ship_address2: ship_address2
          ship_city: ship_city
          ship_postcode: ship_postcode
          ship_country: ship_country
        """),
        ("customers.yaml", """
        # Standard layout for the customers feed: UTF-8 CSV with a header row.
        # Each entry under fields maps an engine field (left) to a source column (right).
        feed: customers
        inbox: customers
        pattern: "*.csv"
        format: csv
        csv:
          delimiter: ","
          quote: '"'
          header: true
        fields:
          customer_ref: customer_ref
          name: name
          terms: terms
          credit_limit: credit_limit
          balance: balance
          on_stop: on_stop
          email: email
          address1: address1
          address2: address2
          city: city
          postcode: postcode
          country: country
        """),
        ("products.yaml", """
        # Standard layout for the products feed: UTF-8 CSV with a header row.
        # Each entry under fields maps an engine field (left) to a source column (right).
        feed: products
        inbox: products
        pattern: "*.csv"
        format: csv
        csv:
          delimiter: ","
          quote: '"'
          header: true
        fields:
          sku: sku
          description: description
          category: category
          unit_price: unit_price
          drop_ship: drop_ship
          supplier_ref: supplier_ref
          supplier_cost: supplier_cost
          warehouse: warehouse
          bin_location: bin_location
        """),
        ("suppliers.yaml", """
        # Standard layout for the suppliers feed: UTF-8 CSV with a header row.
        # Each entry under fields maps an engine field (left) to a source column (right).
        feed: suppliers
        inbox: suppliers
        pattern: "*.csv"
        format: csv
        csv:
          delimiter: ","
          quote: '"'
          header: true
        fields:
          supplier_ref: supplier_ref
          name: name
          email: email
          po_format: po_format
        """),
        ("receipts.yaml", """
        # Standard layout for the receipts feed: UTF-8 CSV with a header row.
        # Each entry under fields maps an engine field (left) to a source column (right).
        feed: receipts
        inbox: receipts
        pattern: "*.csv"
        format: csv
        csv:
          delimiter: ","
          quote: '"'
          header: true
        fields:
          receipt_ref: receipt_ref
          sku: sku
          quantity: quantity
          warehouse: warehouse
          received_at: received_at
        """),
    ]
}
