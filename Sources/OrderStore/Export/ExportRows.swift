import OrderModel

/// Where an order goes, as its documents print it: the order's own ship-to, or its customer's name and
/// address where the order leaves them blank (an order never mixes two addresses).
public struct DeliveryAddress: Sendable, Hashable {
    public var name, address1, address2, city, postcode, country: String
}

/// A line in Picking not yet on a pick list, with what its pick list prints and its despatch needs.
public struct LineToPick: Sendable {
    public var lineID, orderID: Int64
    public var warehouse: String
    /// The product's bin, blank when the product is unknown.
    public var binLocation: String
    public var sku: String
    /// The product's description, blank when the product is unknown.
    public var description: String
    public var quantity: Quantity
    /// The stock the line holds, which leaves the warehouse with it.
    public var allocated: Quantity
    public var orderRef: String
    public var lineNo: Int
    public var customerRef: String
    public var shipTo: DeliveryAddress
}

/// A drop-ship purchase order not yet written to the outbox, with its lines.
public struct PurchaseOrderToWrite: Sendable {
    /// One line of it, in line-number order.
    public struct Line: Sendable {
        public var lineNo: Int
        public var sku: String
        /// The product's description, blank when the product is unknown.
        public var description: String
        public var quantity: Quantity
        /// The product's supplier cost, if it has one.
        public var supplierCost: UnitPrice?
    }

    public var poRef: String
    public var supplierRef: String
    public var orderRef: String
    public var customerRef: String
    /// The supplier's format: `csv` or `xml` (the standard layouts) or the name of an output mapping; `csv` when it names none.
    public var format: String
    public var shipTo: DeliveryAddress
    public var lines: [Line]
}

/// An exception raised since the last exception report (its row id, the watermark of the next report), with the
/// source file and line of its order filled in where the exception names none.
public struct ExceptionToReport: Sendable {
    public var id: Int64
    public var note: ExceptionNote
}
