import { httpProviderPlugin } from '../generic-http/http-provider';

/**
 * Uber Freight's shipper API is not public: the token endpoint and Bearer use are Uber's documented
 * platform auth, everything else (the scope, the load path, every field) is our assumption
 * (docs/providers.md, "Uber Freight"). A fulfillment order is tendered only when its total quantity
 * exceeds `parcelLimit`; smaller ones go as parcels and the action answers without a call.
 */
export const uberFreightTenderLoad = {
  method: 'POST',
  path: '/v1/freight/loads',
  when: '$sum(subject.fulfillmentOrder.lines.quantity) > $number(parameters.parcelLimit)',
  skippedDetail: 'not tendered: within parcel limit',
  idempotencyHeader: 'Idempotency-Key',
  request: `(
  $fo := subject.fulfillmentOrder;
  {
    "customer_id": parameters.customerId,
    "reference_number": $fo.id,
    "stops": [
      { "type": "PICKUP", "facility_id": $fo.sourceId },
      {
        "type": "DROPOFF",
        "address": {
          "line1": $fo.shipTo.line1,
          "line2": $fo.shipTo.line2,
          "city": $fo.shipTo.city,
          "state": $fo.shipTo.state,
          "postal_code": $fo.shipTo.postalCode,
          "country": $fo.shipTo.country
        }
      }
    ],
    "commodities": [$fo.lines.{ "description": sku, "quantity": quantity }],
    "total_quantity": $sum($fo.lines.quantity)
  }
)`,
  response: `[
  { "type": "externalReference", "system": "uber-freight", "id": $string(body.load_id) },
  { "type": "record", "name": "freightTender", "data": { "loadId": $string(body.load_id), "status": body.status } }
]`,
};

/** An Uber Freight load status callback (assumed shape): delivered → `delivered`, cancelled → `cancelled`. */
export const uberFreightLoadStatusTransformation = `(
  $type := $lookup({ "DELIVERED": "delivered", "CANCELLED": "cancelled", "IN_TRANSIT": "shipped" }, status);
  {
    "fulfillmentOrderId": reference_number,
    "event": { "id": "uber-freight-" & $string(event_id), "type": $type }
  }
)`;

export const uberFreightPlugin = httpProviderPlugin({
  id: 'uber-freight',
  name: 'Uber Freight',
  description:
    'Uber Freight: tenders fulfillment orders above the parcel limit as loads (API shape assumed; editable)',
  serviceTypes: ['freight'],
  actions: [
    {
      name: 'tenderLoad',
      description: 'Tender the fulfillment order as a load when its quantity exceeds parcelLimit',
    },
  ],
  defaults: {
    baseUrl: 'https://api.uber.com',
    authScheme: 'oauthClientCredentials',
    tokenUrl: 'https://auth.uber.com/oauth/v2/token',
    scope: 'freight.loads',
    actions: JSON.stringify({ tenderLoad: uberFreightTenderLoad }, null, 2),
  },
  extraParameters: [
    { name: 'customerId', description: 'Your Uber Freight customer id', type: 'string', required: false },
    {
      name: 'parcelLimit',
      description: 'Fulfillment orders with more units than this are tendered as freight',
      type: 'integer',
      required: false,
      default: 150,
    },
  ],
  callback: {
    messageType: 'loadStatus',
    description: 'The status of a tendered load (in transit, delivered, cancelled)',
    transformation: uberFreightLoadStatusTransformation,
  },
  allowsMultipleInstances: false,
});
