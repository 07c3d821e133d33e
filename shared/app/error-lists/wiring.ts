import { CosmosErrorListRepository } from '../../adapters/cosmos/error-list-repository';
import { StorageResubmitQueue } from '../../adapters/storage/resubmit-queue';
import type { ErrorListRepository, ResubmitQueue } from '../../ports/error-lists';
import { getIntakeArchive, getOrderIntakeValidator } from '../intake/wiring';
import { getOrderRepository } from '../orders/wiring';
import { getClock, getContainer, getStorageClients } from '../platform/wiring';
import type { RecordInboundErrorDeps } from './record-inbound-error';
import type { ResubmitErrorDeps } from './resubmit-error';

/** The error lists (provider inbound, provider action, orchestration step, policy) in `jobs`. */
export async function getErrorListRepository(): Promise<ErrorListRepository> {
  return new CosmosErrorListRepository(await getContainer('jobs'), getClock());
}

export function getResubmitQueue(): ResubmitQueue {
  return new StorageResubmitQueue(getStorageClients().queues);
}

export async function resubmitErrorDeps(): Promise<ResubmitErrorDeps> {
  return { errors: await getErrorListRepository(), queue: getResubmitQueue(), clock: getClock() };
}

/** What recording a poisoned intake message needs: the lists, the archived body, the orders. */
export async function recordInboundErrorDeps(): Promise<RecordInboundErrorDeps> {
  return {
    errors: await getErrorListRepository(),
    archive: getIntakeArchive(),
    orders: await getOrderRepository(),
    validate: getOrderIntakeValidator(),
    clock: getClock(),
  };
}
