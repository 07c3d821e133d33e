import { CosmosErrorListRepository } from '../../adapters/cosmos/error-list-repository';
import { ServiceBusQueues } from '../../adapters/servicebus/service-bus-queues';
import { StorageResubmitQueue } from '../../adapters/storage/resubmit-queue';
import { serviceBusQueuePrefix } from '../../ports/binding-names';
import type { ErrorListRepository, ResubmitQueue } from '../../ports/error-lists';
import type { AcceptBusOrderDeps } from '../intake/accept-bus-order';
import { acceptOrderDeps, getIntakeArchive, getOrderIntakeValidator } from '../intake/wiring';
import { getOrderRepository } from '../orders/wiring';
import { getClock, getContainer, getServiceBusClient, getStorageClients } from '../platform/wiring';
import { memo } from '../registry';
import type { RecordInboundErrorDeps } from './record-inbound-error';
import type { ResubmitErrorDeps } from './resubmit-error';

/** The error lists (provider inbound, provider action, orchestration step, policy) in `jobs`. */
export async function getErrorListRepository(): Promise<ErrorListRepository> {
  return new CosmosErrorListRepository(await getContainer('jobs'), getClock());
}

/** Storage queues by name; `servicebus:{queue}` names a Service Bus queue. */
export function getResubmitQueue(): ResubmitQueue {
  return memo<ResubmitQueue>('resubmit-queue', () => {
    const storage = new StorageResubmitQueue(getStorageClients().queues);
    const serviceBus = getServiceBusClient();
    const bus = serviceBus === undefined ? undefined : new ServiceBusQueues(serviceBus);
    return {
      send: (queue, text) => {
        if (!queue.startsWith(serviceBusQueuePrefix)) return storage.send(queue, text);
        if (bus === undefined) throw new Error(`${queue}: SERVICEBUS_CONNECTION is not set.`);
        return bus.send(queue.slice(serviceBusQueuePrefix.length), text);
      },
    };
  });
}

/** What a Service Bus order message needs: direct intake's pipeline, and the error list for a bad one. */
export async function acceptBusOrderDeps(): Promise<AcceptBusOrderDeps> {
  return { ...(await acceptOrderDeps()), errors: await getErrorListRepository() };
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
