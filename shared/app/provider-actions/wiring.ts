import { ProviderHttpClient } from '../../adapters/http/provider-http-client';
import { getErrorListRepository } from '../error-lists/wiring';
import { getClock } from '../platform/wiring';
import { getProviderPlugins, getProviderSettings } from '../provider-config/wiring';
import { memo } from '../registry';
import { ProviderCircuits } from './outbound-http';
import { runProviderAction, type ProviderActionDeps, type ProviderActionRunner } from './run-provider-action';

/** One circuit per instance for this worker's outbound calls. */
function getProviderCircuits(): ProviderCircuits {
  return memo('provider-circuits', () => new ProviderCircuits(getClock()));
}

export async function providerActionDeps(): Promise<ProviderActionDeps> {
  return {
    settings: await getProviderSettings(),
    plugins: getProviderPlugins(),
    http: memo('provider-http:outbound', () => new ProviderHttpClient()),
    circuits: getProviderCircuits(),
    errors: await getErrorListRepository(),
    clock: getClock(),
  };
}

/** Provider actions as journey steps run them. */
export const providerActionRunner: ProviderActionRunner = async (request) =>
  runProviderAction(await providerActionDeps(), request);
