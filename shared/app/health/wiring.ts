import { cosmosHealthProbe } from '../../adapters/cosmos/cosmos-health-probe';
import { storageHealthProbes } from '../../adapters/storage/storage-health-probes';
import { getConfig } from '../../config';
import type { HealthProbe } from '../../ports/health-probe';
import { getCosmosDatabase, getStorageClients } from '../platform/wiring';
import { checkHealth, sharedWhileRunning, type HealthReport } from './check-health';

/** Long enough for a cold Cosmos/Azurite connection, short enough for a load balancer's probe. */
const healthTimeoutMs = 5000;

/** Everything `/api/health` asks: each storage service and Cosmos. */
export function getHealthProbes(): HealthProbe[] {
  // Validate now: a broken environment should be reported as such, not as four unreachable services.
  getConfig();
  return [...storageHealthProbes(getStorageClients), cosmosHealthProbe(getCosmosDatabase)];
}

/** One check at a time; requests that arrive meanwhile share its report. */
export const currentHealthReport: () => Promise<HealthReport> = sharedWhileRunning(() =>
  checkHealth(getHealthProbes(), { timeoutMs: healthTimeoutMs })
);
