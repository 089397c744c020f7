import OrderCLI

Orderflow.main()
