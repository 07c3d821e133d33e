import { pollingParameters, type ProviderDefinition } from '../../domain/providers/provider-definition';
import { parcelParameters, shipFromParameters } from '../common/shipping';
import { fedExDeliveredTransformation } from './transformations';

export const fedExSandboxUrl = 'https://apis-sandbox.fedex.com';
/** Track API: at most this many tracking numbers per request. */
export const fedExTrackBatchSize = 30;
/** Tracking is polled; every 30 minutes keeps far below the Track API's daily quota. */
const defaultPollIntervalSeconds = 1800;

/**
 * FedEx REST APIs (OAuth2 client credentials → Bearer): rate quotes and shipments (labels) for
 * fulfillment orders, and delivery by polling the Track API for the shipments still on their way.
 */
export const fedExDefinition: ProviderDefinition = {
  id: 'fedex',
  name: 'FedEx',
  description:
    'FedEx REST APIs: rate quotes and shipments with labels for fulfillment orders; the Track API, polled, marks them delivered.',
  serviceType: 'carrier',
  serviceTypes: ['carrier'],
  parameters: [
    {
      name: 'baseUrl',
      description: 'The API host: https://apis-sandbox.fedex.com (sandbox) or https://apis.fedex.com',
      type: 'url',
      required: false,
      default: fedExSandboxUrl,
    },
    { name: 'accountNumber', description: 'The FedEx account number', type: 'string', required: true },
    {
      name: 'serviceType',
      description:
        'The service of shipments (e.g. FEDEX_GROUND, PRIORITY_OVERNIGHT); rates list every service',
      type: 'string',
      required: false,
    },
    {
      name: 'packagingType',
      description: 'The packaging (e.g. YOUR_PACKAGING, FEDEX_BOX)',
      type: 'string',
      required: false,
      default: 'YOUR_PACKAGING',
    },
    {
      name: 'pickupType',
      description: 'How FedEx gets the parcels: DROPOFF_AT_FEDEX_LOCATION, USE_SCHEDULED_PICKUP, ...',
      type: 'string',
      required: false,
      default: 'DROPOFF_AT_FEDEX_LOCATION',
    },
    {
      name: 'labelImageType',
      description: 'The label format: PDF, PNG or ZPLII',
      type: 'string',
      required: false,
      default: 'PDF',
    },
    {
      name: 'labelStockType',
      description: 'The label stock (e.g. PAPER_85X11_TOP_HALF_LABEL, STOCK_4X6)',
      type: 'string',
      required: false,
      default: 'PAPER_85X11_TOP_HALF_LABEL',
    },
    ...shipFromParameters,
    ...parcelParameters({ weight: 1, weightUnit: 'lb' }),
    ...pollingParameters.map((parameter) =>
      parameter.name === 'pollIntervalSeconds'
        ? { ...parameter, default: defaultPollIntervalSeconds }
        : parameter
    ),
  ],
  secrets: [
    { name: 'clientId', description: 'The API key of the FedEx project (OAuth client_id)', required: true },
    {
      name: 'clientSecret',
      description: 'The secret key of the FedEx project (OAuth client_secret)',
      required: true,
    },
  ],
  messageTypes: [
    {
      name: 'track',
      description: 'Polled: a tracked shipment was delivered; its fulfillment order becomes delivered',
      intent: 'fulfillmentOrderEvent',
    },
  ],
  actions: [
    {
      name: 'getRates',
      description: "Asks FedEx's rate quotes for the fulfillment order's package (kept on the timeline)",
    },
    {
      name: 'createShipment',
      description:
        'Creates the FedEx shipment and label of the fulfillment order; it becomes shipped with the tracking number',
    },
  ],
  inbound: { webhook: false, polling: true, fileDrop: false },
  allowsMultipleInstances: true,
  transformations: { track: fedExDeliveredTransformation },
};
