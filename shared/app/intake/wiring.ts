import { getIntakeCounters } from '../metrics/wiring';
import { CosmosIntakeClaims } from '../../adapters/cosmos/intake-claims';
import { BlobIntakeArchive } from '../../adapters/storage/intake-archive';
import { StorageIntakeQueue } from '../../adapters/storage/intake-queue';
import { getConfig } from '../../config';
import type { OrderIntake } from '../../domain/orders/order';
import { intakeQueueName } from '../../ports/binding-names';
import type { IntakeArchive, IntakeClaims, IntakeQueue } from '../../ports/orders';
import { orderIntakeSchema } from '../../schemas/order-intake.schema';
import { compileValidator } from '../../schemas/validator';
import { getOrderLineMeter } from '../meter/wiring';
import { getOrderRepository } from '../orders/wiring';
import {
  getClock,
  getContainer,
  getIdGenerator,
  getJourneySignals,
  getStorageClients,
} from '../platform/wiring';
import { memo } from '../registry';
import { getStateFrameworkConfig } from '../states/wiring';
import { getBusinessEventPublisher } from '../events/wiring';
import { getJourneysInForce } from '../journeys/wiring';
import type { AcceptOrderDeps } from './accept-order';
import type { CreateQueuedOrdersDeps } from './create-order';

export {
  intakeMaxDequeueCount,
  intakePoisonQueueName,
  intakeQueueName,
  serviceBusIntakeQueueName,
} from '../../ports/binding-names';

/** The validator of `POST /api/v1/orders` bodies, with the configured line limit. */
export function getOrderIntakeValidator(): (input: unknown) => OrderIntake {
  return memo('validator:order-intake', () =>
    compileValidator<OrderIntake>(orderIntakeSchema(getConfig().maxOrderLines), 'order')
  );
}

/** Idempotency-Key claims in `intake`. */
export async function getIntakeClaims(): Promise<IntakeClaims> {
  return new CosmosIntakeClaims(await getContainer('intake'), getClock());
}

// Memoized: each adapter creates its container or queue once, not on every request.
export function getIntakeArchive(): IntakeArchive {
  return memo<IntakeArchive>(
    'intake-archive',
    () => new BlobIntakeArchive(getStorageClients().blobs.getContainerClient(BlobIntakeArchive.containerName))
  );
}

export function getIntakeQueue(): IntakeQueue {
  return memo<IntakeQueue>(
    'intake-queue',
    () => new StorageIntakeQueue(getStorageClients().queues.getQueueClient(intakeQueueName))
  );
}

/** What direct intake (`POST /api/v1/orders`) needs. */
export async function acceptOrderDeps(): Promise<AcceptOrderDeps> {
  return {
    validate: getOrderIntakeValidator(),
    claims: await getIntakeClaims(),
    archive: getIntakeArchive(),
    queue: getIntakeQueue(),
    ids: getIdGenerator(),
    clock: getClock(),
    counters: await getIntakeCounters(),
  };
}

/** What the intake queue's consumer needs; an intake that fails in a group is queued again alone. */
export async function createQueuedOrdersDeps(): Promise<CreateQueuedOrdersDeps> {
  const queue = getIntakeQueue();
  return {
    validate: getOrderIntakeValidator(),
    archive: getIntakeArchive(),
    orders: await getOrderRepository(),
    clock: getClock(),
    meter: await getOrderLineMeter(),
    config: await getStateFrameworkConfig(),
    journeyFor: async (orderId) => (await getJourneysInForce()).refFor('order', orderId),
    signals: getJourneySignals(),
    publisher: getBusinessEventPublisher(),
    requeue: (intake) => queue.sendAlone(intake),
    counters: await getIntakeCounters(),
  };
}
