import { fileMessageTypes } from '../domain/providers/provider-definition';
import type { ProviderPlugin, ProviderPlugins } from '../ports/provider-plugins';
import { fileTransformations } from './common/file-transformations';
import { adobeCommercePlugin } from './adobe-commerce/plugin';
import { avalaraPlugin } from './avalara/plugin';
import { bigCommercePlugin } from './bigcommerce/plugin';
import { dynamicsFnoPlugin } from './dynamics-fno/plugin';
import { fedExPlugin } from './fedex/plugin';
import { flexePlugin } from './flexe/plugin';
import { genericHttpPlugin } from './generic-http/plugin';
import { genericJsonPlugin } from './generic-json/plugin';
import { orderfulPlugin } from './orderful/plugin';
import { shipStationPlugin } from './shipstation/plugin';
import { shopifyPlugin } from './shopify/plugin';
import { uberFreightPlugin } from './uber-freight/plugin';

/**
 * Every built-in provider. Each one that takes file drops takes order files (`order-imports/{instanceId}/...`): rows of
 * CSV/XLSX files and X12 850 transaction sets, with the common built-in transformations for them.
 */
const plugins: readonly ProviderPlugin[] = [
  shopifyPlugin,
  bigCommercePlugin,
  adobeCommercePlugin,
  orderfulPlugin,
  genericJsonPlugin,
  avalaraPlugin,
  shipStationPlugin,
  fedExPlugin,
  genericHttpPlugin,
  flexePlugin,
  uberFreightPlugin,
  dynamicsFnoPlugin,
].map(withFileMessages);

function withFileMessages(plugin: ProviderPlugin): ProviderPlugin {
  const { definition } = plugin;
  if (!definition.inbound.fileDrop) return plugin;
  return {
    ...plugin,
    definition: {
      ...definition,
      messageTypes: [
        ...definition.messageTypes,
        ...fileMessageTypes.filter((type) => !definition.messageTypes.some((t) => t.name === type.name)),
      ],
      transformations: { ...fileTransformations, ...definition.transformations },
    },
  };
}

export const builtInProviders: ProviderPlugins = {
  get: (id) => plugins.find((plugin) => plugin.definition.id === id),
  all: () => plugins,
};
