import type { ProviderPlugin } from '../../ports/provider-plugins';
import { shipStationActions } from './actions';
import { shipStationDefinition } from './definition';
import { enrichShipStationShipments } from './enrich';
import { verifyShipStationWebhook } from './webhook';

export const shipStationPlugin: ProviderPlugin = {
  definition: shipStationDefinition,
  verifyWebhook: verifyShipStationWebhook,
  enrich: enrichShipStationShipments,
  actions: shipStationActions,
};
