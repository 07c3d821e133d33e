import { pollingParameters, type ProviderDefinition } from '../../domain/providers/provider-definition';
import { adobeCommerceOrderTransformation } from './transformations';

/** Adobe Commerce (Magento): core sends no order webhooks, so orders are polled by updated_at. */
export const adobeCommerceDefinition: ProviderDefinition = {
  id: 'adobe-commerce',
  name: 'Adobe Commerce',
  description: 'Orders of an Adobe Commerce (Magento) store, polled through the REST API by update time.',
  serviceType: 'order-intake',
  serviceTypes: ['order-intake'],
  parameters: [
    { name: 'baseUrl', description: 'The store base URL (before /rest)', type: 'url', required: true },
    {
      name: 'storeCode',
      description: 'The store view code in /rest/{storeCode}/V1',
      type: 'string',
      required: false,
      default: 'default',
    },
    { name: 'pageSize', description: 'Orders per page', type: 'integer', required: false, default: 100 },
    ...pollingParameters,
  ],
  secrets: [{ name: 'accessToken', description: 'The bearer token of the integration', required: true }],
  messageTypes: [
    { name: 'order', description: 'An order created or changed since the last poll', intent: 'upsert' },
  ],
  actions: [],
  inbound: { webhook: false, polling: true, fileDrop: true },
  allowsMultipleInstances: true,
  transformations: { order: adobeCommerceOrderTransformation },
};
