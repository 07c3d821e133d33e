import type { ProviderPlugin } from '../../ports/provider-plugins';
import { shopifyDefinition } from './definition';
import { cancelFulfillment, createFulfillment } from './fulfillment-actions';
import { shopifyPoller } from './poller';
import { verifyShopifyWebhook } from './webhook';

/**
 * The built-in Shopify provider: webhooks, the order poller, the order transformation, and the
 * fulfillment actions that report our shipments back to the store.
 */
export const shopifyPlugin: ProviderPlugin = {
  definition: shopifyDefinition,
  verifyWebhook: verifyShopifyWebhook,
  poller: shopifyPoller,
  actions: { createFulfillment, cancelFulfillment },
};
