import Foundation
import OrderImport
import OrderModel
import OrderEngine
import OrderOutput
import Testing

/// A purchase order written through a shipped XML output mapping reads back through the matching
/// inbound mapping (a new home's `mappings/examples/*-in.yaml`, `ShippedMappings.inbound`) as the same order: what a supplier running
/// orderflow would import.
@Suite struct RoundTripTests {
    /// The orders `bytes` import as through the inbound mapping `name`, and every rejection.
    static func importOrders(_ bytes: [UInt8], mapping name: String) throws -> (orders: [OrderInput], rejected: [String]) {
        let text = try #require(ShippedMappings.text(name))
        let mapping = try MappingLoader().load(yaml: text, file: "mappings/examples/\(name).yaml", name: name)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-roundtrip-\(UUID().uuidString).xml")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        FeedReader.prepare()
        var assembler = OrderAssembler()
        var orders: [OrderInput] = []
        var rejected: [String] = []
        func take(_ result: Result<OrderInput, OrderRejection>?) {
            switch result {
            case .success(let order)?: orders.append(order)
            case .failure(let rejection)?: rejected.append("\(rejection.problems)")
            case nil: break
            }
        }
        try FeedReader(mapping: mapping).read(try InputFile(path: url.path)) { record in
            switch record {
            case .success(let mapped):
                do throws(RecordRejection) {
                    take(assembler.add(try RecordDecoder().orderLine(mapped)))
                } catch {
                    rejected.append(error.description)
                    take(assembler.add(error))
                }
            case .failure(let rejection):
                rejected.append(rejection.description)
                take(assembler.add(rejection))
            }
        }
        take(assembler.finish())
        return (orders, rejected)
    }

    @Test(arguments: [("ubl-order", "ubl-order-in"), ("cxml-order-request", "cxml-order-request-in")])
    func aPurchaseOrderImportsBackAsTheSameOrder(output: String, inbound: String) throws {
        let document = XMLSample.purchaseOrder()
        let bytes = try XMLSample.shipped(output).render(document, today: XMLSample.today)
        let (orders, rejected) = try Self.importOrders(bytes, mapping: inbound)
        #expect(rejected.isEmpty, "\(rejected)")
        let order = try #require(orders.first)
        #expect(orders.count == 1)

        #expect(order.orderRef == "PO-000042")
        #expect(order.custom["order.customer_order_ref"] == "SO-1001")
        #expect(order.customerRef == "ORDERFLOW")
        #expect(order.currency?.description == "GBP")
        #expect(order.shipTo == ShipTo(name: "Zoë Müller & Sons", address1: "Unit 9, Ring Road", address2: "Goods In, Door 3",
                                       city: "Leeds", postcode: "LS12 6AA", country: "GB"))
        #expect(order.lines.map(\.lineNo) == [1, 2, 3])
        #expect(order.lines.map(\.sku) == ["WID-100", "NUT-8", "WID-200"])
        #expect(order.lines.map(\.quantity) == [Quantity(thousandths: 4000), Quantity(thousandths: 12500), Quantity(thousandths: 1000)])
        #expect(order.lines.map(\.unitPrice) == [UnitPrice(tenThousandths: 12_500_000), UnitPrice(tenThousandths: 3_750_000), UnitPrice(tenThousandths: 30_000_000)])
        #expect(order.lines.map(\.unit) == ["EA", "KGM", "EA"])
        #expect(order.lines.map { $0.custom["line.description"] } == ["Widget small", "Nuts & bolts <M8> \"zinc\"", "Widget large"])
    }

    @Test(arguments: [("ubl-order", "ubl-order-in"), ("cxml-order-request", "cxml-order-request-in")])
    func aShipToWithoutASecondAddressLineImportsBlank(output: String, inbound: String) throws {
        let bytes = try XMLSample.shipped(output).render(XMLSample.purchaseOrder(shipAddress2: .null), today: XMLSample.today)
        let (orders, rejected) = try Self.importOrders(bytes, mapping: inbound)
        #expect(rejected.isEmpty, "\(rejected)")
        let order = try #require(orders.first)
        #expect(order.shipTo.address1 == "Unit 9, Ring Road")
        #expect(order.shipTo.address2 == "")
        #expect(order.shipTo.city == "Leeds")
    }

    /// The inbound mappings are not tied to orderflow's own documents: the worked examples import too.
    @Test(arguments: [("examples/ubl/order-34.xml", "ubl-order-in", "UBL-34"), ("examples/ubl/order-35-prefixed.xml", "ubl-order-in", nil),
                      ("examples/cxml/PO-77001.xml", "cxml-order-request-in", "PO-77001")])
    func readsTheWorkedExamples(file: String, mapping: String, ref: String?) throws {
        let bytes = try [UInt8](Data(contentsOf: XMLSample.repository.appendingPathComponent(file)))
        let (orders, rejected) = try Self.importOrders(bytes, mapping: mapping)
        #expect(rejected.isEmpty, "\(rejected)")
        #expect(orders.count == 1)
        if let ref { #expect(orders.first?.orderRef == ref) }
        #expect(orders.first?.lines.isEmpty == false)
    }
}
