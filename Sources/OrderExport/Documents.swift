import OrderModel

/// A delivery address as printed on pick lists and purchase orders.
public struct Address: Sendable, Hashable {
    public var name, address1, address2, city, postcode, country: String
    public init(name: String, address1: String, address2: String, city: String, postcode: String, country: String) {
        self.name = name; self.address1 = address1; self.address2 = address2
        self.city = city; self.postcode = postcode; self.country = country
    }
    var cells: [String] { [name, address1, address2, city, postcode, country] }
}

/// One line of a warehouse pick list.
public struct PickListLine: Sendable, Hashable {
    public var binLocation, sku, description: String
    public var quantity: Quantity
    public var orderRef: String
    public var lineNo: Int
    public var customerRef: String
    public var shipTo: Address
    public init(binLocation: String, sku: String, description: String, quantity: Quantity, orderRef: String,
                lineNo: Int, customerRef: String, shipTo: Address) {
        self.binLocation = binLocation; self.sku = sku; self.description = description; self.quantity = quantity
        self.orderRef = orderRef; self.lineNo = lineNo; self.customerRef = customerRef; self.shipTo = shipTo
    }
}

/// Renders outbox documents; pure, so the bytes can be stored with the state change that caused them.
public enum Documents {
    public static let pickListHeader = ["pick_list_ref", "warehouse", "bin_location", "sku", "description", "quantity",
        "order_ref", "line_no", "customer_ref", "ship_name", "ship_address1", "ship_address2", "ship_city",
        "ship_postcode", "ship_country"]

    /// A pick list for one warehouse, sorted by bin location, then sku (then order and line, for a stable file).
    public static func pickList(ref: String, warehouse: String, lines: [PickListLine]) -> CSVWriter {
        var csv = CSVWriter(header: pickListHeader)
        // Indices are sorted, not the lines: a line is ten strings, and moving it costs ten retains.
        let order = lines.indices.sorted { precedes(lines[$0], lines[$1]) }
        for i in order { csv.append(pickListRow(ref: ref, warehouse: warehouse, lines[i])) }
        return csv
    }

    /// One line's row of a pick list; the export appends rows as the store hands them over, already in
    /// pick-list order (`precedes`), so a large pick list is never held as lines.
    public static func pickListRow(ref: String, warehouse: String, _ l: PickListLine) -> [String] {
        [ref, warehouse, l.binLocation, l.sku, l.description, l.quantity.description, l.orderRef,
         String(l.lineNo), l.customerRef] + l.shipTo.cells
    }

    /// Pick-list order: bin location, sku, order, line; most pairs differ in the first field.
    static func precedes(_ a: borrowing PickListLine, _ b: borrowing PickListLine) -> Bool {
        if a.binLocation != b.binLocation { return a.binLocation < b.binLocation }
        if a.sku != b.sku { return a.sku < b.sku }
        if a.orderRef != b.orderRef { return a.orderRef < b.orderRef }
        return a.lineNo < b.lineNo
    }

    public static let purchaseOrderHeader = ["po_ref", "supplier_ref", "order_ref", "line_no", "sku", "description",
        "quantity", "unit_cost", "ship_name", "ship_address1", "ship_address2", "ship_city", "ship_postcode", "ship_country"]

    /// A drop-ship purchase order as CSV (one row per line).
    public static func purchaseOrderCSV(_ po: PurchaseOrder) -> [UInt8] {
        var csv = CSVWriter(header: purchaseOrderHeader)
        for l in po.lines {
            csv.append([po.poRef, po.supplierRef, po.orderRef, String(l.lineNo), l.sku, l.description, l.quantity.description,
                        l.unitCost] + po.shipTo.cells)
        }
        return csv.bytes
    }

    /// A drop-ship purchase order as XML; the structure is documented in the README.
    public static func purchaseOrderXML(_ po: PurchaseOrder) -> [UInt8] {
        var xml = XMLWriter()
        xml.start("purchase_order", attributes: [("po_ref", po.poRef)])
        xml.element("supplier_ref", po.supplierRef)
        xml.element("order_ref", po.orderRef)
        xml.start("ship_to")
        xml.element("name", po.shipTo.name)
        xml.element("address1", po.shipTo.address1)
        xml.element("address2", po.shipTo.address2)
        xml.element("city", po.shipTo.city)
        xml.element("postcode", po.shipTo.postcode)
        xml.element("country", po.shipTo.country)
        xml.end()
        xml.start("lines")
        for l in po.lines {
            xml.start("line", attributes: [("line_no", String(l.lineNo))])
            xml.element("sku", l.sku)
            xml.element("description", l.description)
            xml.element("quantity", l.quantity.description)
            xml.element("unit_cost", l.unitCost)
            xml.end()
        }
        xml.end()
        xml.end()
        return xml.bytes
    }

    public static let exceptionHeader = ["kind", "order_ref", "line_no", "sku", "reason", "source_file", "source_line"]
}

/// A purchase order derived from an order's drop-ship lines for one supplier.
public struct PurchaseOrder: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var lineNo: Int
        public var sku, description: String
        public var quantity: Quantity
        /// Formatted decimal, blank when the product has no supplier cost.
        public var unitCost: String
        public init(lineNo: Int, sku: String, description: String, quantity: Quantity, unitCost: String) {
            self.lineNo = lineNo; self.sku = sku; self.description = description
            self.quantity = quantity; self.unitCost = unitCost
        }
    }
    public var poRef, supplierRef, orderRef: String
    public var shipTo: Address
    public var lines: [Line]
    public init(poRef: String, supplierRef: String, orderRef: String, shipTo: Address, lines: [Line]) {
        self.poRef = poRef; self.supplierRef = supplierRef; self.orderRef = orderRef; self.shipTo = shipTo; self.lines = lines
    }
}
