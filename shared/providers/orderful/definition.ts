import { pollingParameters, type ProviderDefinition } from '../../domain/providers/provider-definition';
import { orderfulPurchaseOrderTransformation } from './transformations';

export const orderfulPurchaseOrderType = '850_PURCHASE_ORDER';

/** Orderful (EDI): purchase orders from a Poller bucket, or pushed by an Inbound HTTP channel. */
export const orderfulDefinition: ProviderDefinition = {
  id: 'orderful',
  name: 'Orderful',
  description: 'EDI 850 purchase orders from Orderful, polled from a bucket or pushed to our webhook.',
  serviceType: 'order-intake',
  serviceTypes: ['order-intake'],
  parameters: [
    {
      name: 'apiUrl',
      description: 'The API host (api-eu.orderful.com in the EU)',
      type: 'url',
      required: false,
      default: 'https://api.orderful.com',
    },
    { name: 'bucketId', description: 'The Poller bucket id (for polling)', type: 'string', required: false },
    {
      name: 'limit',
      description: 'Transactions per bucket page (1 to 100)',
      type: 'integer',
      required: false,
      default: 100,
    },
    ...pollingParameters,
  ],
  secrets: [
    { name: 'apiKey', description: 'The API key (orderful-api-key)', required: true },
    {
      name: 'webhookSecret',
      description: 'The Basic auth password of the Inbound HTTP channel',
      required: false,
    },
  ],
  messageTypes: [
    { name: orderfulPurchaseOrderType, description: 'An X12 850 purchase order', intent: 'create' },
  ],
  actions: [],
  inbound: { webhook: true, polling: true, fileDrop: true },
  allowsMultipleInstances: true,
  transformations: {
    [orderfulPurchaseOrderType]: orderfulPurchaseOrderTransformation,
  },
};
