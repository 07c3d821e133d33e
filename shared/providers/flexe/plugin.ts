import { httpProviderPlugin } from '../generic-http/http-provider';

/**
 * Flexe's API reference is not public, so every path, field and header here is our assumption
 * (docs/providers.md, "Flexe"): what IOM documents is only that fulfillment orders and their lines go
 * to Flexe as orders and that Flexe reports status through a registered webhook. Users edit the
 * `actions` parameter and the shipment transformation to what their Flexe account actually takes.
 */
export const flexeSendFulfillmentOrder = {
  method: 'POST',
  path: '/v2/fulfillment_orders',
  idempotencyHeader: 'Idempotency-Key',
  request: `(
  $fo := subject.fulfillmentOrder;
  {
    "externalId": $fo.id,
    "shipTo": {
      "name": subject.orders[0].customer.name,
      "email": subject.orders[0].customer.email,
      "address1": $fo.shipTo.line1,
      "address2": $fo.shipTo.line2,
      "city": $fo.shipTo.city,
      "state": $fo.shipTo.state,
      "postalCode": $fo.shipTo.postalCode,
      "country": $fo.shipTo.country
    },
    "lineItems": [$fo.lines.{ "externalId": id, "sku": sku, "quantity": quantity }]
  }
)`,
  response: `[{ "type": "externalReference", "system": "flexe", "id": $string(body.id) }]`,
};

/** A Flexe shipment callback (assumed shape) → the `shipped` event of our FO with its tracking. */
export const flexeShipmentTransformation = `(
  $shipment := shipments[0];
  {
    "fulfillmentOrderId": externalId,
    "event": {
      "id": "flexe-" & $string(eventId),
      "type": "shipped",
      "tracking": $shipment ? {
        "carrier": $shipment.carrier,
        "number": $string($shipment.trackingNumber),
        "url": $shipment.trackingUrl
      }
    }
  }
)`;

export const flexePlugin = httpProviderPlugin({
  id: 'flexe',
  name: 'Flexe',
  description:
    'Flexe 3PL: fulfillment orders sent to Flexe, shipments reported back by its webhook (API shape assumed; editable)',
  serviceTypes: ['fulfillment'],
  actions: [{ name: 'sendFulfillmentOrder', description: 'Send the fulfillment order to Flexe as an order' }],
  defaults: {
    baseUrl: 'https://api.flexe.com',
    authScheme: 'bearer',
    actions: JSON.stringify({ sendFulfillmentOrder: flexeSendFulfillmentOrder }, null, 2),
  },
  callback: {
    messageType: 'shipment',
    description: 'Flexe shipped (part of) an order: carrier and tracking number',
    transformation: flexeShipmentTransformation,
  },
  allowsMultipleInstances: true,
});
