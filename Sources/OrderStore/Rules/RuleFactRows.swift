import GRDB
import OrderModel

/// A rule's necessary condition that the store can check in SQL, to narrow the orders it reads facts of:
/// a field that is a plain column, compared with text or true/false.
public struct RuleFactFilter: Sendable, Hashable {
    /// The comparisons SQL shares with the rule language.
    public enum Comparison: String, Sendable, Hashable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", `in`
    }

    /// A literal the field is compared with.
    public enum Literal: Sendable, Hashable {
        case text(String)
        case bool(Bool)
    }

    /// `entity.name`, as rules write it (`customer.terms`).
    public var field: String
    public var comparison: Comparison
    public var literals: [Literal]

    public init(field: String, comparison: Comparison, literals: [Literal]) {
        self.field = field; self.comparison = comparison; self.literals = literals
    }
}

/// One order line with its product, as the rule facts are built from it.
///
/// A view of the row as read, decoding a column only when its property is read: a rule reads a handful of
/// fields, and decoding only those is what keeps the facts of a few hundred thousand lines fast. Valid only
/// inside the `forEachRuleFactLine` call that hands it out.
public struct RuleFactLineRow {
    package let row: Row
    package let c: Columns

    /// The query's column positions, resolved once per query.
    package struct Columns {
        let id, orderID, lineNo, sku, quantity, price, stage, stageSince, warehouse, custom, unitAsWritten: Int
        let productSKU, description, category, productPrice, dropShip, supplierRef, supplierCost, productWarehouse, binLocation,
            productCustom, stockUnit, quantityDecimals: Int

        init(_ c: ColumnIndex) {
            (id, orderID, lineNo, sku, quantity, price, stage, stageSince, warehouse, custom, unitAsWritten) =
                (c.id, c.order_id, c.line_no, c.sku, c.quantity, c.price, c.stage, c.stage_since, c.warehouse, c.custom, c.unit_as_written)
            (productSKU, description, category, productPrice, dropShip, supplierRef, supplierCost, productWarehouse, binLocation) =
                (c.p_sku, c.description, c.category, c.p_price, c.drop_ship, c.supplier_ref, c.supplier_cost, c.p_warehouse, c.bin_location)
            (productCustom, stockUnit, quantityDecimals) = (c.p_custom, c.stock_unit, c.quantity_decimals)
        }
    }

    public var lineID: Int64 { row[c.id] }
    public var orderID: Int64 { row[c.orderID] }
    public var lineNo: Int { row[c.lineNo] }
    public var sku: String { row[c.sku] }
    public var quantity: Quantity { row[c.quantity] }
    /// The line's own price, else its product's.
    public var price: UnitPrice? { row[c.price] }
    public var stage: String { row[c.stage] }
    public var stageSince: String { row[c.stageSince] }
    /// The line's own warehouse, else its product's.
    public var warehouse: String? { row[c.warehouse] }
    /// The line's custom fields, a JSON object.
    public var custom: String? { row[c.custom] }
    public var unitAsWritten: String? { row[c.unitAsWritten] }

    /// Whether the line's product is known. The product properties are read only when it is (their columns are
    /// NOT NULL in a product row, so they are plain values; an unknown product's are NULL).
    public var hasProduct: Bool { !row.hasNull(atIndex: c.productSKU) }
    public var productSKU: String { row[c.productSKU] }
    public var productDescription: String { row[c.description] }
    public var productCategory: String { row[c.category] }
    public var productPrice: UnitPrice? { row[c.productPrice] }
    public var productDropShip: Bool { row[c.dropShip] }
    public var productSupplierRef: String? { row[c.supplierRef] }
    public var productSupplierCost: UnitPrice? { row[c.supplierCost] }
    public var productWarehouse: String? { row[c.productWarehouse] }
    public var productBinLocation: String? { row[c.binLocation] }
    /// The product's custom fields, a JSON object.
    public var productCustom: String? { row[c.productCustom] }
    public var productStockUnit: String? { row[c.stockUnit] }
    public var productQuantityDecimals: Int { row[c.quantityDecimals] }
}

/// One order with its customer, as the rule facts are built from it: a view decoding on demand, valid only
/// inside the `forEachRuleFactOrder` call that hands it out (see `RuleFactLineRow`).
public struct RuleFactOrderRow {
    package let row: Row
    package let c: ColumnIndex

    public var orderID: Int64 { row[c.id] }
    public var orderRef: String { row[c.order_ref] }
    /// The order date as stored (ISO 8601).
    public var orderDate: String? { row[c.order_date] }
    public var paymentMethod: String? { row[c.payment_method] }
    public var customerRef: String { row[c.customer_ref] }
    public var currency: String? { row[c.currency] }
    public var creditState: CreditState { CreditState(stored: row[c.credit_state]) }
    public var shipName: String { row[c.ship_name] }
    public var shipAddress1: String { row[c.ship_address1] }
    public var shipAddress2: String { row[c.ship_address2] }
    public var shipCity: String { row[c.ship_city] }
    public var shipPostcode: String { row[c.ship_postcode] }
    public var shipCountry: String { row[c.ship_country] }
    /// The order's custom fields, a JSON object.
    public var custom: String? { row[c.custom] }

    /// Whether the order's customer is known. The customer properties are read only when it is (as the product's
    /// of `RuleFactLineRow`).
    public var hasCustomer: Bool { !row.hasNull(atIndex: c.c_ref) }
    public var customerName: String { row[c.c_name] }
    public var customerTerms: String { row[c.terms] }
    /// Minor units.
    public var customerCreditLimit: Int64? { row[c.credit_limit] }
    /// Minor units.
    public var customerBalance: Int64? { row[c.balance] }
    public var customerOnStop: Bool { row[c.on_stop] }
    public var customerEmail: String { row[c.email] }
    public var customerAddress1: String { row[c.address1] }
    public var customerAddress2: String { row[c.address2] }
    public var customerCity: String { row[c.city] }
    public var customerPostcode: String { row[c.postcode] }
    public var customerCountry: String { row[c.country] }
    public var customerCurrency: String? { row[c.c_currency] }
    /// The customer's custom fields, a JSON object.
    public var customerCustom: String? { row[c.c_custom] }
}
