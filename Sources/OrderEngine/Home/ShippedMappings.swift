/// The mappings a new home ships with beyond the standard feeds (`orderflow init`): output mappings for
/// purchase orders as OASIS UBL 2.1 Order and cXML 1.2 OrderRequest, today's built-in layouts as output
/// mappings to copy and adapt, and the inbound mappings that read a UBL or cXML order back (the round trip
/// the tests hold the two directions to). Kept as text in the executable, so a copied binary still has them.
public enum ShippedMappings {
    /// `mappings/outputs/NAME.yaml`, by name.
    public static let outputs: [(name: String, text: String)] = [
        ("pick-list-csv", #"""
# The standard pick list (what a home without output mappings writes), as an output mapping: copy it
# under another name and change what a warehouse's system needs. Name it in orderflow.yaml:
#   outputs: { warehouse_pick_lists: { MAIN: my-pick-list } }
document: pick-list
format: csv
description: the standard pick list, one row per line, in bin order
csv:
  columns:
    - {header: pick_list_ref, value: document.ref}
    - {header: warehouse, value: document.warehouse}
    - {header: bin_location, value: line.bin_location}
    - {header: sku, value: line.sku}
    - {header: description, value: product.description}
    - {header: quantity, value: line.quantity}
    - {header: order_ref, value: order.ref}
    - {header: line_no, value: line.line_no}
    - {header: customer_ref, value: order.customer_ref}
    - {header: ship_name, value: ship_to.name}
    - {header: ship_address1, value: ship_to.address1}
    - {header: ship_address2, value: ship_to.address2}
    - {header: ship_city, value: ship_to.city}
    - {header: ship_postcode, value: ship_to.postcode}
    - {header: ship_country, value: ship_to.country}
"""#),
        ("po-csv", #"""
# The standard purchase order as CSV (a supplier's po_format: csv), as an output mapping: copy it under
# another name, change it, and give that name as the supplier's po_format.
document: purchase-order
format: csv
description: the standard purchase order, one row per line
csv:
  columns:
    - {header: po_ref, value: document.ref}
    - {header: supplier_ref, value: supplier.ref}
    - {header: order_ref, value: order.ref}
    - {header: line_no, value: line.line_no}
    - {header: sku, value: line.sku}
    - {header: description, value: product.description}
    - {header: quantity, value: line.quantity}
    - {header: unit_cost, value: line.unit_cost, decimals: 2}
    - {header: ship_name, value: ship_to.name}
    - {header: ship_address1, value: ship_to.address1}
    - {header: ship_address2, value: ship_to.address2}
    - {header: ship_city, value: ship_to.city}
    - {header: ship_postcode, value: ship_to.postcode}
    - {header: ship_country, value: ship_to.country}
"""#),
        ("po-xml", #"""
# The standard purchase order as XML (a supplier's po_format: xml), as an output mapping: copy it under
# another name, change it, and give that name as the supplier's po_format.
document: purchase-order
format: xml
description: the standard purchase order as XML
xml:
  template: |
    <purchase_order xmlns:of="urn:orderflow:output" po_ref="{{ document.ref }}">
      <supplier_ref>{{ supplier.ref }}</supplier_ref>
      <order_ref>{{ order.ref }}</order_ref>
      <ship_to>
        <name>{{ ship_to.name }}</name>
        <address1>{{ ship_to.address1 }}</address1>
        <address2>{{ ship_to.address2 }}</address2>
        <city>{{ ship_to.city }}</city>
        <postcode>{{ ship_to.postcode }}</postcode>
        <country>{{ ship_to.country }}</country>
      </ship_to>
      <lines>
        <line of:each="line" line_no="{{ line.line_no }}">
          <sku>{{ line.sku }}</sku>
          <description>{{ product.description }}</description>
          <quantity>{{ line.quantity }}</quantity>
          <unit_cost>{{ line.unit_cost }}</unit_cost>
        </line>
      </lines>
    </purchase_order>
"""#),
        ("exception-report-csv", #"""
# The standard exception report, as an output mapping: copy it under another name, change it, and name
# it in orderflow.yaml: outputs: { exception_report: my-report }
document: exception-report
format: csv
description: the standard exception report, one row per exception
csv:
  columns:
    - {header: kind, value: exception.kind}
    - {header: order_ref, value: exception.order_ref}
    - {header: line_no, value: exception.line_no}
    - {header: sku, value: exception.sku}
    - {header: reason, value: exception.reason}
    - {header: source_file, value: exception.source_file}
    - {header: source_line, value: exception.source_line}
"""#),
        ("ubl-order", #"""
# A purchase order as an OASIS UBL 2.1 Order, for a supplier that takes UBL.
# Elements are in the schema's order; values come from the purchase order (document.*), its
# supplier (supplier.*), the order it serves (order.*), where it goes (ship_to.*: the order's ship-to or its customer's address) and,
# inside the element marked of:each="line", each line with its product.
# CustomerAssignedAccountID is your account number at this supplier: replace ORDERFLOW.
# ../ubl-order-in.yaml reads this document back as an order.
document: purchase-order
format: xml
description: OASIS UBL 2.1 Order
xml:
  template: |
    <Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
           xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
           xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
           xmlns:of="urn:orderflow:output">
      <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
      <cbc:ID>{{ document.ref }}</cbc:ID>
      <cbc:IssueDate>{{ document.date }}</cbc:IssueDate>
      <cbc:DocumentCurrencyCode of:if="order.currency">{{ order.currency }}</cbc:DocumentCurrencyCode>
      <cbc:CustomerReference>{{ order.ref }}</cbc:CustomerReference>
      <cac:BuyerCustomerParty>
        <cbc:CustomerAssignedAccountID>ORDERFLOW</cbc:CustomerAssignedAccountID>
      </cac:BuyerCustomerParty>
      <cac:SellerSupplierParty>
        <cac:Party>
          <cac:PartyIdentification>
            <cbc:ID>{{ supplier.ref }}</cbc:ID>
          </cac:PartyIdentification>
          <cac:PartyName>
            <cbc:Name>{{ supplier.name }}</cbc:Name>
          </cac:PartyName>
          <cac:Contact of:if="supplier.email">
            <cbc:ElectronicMail>{{ supplier.email }}</cbc:ElectronicMail>
          </cac:Contact>
        </cac:Party>
      </cac:SellerSupplierParty>
      <cac:Delivery>
        <cac:DeliveryAddress>
          <cbc:StreetName>{{ ship_to.address1 }}</cbc:StreetName>
          <cbc:AdditionalStreetName of:if="ship_to.address2">{{ ship_to.address2 }}</cbc:AdditionalStreetName>
          <cbc:CityName>{{ ship_to.city }}</cbc:CityName>
          <cbc:PostalZone>{{ ship_to.postcode }}</cbc:PostalZone>
          <cac:Country>
            <cbc:IdentificationCode>{{ ship_to.country }}</cbc:IdentificationCode>
          </cac:Country>
        </cac:DeliveryAddress>
        <cac:DeliveryParty>
          <cac:PartyName>
            <cbc:Name>{{ ship_to.name }}</cbc:Name>
          </cac:PartyName>
        </cac:DeliveryParty>
      </cac:Delivery>
      <cac:OrderLine of:each="line">
        <cac:LineItem>
          <cbc:ID>{{ line.line_no }}</cbc:ID>
          <cbc:Quantity unitCode="{{ product.stock_unit }}">{{ line.quantity }}</cbc:Quantity>
          <cac:Price>
            <cbc:PriceAmount currencyID="{{ order.currency }}">{{ line.unit_cost }}</cbc:PriceAmount>
          </cac:Price>
          <cac:Item>
            <cbc:Name>{{ product.description }}</cbc:Name>
            <cac:SellersItemIdentification>
              <cbc:ID>{{ line.sku }}</cbc:ID>
            </cac:SellersItemIdentification>
          </cac:Item>
        </cac:LineItem>
      </cac:OrderLine>
    </Order>
"""#),
        ("cxml-order-request", #"""
# A purchase order as a cXML 1.2 OrderRequest, for a supplier on a procurement network.
# The root's of:doctype-system writes cXML's DOCTYPE (a template may not hold one itself).
# From and Sender name you (replace ORDERFLOW with your network ID, and put the shared secret the
# network gave you); To names the supplier by its ref. BillTo is your own address: fill it in.
# The sales order this purchase order serves is in an Extrinsic named CustomerOrderRef.
# ../cxml-order-request-in.yaml reads this document back as an order.
document: purchase-order
format: xml
description: cXML 1.2 OrderRequest
xml:
  template: |
    <cXML xmlns:of="urn:orderflow:output" of:doctype-system="http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd"
          payloadID="{{ document.ref }}@orderflow" timestamp="{{ document.date }}T00:00:00+00:00" xml:lang="en">
      <Header>
        <From>
          <Credential domain="NetworkID">
            <Identity>ORDERFLOW</Identity>
          </Credential>
        </From>
        <To>
          <Credential domain="NetworkID">
            <Identity>{{ supplier.ref }}</Identity>
          </Credential>
        </To>
        <Sender>
          <Credential domain="NetworkID">
            <Identity>ORDERFLOW</Identity>
            <SharedSecret></SharedSecret>
          </Credential>
          <UserAgent>orderflow</UserAgent>
        </Sender>
      </Header>
      <Request deploymentMode="production">
        <OrderRequest>
          <OrderRequestHeader orderID="{{ document.ref }}" orderDate="{{ document.date }}T00:00:00+00:00" type="new">
            <Total>
              <Money currency="{{ order.currency }}">{{ sum line.quantity * line.unit_cost }}</Money>
            </Total>
            <ShipTo>
              <Address isoCountryCode="{{ ship_to.country }}" addressID="{{ order.ref }}">
                <Name xml:lang="en">{{ ship_to.name }}</Name>
                <PostalAddress name="default">
                  <DeliverTo>{{ ship_to.name }}</DeliverTo>
                  <Street>{{ ship_to.address1 }}</Street>
                  <Street of:if="ship_to.address2">{{ ship_to.address2 }}</Street>
                  <City>{{ ship_to.city }}</City>
                  <PostalCode>{{ ship_to.postcode }}</PostalCode>
                  <Country isoCountryCode="{{ ship_to.country }}">{{ ship_to.country }}</Country>
                </PostalAddress>
              </Address>
            </ShipTo>
            <BillTo>
              <Address addressID="ORDERFLOW">
                <Name xml:lang="en">ORDERFLOW</Name>
              </Address>
            </BillTo>
            <Extrinsic name="CustomerOrderRef">{{ order.ref }}</Extrinsic>
          </OrderRequestHeader>
          <ItemOut of:each="line" quantity="{{ line.quantity }}" lineNumber="{{ line.line_no }}">
            <ItemID>
              <SupplierPartID>{{ line.sku }}</SupplierPartID>
            </ItemID>
            <ItemDetail>
              <UnitPrice>
                <Money currency="{{ order.currency }}">{{ line.unit_cost }}</Money>
              </UnitPrice>
              <Description xml:lang="en">{{ product.description }}</Description>
              <UnitOfMeasure>{{ product.stock_unit }}</UnitOfMeasure>
              <Classification domain="category">{{ product.category }}</Classification>
            </ItemDetail>
          </ItemOut>
        </OrderRequest>
      </Request>
    </cXML>
"""#),
    ]

    /// `mappings/examples/NAME.yaml`: inbound mappings for orders that arrive as UBL or cXML (reading inbox/ubl/,
    /// inbox/cxml/). Examples, not in force: the engine reads only `mappings/*.yaml`, so a home that takes UBL or
    /// cXML orders copies one up (and a home with its own UBL mapping has no second one competing for its files).
    public static let inbound: [(name: String, text: String)] = [
        ("ubl-order-in", #"""
# A UBL 2.1 Order as orderflow's outputs/ubl-order.yaml writes it, read back as an order: the
# purchase order's ID is the order's ref, the buyer's account number the customer, the delivery
# address the ship-to, each OrderLine/LineItem a line. Works for other UBL 2.1 Orders with these
# elements (a default-namespace root or a prefixed one alike).
feed: orders
inbox: ubl
pattern: "*.xml"
format: xml
xml:
  record: /ord:Order
  lines: cac:OrderLine/cac:LineItem
  namespaces:
    ord: urn:oasis:names:specification:ubl:schema:xsd:Order-2
    cac: urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2
    cbc: urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2
fields:
  order_ref: ../../cbc:ID
  order_date: ../../cbc:IssueDate
  customer_ref: ../../cac:BuyerCustomerParty/cbc:CustomerAssignedAccountID
  currency: ../../cbc:DocumentCurrencyCode
  line_no: cbc:ID
  sku: cac:Item/cac:SellersItemIdentification/cbc:ID
  quantity: cbc:Quantity
  unit: cbc:Quantity/@unitCode
  unit_price: cac:Price/cbc:PriceAmount
  ship_name: ../../cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name
  ship_address1: ../../cac:Delivery/cac:DeliveryAddress/cbc:StreetName
  ship_address2: ../../cac:Delivery/cac:DeliveryAddress/cbc:AdditionalStreetName
  ship_city: ../../cac:Delivery/cac:DeliveryAddress/cbc:CityName
  ship_postcode: ../../cac:Delivery/cac:DeliveryAddress/cbc:PostalZone
  ship_country: ../../cac:Delivery/cac:DeliveryAddress/cac:Country/cbc:IdentificationCode
  order.customer_order_ref: ../../cbc:CustomerReference
  line.description: cac:Item/cbc:Name
"""#),
        ("cxml-order-request-in", #"""
# A cXML 1.2 OrderRequest as orderflow's outputs/cxml-order-request.yaml writes it, read back as an
# order: orderID is the order's ref, the sender's NetworkID the customer, ShipTo the ship-to, each
# ItemOut a line. The DOCTYPE names cXML's DTD: a label, never fetched.
feed: orders
inbox: cxml
pattern: "*.xml"
format: xml
xml:
  record: /cXML/Request/OrderRequest
  lines: ItemOut
fields:
  order_ref: ../OrderRequestHeader/@orderID
  order_date: ../OrderRequestHeader/@orderDate
  customer_ref: "/cXML/Header/From/Credential[@domain='NetworkID']/Identity"
  currency: ../OrderRequestHeader/Total/Money/@currency
  line_no: "@lineNumber"
  sku: ItemID/SupplierPartID
  quantity: "@quantity"
  unit: ItemDetail/UnitOfMeasure
  unit_price: ItemDetail/UnitPrice/Money
  ship_name: ../OrderRequestHeader/ShipTo/Address/Name
  ship_address1: ../OrderRequestHeader/ShipTo/Address/PostalAddress/Street[1]
  ship_address2: ../OrderRequestHeader/ShipTo/Address/PostalAddress/Street[2]
  ship_city: ../OrderRequestHeader/ShipTo/Address/PostalAddress/City
  ship_postcode: ../OrderRequestHeader/ShipTo/Address/PostalAddress/PostalCode
  ship_country: ../OrderRequestHeader/ShipTo/Address/PostalAddress/Country/@isoCountryCode
  order.customer_order_ref: "../OrderRequestHeader/Extrinsic[@name='CustomerOrderRef']"
  order.payload_id: /cXML/@payloadID
  line.description: ItemDetail/Description
"""#),
    ]

    /// The text of a shipped mapping, output or inbound, by name.
    public static func text(_ name: String) -> String? {
        (outputs + inbound).first { $0.name == name }?.text
    }
}
