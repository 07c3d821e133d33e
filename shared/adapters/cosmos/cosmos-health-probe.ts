import type { Database } from '@azure/cosmos';
import type { HealthProbe } from '../../ports/health-probe';
import { withCosmosErrors } from './cosmos-errors';

/**
 * Cosmos answers when our database can be read. `getDatabase` is the platform wiring's memoized
 * "ensure database and containers", so the first check also proves the containers exist (and
 * creates them on a fresh local store); later checks cost one database read.
 */
export function cosmosHealthProbe(getDatabase: () => Promise<Database>): HealthProbe {
  return {
    name: 'cosmos',
    async check(): Promise<void> {
      const database = await getDatabase();
      await withCosmosErrors(() => database.read(), { what: `database ${database.id}`, maxAttempts: 1 });
    },
  };
}
