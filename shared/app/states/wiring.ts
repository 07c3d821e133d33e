import { CosmosStateFrameworkStore } from '../../adapters/cosmos/state-framework-store';
import type { CustomStateFrameworkConfig } from '../../domain/states/merge-config';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { StateFrameworkStore } from '../../ports/state-framework';
import { customStateFrameworkSchema } from '../../schemas/state-framework.schema';
import { compileValidator } from '../../schemas/validator';
import { getClock, getContainer } from '../platform/wiring';
import { memo } from '../registry';
import { StateFrameworkInForce } from './state-framework-in-force';

async function storedStateFramework(): Promise<StateFrameworkStore> {
  return new CosmosStateFrameworkStore(await getContainer('config'), getClock());
}

function inForceHolder(): { current?: StateFrameworkInForce } {
  return memo('states.in-force', () => ({}));
}

async function stateFrameworkInForce(): Promise<StateFrameworkInForce> {
  const holder = inForceHolder();
  holder.current ??= new StateFrameworkInForce(await storedStateFramework(), getClock());
  return holder.current;
}

/** The custom state-framework document in `config`, read as stored; a write forgets the one in force. */
export async function getStateFrameworkStore(): Promise<StateFrameworkStore> {
  return (await stateFrameworkInForce()).forgettingOnWrite(await storedStateFramework());
}

export function getCustomStateFrameworkValidator(): (input: unknown) => CustomStateFrameworkConfig {
  return memo('validator:state-framework', () =>
    compileValidator<CustomStateFrameworkConfig>(customStateFrameworkSchema, 'state framework')
  );
}

/** The state framework in force: the out-of-box rows plus the user's (at most 1 s old). */
export async function getStateFrameworkConfig(): Promise<StateFrameworkConfig> {
  return (await stateFrameworkInForce()).config();
}
