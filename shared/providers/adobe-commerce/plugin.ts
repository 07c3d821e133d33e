import type { ProviderPlugin } from '../../ports/provider-plugins';
import { adobeCommerceDefinition } from './definition';
import { adobeCommercePoller } from './poller';

export const adobeCommercePlugin: ProviderPlugin = {
  definition: adobeCommerceDefinition,
  poller: adobeCommercePoller,
};
