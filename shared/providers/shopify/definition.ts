import { pollingParameters, type ProviderDefinition } from '../../domain/providers/provider-definition';
import { shopifyOrderTransformation, shopifyRefundTransformation } from './transformations';

/** The newest Admin API version this plug-in was written against (REST orders and webhooks). */
export const shopifyDefaultApiVersion = '2024-10';
/** `GET orders.json` refuses a larger `limit`. */
export const shopifyMaxPageSize = 250;

/**
 * Shopify (Admin API): orders arrive as signed webhooks (`orders/create`, `orders/updated`,
 * `orders/cancelled`) and, where webhooks can be lost or are not set up, from a poller that reads
 * `GET orders.json` by `updated_at`. One instance per store.
 */
export const shopifyDefinition: ProviderDefinition = {
  id: 'shopify',
  name: 'Shopify',
  description: 'Orders of a Shopify store, from its webhooks and by polling the Admin API',
  serviceType: 'order-intake',
  serviceTypes: ['order-intake', 'storefront'],
  parameters: [
    {
      name: 'shopUrl',
      description: 'The Admin API base of the store, e.g. https://demo.myshopify.com',
      type: 'url',
      required: true,
    },
    {
      name: 'apiVersion',
      description: 'The Admin API version the poller asks for (YYYY-MM)',
      type: 'string',
      required: false,
      default: shopifyDefaultApiVersion,
    },
    {
      name: 'pageSize',
      description: `Orders per page when polling (at most ${shopifyMaxPageSize})`,
      type: 'integer',
      required: false,
      default: shopifyMaxPageSize,
    },
    ...pollingParameters,
  ],
  secrets: [
    {
      name: 'webhookSecret',
      description: "The app's client secret, with which Shopify signs webhooks",
      required: false,
    },
    {
      name: 'accessToken',
      description:
        'The Admin API access token (X-Shopify-Access-Token), needed for polling and the fulfillment actions',
      required: false,
    },
  ],
  messageTypes: [
    { name: 'orders/create', description: 'Webhook: an order was placed', intent: 'create' },
    { name: 'orders/updated', description: 'Webhook: an order changed', intent: 'upsert' },
    { name: 'orders/cancelled', description: 'Webhook: an order was cancelled', intent: 'cancel' },
    { name: 'order', description: 'An order read by the poller', intent: 'upsert' },
    {
      name: 'refunds/create',
      description: 'Webhook: a refund of an order (refund line items become a refunded return)',
      intent: 'return',
    },
  ],
  actions: [
    { name: 'poll-orders', description: 'Reads the orders changed since the last poll' },
    {
      name: 'createFulfillment',
      description:
        "Reports the fulfillment order's shipment to Shopify with tracking (fulfillment orders, then POST fulfillments.json)",
    },
    {
      name: 'cancelFulfillment',
      description: "Cancels the Shopify fulfillments carrying the fulfillment order's tracking numbers",
    },
  ],
  inbound: { webhook: true, polling: true, fileDrop: true },
  allowsMultipleInstances: true,
  transformations: {
    'orders/create': shopifyOrderTransformation,
    'orders/updated': shopifyOrderTransformation,
    'orders/cancelled': shopifyOrderTransformation,
    order: shopifyOrderTransformation,
    'refunds/create': shopifyRefundTransformation,
  },
};
