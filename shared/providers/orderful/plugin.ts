import type { ProviderPlugin } from '../../ports/provider-plugins';
import { orderfulDefinition } from './definition';
import { orderfulPoller } from './poller';
import { verifyOrderfulWebhook } from './webhook';

export const orderfulPlugin: ProviderPlugin = {
  definition: orderfulDefinition,
  verifyWebhook: verifyOrderfulWebhook,
  poller: orderfulPoller,
};
