import { CosmosMeterRepository } from '../../adapters/cosmos/meter-repository';
import type { OrderLineMeter } from '../../ports/meter';
import { getClock, getContainer } from '../platform/wiring';
import type { ReadMeterDeps } from './read-meter';

/** Order lines per month in `meter`. */
export async function getOrderLineMeter(): Promise<OrderLineMeter> {
  return new CosmosMeterRepository(await getContainer('meter'), getClock());
}

export async function readMeterDeps(): Promise<ReadMeterDeps> {
  return { meter: await getOrderLineMeter(), clock: getClock() };
}
