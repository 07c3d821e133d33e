import { CosmosProviderConfigRepository } from '../../adapters/cosmos/provider-config-repository';
import type { ProviderPlugins } from '../../ports/provider-plugins';
import { builtInProviders } from '../../providers/built-in-providers';
import { getClock, getContainer } from '../platform/wiring';
import { ProviderSettings } from '../providers/provider-settings';
import { memo } from '../registry';

/**
 * The built-in plug-ins and the provider configuration, apart from the rest of the provider wiring:
 * journeys (publishing, steps) read them, and the provider wiring itself depends on journeys.
 */
export function getProviderPlugins(): ProviderPlugins {
  return builtInProviders;
}

/** Provider configuration, read at most once a second per worker. */
export async function getProviderSettings(): Promise<ProviderSettings> {
  const container = await getContainer('config');
  return memo(
    'provider-settings',
    () => new ProviderSettings(new CosmosProviderConfigRepository(container, getClock()), getClock())
  );
}
