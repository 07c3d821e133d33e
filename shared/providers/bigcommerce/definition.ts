import type { ProviderDefinition } from '../../domain/providers/provider-definition';
import { bigCommerceOrderTransformation } from './transformations';

export const bigCommerceMessageTypes = [
  'store/order/created',
  'store/order/updated',
  'store/order/statusUpdated',
  'store/order/archived',
] as const;

/** BigCommerce: thin order webhooks, each followed by reading the order through the V2 API. */
export const bigCommerceDefinition: ProviderDefinition = {
  id: 'bigcommerce',
  name: 'BigCommerce',
  description: 'Orders of a BigCommerce store, announced by webhooks and read through the V2 Orders API.',
  serviceType: 'order-intake',
  serviceTypes: ['order-intake', 'storefront'],
  parameters: [
    {
      name: 'apiUrl',
      description: 'The API host',
      type: 'url',
      required: false,
      default: 'https://api.bigcommerce.com',
    },
    { name: 'storeHash', description: 'The store hash (stores/{hash})', type: 'string', required: true },
    {
      name: 'webhookHeader',
      description: 'The custom header set on the hooks, whose value is the webhook secret',
      type: 'string',
      required: false,
      default: 'X-Webhook-Secret',
    },
  ],
  secrets: [
    { name: 'accessToken', description: 'The API account access token (X-Auth-Token)', required: true },
    {
      name: 'webhookSecret',
      description: 'The value of the custom header BigCommerce sends on every callback',
      required: false,
    },
    {
      name: 'clientSecret',
      description: 'The app client secret, for deliveries signed the Standard Webhooks way',
      required: false,
    },
  ],
  messageTypes: [
    { name: 'store/order/created', description: 'An order was created', intent: 'create' },
    { name: 'store/order/updated', description: 'An order was changed', intent: 'upsert' },
    { name: 'store/order/statusUpdated', description: "An order's status changed", intent: 'upsert' },
    // An archived order is still an order: it is taken if new, and cancelled if its status says so.
    { name: 'store/order/archived', description: 'An order was archived', intent: 'upsert' },
  ],
  actions: [
    {
      name: 'createShipment',
      description:
        "Reports the fulfillment order's shipment to BigCommerce with tracking (POST /v2/orders/{id}/shipments)",
    },
  ],
  inbound: { webhook: true, polling: false, fileDrop: true },
  allowsMultipleInstances: true,
  transformations: Object.fromEntries(
    bigCommerceMessageTypes.map((type) => [type, bigCommerceOrderTransformation])
  ),
};
