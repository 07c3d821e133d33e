import { CosmosStateFrameworkStore } from '../../adapters/cosmos/state-framework-store';
import type { CustomStateFrameworkConfig } from '../../domain/states/merge-config';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { StateFrameworkStore } from '../../ports/state-framework';
import { customStateFrameworkSchema } from '../../schemas/state-framework.schema';
import { compileValidator } from '../../schemas/validator';
import { getClock, getContainer } from '../platform/wiring';
import { memo } from '../registry';
import { readStateFramework } from './state-framework-config';

/** The custom state-framework document in `config`. */
export async function getStateFrameworkStore(): Promise<StateFrameworkStore> {
  return new CosmosStateFrameworkStore(await getContainer('config'), getClock());
}

export function getCustomStateFrameworkValidator(): (input: unknown) => CustomStateFrameworkConfig {
  return memo('validator:state-framework', () =>
    compileValidator<CustomStateFrameworkConfig>(customStateFrameworkSchema, 'state framework')
  );
}

/** The state framework in force: the out-of-box rows plus the user's (read per call: it is one document). */
export async function getStateFrameworkConfig(): Promise<StateFrameworkConfig> {
  return (await readStateFramework(await getStateFrameworkStore())).config;
}
