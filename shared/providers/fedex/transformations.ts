/**
 * A delivered shipment as the tracking poller writes it: `{fulfillmentOrderId, trackingNumber,
 * trackResult}`. One `delivered` event per tracking number, so polling it again moves nothing twice.
 */
export const fedExDeliveredTransformation = `{
  "fulfillmentOrderId": fulfillmentOrderId,
  "event": {
    "id": "fedex-delivered-" & trackingNumber,
    "type": "delivered",
    "tracking": {
      "carrier": "fedex",
      "number": trackingNumber,
      "url": "https://www.fedex.com/fedextrack/?trknbr=" & $encodeUrlComponent(trackingNumber)
    }
  }
}`;
