import Foundation
import GRDB
import Testing
@testable import OrderEngine
import OrderRules
import TestSupport

/// The rule fields are declared once (`FieldCatalog.builtIn`) and computed in `FactsLoader`: a field the
/// catalog declares but the loader never fills would be a silent null in every rule that names it.
@Suite struct FactsLoaderTests {
    @Test func everyBuiltInFieldIsFilledForAnOrderWithAKnownCustomerAndProduct() throws {
        let home = try TestHome()
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        try home.drop("products", "p.csv", Sample.products([Sample.product("SKU1")]))
        try home.drop("orders", "o.csv", Sample.orders([Sample.line("O1", sku: "SKU1", qty: 2)]))
        try home.cycle()
        let engine = try home.engine()
        let facts = try engine.database.writer.read { db in
            let id = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM sales_order WHERE order_ref = 'O1'"))
            return try FactsLoader(tx: .init(db), catalog: FieldCatalog(), money: engine.config.money, today: 20_000).load([id])
        }
        let order = try #require(facts.first)
        let line = try #require(order.lines.first)
        let filled: [String: Set<String>] = [
            "order": Set(order.order.keys), "customer": Set(order.customer?.keys ?? [:].keys),
            "line": Set(line.line.keys), "product": Set(line.product?.keys ?? [:].keys),
        ]
        for (entity, fields) in FieldCatalog.builtIn {
            let missing = Set(fields.keys).subtracting(filled[entity] ?? [])
            #expect(missing.isEmpty, "\(entity) fields declared for rules but never loaded: \(missing.sorted())")
        }
    }
}
