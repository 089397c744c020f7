import GRDB

extension StoreTransaction {
    /// The connection's type, named for the engine types that still accept one from callers not yet
    /// moved onto the facade (`StockLedger(db:)`, `ProductUnits.load(sku:_:)`).
    ///
    /// Transitional: it lets a converted engine file keep a caller that still holds a GRDB `Database`
    /// compiling without importing GRDB itself. Delete it with the last such caller.
    package typealias TransitionalConnection = Database
}
