import type { ProviderPlugin } from '../../ports/provider-plugins';
import { bigCommerceDefinition } from './definition';
import { enrichBigCommerceOrder } from './enrich';
import { createShipment } from './shipment-actions';
import { verifyBigCommerceWebhook } from './webhook';

export const bigCommercePlugin: ProviderPlugin = {
  definition: bigCommerceDefinition,
  verifyWebhook: verifyBigCommerceWebhook,
  enrich: enrichBigCommerceOrder,
  actions: { createShipment },
};
