import OrderCLI

await Orderflow.runFromCommandLine()
