import { CosmosIntakeCounters } from '../../adapters/cosmos/intake-counters';
import { CosmosStoredCounts } from '../../adapters/cosmos/stored-counts';
import { DurableJourneyCounts } from '../../adapters/durable/durable-journey-instances';
import type { IntakeCounters } from '../../ports/metrics';
import { getClock, getContainer } from '../platform/wiring';
import { getStateFrameworkConfig } from '../states/wiring';
import type { ReadMetricsDeps } from './read-metrics';

/** Intake counters in the `meter` container. */
export async function getIntakeCounters(): Promise<IntakeCounters> {
  return new CosmosIntakeCounters(await getContainer('meter'), getClock());
}

/** What `GET /api/v1/metrics` reads, with the invocation's Durable client for the journeys. */
export async function readMetricsDeps(
  client: ConstructorParameters<typeof DurableJourneyCounts>[0]
): Promise<ReadMetricsDeps> {
  return {
    intake: await getIntakeCounters(),
    stored: new CosmosStoredCounts(await getContainer('orders'), await getContainer('jobs')),
    journeys: new DurableJourneyCounts(client),
    states: getStateFrameworkConfig,
    clock: getClock(),
  };
}
