import type { ProviderDefinition } from '../../domain/providers/provider-definition';
import { parcelParameters, shipFromParameters } from '../common/shipping';
import { shipStationShipNotifyTransformation } from './transformations';

export const shipStationDefaultBaseUrl = 'https://ssapi.shipstation.com';
/** The header the webhook token may come in, where a proxy in front of us can add one. */
export const shipStationDefaultTokenHeader = 'X-Webhook-Token';

/** Webhook events whose `resource_url` lists shipments (labels created). */
export const shipStationShipmentEvents = ['SHIP_NOTIFY', 'ITEM_SHIP_NOTIFY'] as const;

/**
 * ShipStation API V1 (ssapi.shipstation.com, Basic auth with the API key and secret): rates, labels
 * and orders for fulfillment orders; labels created in ShipStation come back as SHIP_NOTIFY webhooks.
 */
export const shipStationDefinition: ProviderDefinition = {
  id: 'shipstation',
  name: 'ShipStation',
  description:
    'ShipStation API V1: shipping rates, labels and ShipStation orders for fulfillment orders; SHIP_NOTIFY webhooks mark them shipped.',
  serviceType: 'carrier',
  serviceTypes: ['carrier', 'fulfillment'],
  parameters: [
    {
      name: 'baseUrl',
      description: 'The API host',
      type: 'url',
      required: false,
      default: shipStationDefaultBaseUrl,
    },
    {
      name: 'carrierCode',
      description: 'The carrier of rates and labels as ShipStation names it (e.g. stamps_com, ups, fedex)',
      type: 'string',
      required: false,
    },
    {
      name: 'serviceCode',
      description: 'The carrier service of labels (e.g. usps_priority_mail); rates list every service',
      type: 'string',
      required: false,
    },
    {
      name: 'packageCode',
      description: 'The package type of labels',
      type: 'string',
      required: false,
      default: 'package',
    },
    {
      name: 'confirmation',
      description: 'Delivery confirmation: none, delivery, signature, adult_signature, direct_signature',
      type: 'string',
      required: false,
      default: 'none',
    },
    {
      name: 'testLabel',
      description: 'Create test labels (ShipStation has no sandbox; test labels are not charged)',
      type: 'boolean',
      required: false,
      default: false,
    },
    {
      name: 'currency',
      description: 'The currency ShipStation quotes costs in (the account currency)',
      type: 'string',
      required: false,
      default: 'USD',
    },
    {
      name: 'storeId',
      description: 'The ShipStation store orders are created in (absent: the default manual store)',
      type: 'integer',
      required: false,
    },
    {
      name: 'webhookTokenHeader',
      description:
        'The header that may carry the webhook token instead of the `token` query parameter of the webhook URL',
      type: 'string',
      required: false,
      default: shipStationDefaultTokenHeader,
    },
    ...shipFromParameters,
    ...parcelParameters({ weight: 16, weightUnit: 'oz' }),
  ],
  secrets: [
    { name: 'apiKey', description: 'The API key (Basic auth user name)', required: true },
    { name: 'apiSecret', description: 'The API secret (Basic auth password)', required: true },
    {
      name: 'webhookToken',
      description:
        'A random value of your choosing, put in the webhook URL (?token=...): ShipStation V1 signs no webhooks',
      required: false,
    },
  ],
  messageTypes: [
    {
      name: 'SHIP_NOTIFY',
      description: 'Webhook: labels were created; their shipments mark the fulfillment orders shipped',
      intent: 'fulfillmentOrderEvent',
    },
    {
      name: 'ITEM_SHIP_NOTIFY',
      description: 'Webhook: labels were created (with items); as SHIP_NOTIFY',
      intent: 'fulfillmentOrderEvent',
    },
  ],
  actions: [
    {
      name: 'getRates',
      description: "Asks the carrier's rates for the fulfillment order's package (kept on the timeline)",
    },
    {
      name: 'createLabel',
      description: 'Buys a label for the fulfillment order; it becomes shipped with the tracking number',
    },
    {
      name: 'createOrder',
      description:
        'Creates (or, on a retry, updates) the ShipStation order of the fulfillment order, to be shipped from ShipStation',
    },
  ],
  inbound: { webhook: true, polling: false, fileDrop: false },
  allowsMultipleInstances: true,
  transformations: Object.fromEntries(
    shipStationShipmentEvents.map((type) => [type, shipStationShipNotifyTransformation])
  ),
};
