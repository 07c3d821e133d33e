import type { ProviderPlugin } from '../../ports/provider-plugins';
import { ClientCredentialsTokens } from '../common/oauth-token';
import { fedExActions } from './actions';
import { fedExDefinition } from './definition';
import { createFedExTrackingPoller } from './poller';

/** FedEx's plug-in on a token cache of its own (tests pass theirs). */
export function createFedExPlugin(
  tokens: ClientCredentialsTokens = new ClientCredentialsTokens()
): ProviderPlugin {
  return {
    definition: fedExDefinition,
    poller: createFedExTrackingPoller(tokens),
    actions: fedExActions(tokens),
  };
}

export const fedExPlugin: ProviderPlugin = createFedExPlugin();
