/**
 * SHIP_NOTIFY as `enrich` assembles it: `{shipments, hook}`, the shipments of `GET resource_url`.
 * Each live (not voided) shipment of one of our orders is a `shipped` event of the fulfillment order
 * named by its `orderNumber` (createOrder sends the fulfillment order's id there); the event id is
 * the shipment id, so a repeated webhook moves nothing twice. Several shipments give a list.
 * Shipments without an order number (labels bought outside an order) are left out.
 */
export const shipStationShipNotifyTransformation = `(
  $live := shipments[voided != true and $type(orderNumber) = 'string' and orderNumber != ''];
  $live.{
    "fulfillmentOrderId": orderNumber,
    "event": {
      "id": "shipstation-shipment-" & $string(shipmentId),
      "type": "shipped",
      "tracking": {
        "carrier": carrierCode,
        "number": trackingNumber
      }
    }
  }
)`;
