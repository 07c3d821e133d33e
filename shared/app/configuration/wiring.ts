import type { ConfigBundle } from '../../domain/configuration';
import { configBundleSchema } from '../../schemas/configuration.schema';
import { compileValidator } from '../../schemas/validator';
import { alertRuleDeps } from '../alerts/wiring';
import { emailTemplateDeps } from '../email/wiring';
import { sourceDeps, sourceListDeps, strategyDeps } from '../fulfillment/wiring';
import { getInventoryMeasureDeps } from '../inventory/wiring';
import { journeyDeps } from '../journeys/wiring';
import { policyDeps } from '../policies/wiring';
import { getProviderPlugins } from '../provider-config/wiring';
import { providerConfigDeps, transformationDeps } from '../providers/wiring';
import { memo } from '../registry';
import { getCustomStateFrameworkValidator, getStateFrameworkStore } from '../states/wiring';
import type { ConfigKind } from './config-kind';
import {
  alertRuleKind,
  emailTemplateKind,
  inventoryMeasuresKind,
  journeyKind,
  mappingGroupKind,
  policyKind,
  providerInstanceKind,
  sourceKind,
  sourceListKind,
  stateFrameworkKind,
  strategyKind,
  transformationKind,
} from './config-kinds';
import type { ImportConfigurationDeps } from './import-configuration';

/**
 * The kinds a bundle holds, in the order an import writes them: what is referenced before what
 * references it (instances name mapping groups and transformations, lists name sources, strategies
 * name lists, journeys name policies, templates and instances). A new kind is one entry here (and a
 * rule in domain/configuration/config-references.ts when it names other documents).
 */
async function configKinds(): Promise<ConfigKind[]> {
  const providers = await providerConfigDeps();
  return [
    mappingGroupKind(providers),
    transformationKind(await transformationDeps()),
    providerInstanceKind(providers),
    sourceKind(await sourceDeps()),
    sourceListKind(await sourceListDeps()),
    strategyKind(await strategyDeps()),
    emailTemplateKind(await emailTemplateDeps()),
    alertRuleKind(await alertRuleDeps()),
    stateFrameworkKind(await getStateFrameworkStore(), getCustomStateFrameworkValidator()),
    inventoryMeasuresKind(await getInventoryMeasureDeps()),
    policyKind(await policyDeps()),
    journeyKind(await journeyDeps()),
  ];
}

/** What exporting and importing a configuration bundle need. */
export async function configurationDeps(): Promise<ImportConfigurationDeps> {
  const providers = await providerConfigDeps();
  const plugins = getProviderPlugins();
  return {
    kinds: await configKinds(),
    validateBundle: memo('validators:config-bundle', () =>
      compileValidator<ConfigBundle>(configBundleSchema, 'configuration bundle')
    ),
    declaredSecrets: (provider) => plugins.get(provider)?.definition.secrets.map((s) => s.name) ?? [],
    setSecrets: async (instanceId) =>
      Object.keys((await providers.settings.repository.getInstance(instanceId))?.secrets ?? {}),
  };
}
