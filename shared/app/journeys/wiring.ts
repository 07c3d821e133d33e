import { CosmosJourneyRepository } from '../../adapters/cosmos/journey-repository';
import type { JourneyRepository } from '../../ports/journeys';
import type { PolicyRepository } from '../../ports/policies';
import type { JourneyValidators } from '../../ports/validators';
import {
  journeyInputSchema,
  journeyQuerySchema,
  journeyRouteSchema,
  type JourneyInput,
  type JourneyQuery,
} from '../../schemas/journey.schema';
import { compileValidator } from '../../schemas/validator';
import { getPolicyRepository } from '../policies/wiring';
import { getClock, getContainer } from '../platform/wiring';
import { memo } from '../registry';
import type { JourneyProviderInstanceFacts } from '../../domain/journeys/validate-journey';
import { getProviderPlugins, getProviderSettings } from '../provider-config/wiring';
import { JourneysInForce } from './journeys-in-force';

/** What every journey use case needs: the journey versions, the policies they reference, the validators. */
export interface JourneyDeps {
  journeys: JourneyRepository;
  policies: PolicyRepository;
  validators: JourneyValidators;
  /** Told when the published versions changed, so new entities start on the new one at once. */
  publishedChanged: () => void;
  /** A provider instance as publishing checks a step's provider action against it. */
  providerInstance: (instanceId: string) => Promise<JourneyProviderInstanceFacts | undefined>;
}

function journeyValidators(): JourneyValidators {
  return memo('journeys.validators', () => ({
    route: compileValidator<{ journeyId: string }>(journeyRouteSchema, 'journey id'),
    body: compileValidator<JourneyInput>(journeyInputSchema, 'journey'),
    query: compileValidator<JourneyQuery>(journeyQuerySchema, 'query'),
  }));
}

/** Journey versions in `config` (partition `journey`). */
export async function journeyDeps(): Promise<JourneyDeps> {
  return {
    journeys: new CosmosJourneyRepository(await getContainer('config'), getClock()),
    policies: await getPolicyRepository(),
    validators: journeyValidators(),
    publishedChanged: () => inForceHolder().current?.forget(),
    providerInstance,
  };
}

async function providerInstance(instanceId: string): Promise<JourneyProviderInstanceFacts | undefined> {
  const instance = await (await getProviderSettings()).instance(instanceId);
  if (instance === undefined) return undefined;
  const plugin = getProviderPlugins().get(instance.provider);
  const runs = (action: string) => plugin?.actions?.[action] !== undefined;
  return {
    active: instance.active,
    provider: plugin?.definition.name ?? instance.provider,
    actions: (plugin?.definition.actions ?? []).map((a) => a.name).filter(runs),
  };
}

function inForceHolder(): { current?: JourneysInForce } {
  return memo('journeys.in-force', () => ({}));
}

/** The journeys new orders, fulfillment orders and returns start on. */
export async function getJourneysInForce(): Promise<JourneysInForce> {
  const holder = inForceHolder();
  holder.current ??= new JourneysInForce(
    new CosmosJourneyRepository(await getContainer('config'), getClock()),
    getClock()
  );
  return holder.current;
}
