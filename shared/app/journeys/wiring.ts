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

/** What every journey use case needs: the journey versions, the policies they reference, the validators. */
export interface JourneyDeps {
  journeys: JourneyRepository;
  policies: PolicyRepository;
  validators: JourneyValidators;
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
  };
}
