/// Where stock of one product is kept: a (sku, warehouse) pair, the key of the `stock` table.
///
/// The store's own name for the pair, so that its operations need not know the allocator's key type
/// (OrderStore does not depend on OrderAllocation); the engine maps one to the other.
public struct StockPlace: Hashable, Sendable {
    public var sku: String
    public var warehouse: String
    public init(sku: String, warehouse: String) { self.sku = sku; self.warehouse = warehouse }
}
