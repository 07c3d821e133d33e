import type { ProviderPlugin } from '../../ports/provider-plugins';
import { genericJsonDefinition } from './definition';
import { verifyGenericJsonWebhook } from './webhook';

/** The built-in provider for a user's own system: signed JSON webhooks, no poller. */
export const genericJsonPlugin: ProviderPlugin = {
  definition: genericJsonDefinition,
  verifyWebhook: verifyGenericJsonWebhook,
};
