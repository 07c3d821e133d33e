import type { ProviderPlugin } from '../../ports/provider-plugins';
import { shopifyDefinition } from './definition';
import { shopifyPoller } from './poller';
import { verifyShopifyWebhook } from './webhook';

/** The built-in Shopify provider: webhooks, the order poller, and the order transformation. */
export const shopifyPlugin: ProviderPlugin = {
  definition: shopifyDefinition,
  verifyWebhook: verifyShopifyWebhook,
  poller: shopifyPoller,
};
