import { ServiceBusBusinessEventPublisher } from '../../adapters/servicebus/business-event-topic';
import { QueueBusinessEventPublisher } from '../../adapters/storage/business-event-queue';
import { businessEventsQueueName, businessEventsTopicName } from '../../ports/binding-names';
import type { BusinessEventPublisher } from '../../ports/orders';
import { businessEventRequestSchema, type BusinessEventRequest } from '../../schemas/business-event.schema';
import { compileValidator } from '../../schemas/validator';
import { getOrderRepository } from '../orders/wiring';
import {
  getClock,
  getIdGenerator,
  getJourneySignals,
  getServiceBusClient,
  getStorageClients,
} from '../platform/wiring';
import { memo } from '../registry';
import { getStateFrameworkConfig } from '../states/wiring';
import type { RaiseBusinessEventDeps } from './raise-business-event';

export function getBusinessEventValidator(): (input: unknown) => BusinessEventRequest {
  return memo('validator:business-event', () =>
    compileValidator<BusinessEventRequest>(businessEventRequestSchema, 'event')
  );
}

/** The `business-events` Service Bus topic when SERVICEBUS_CONNECTION is set, else the storage queue. */
export function getBusinessEventPublisher(): BusinessEventPublisher {
  return memo<BusinessEventPublisher>('business-event-publisher', () => {
    const serviceBus = getServiceBusClient();
    return serviceBus === undefined
      ? new QueueBusinessEventPublisher(getStorageClients().queues.getQueueClient(businessEventsQueueName))
      : new ServiceBusBusinessEventPublisher(serviceBus, businessEventsTopicName);
  });
}

/** What raising a business event needs (the events API, and the hold steps that raise them). */
export async function raiseEventDeps(): Promise<RaiseBusinessEventDeps> {
  return {
    validate: getBusinessEventValidator(),
    orders: await getOrderRepository(),
    publisher: getBusinessEventPublisher(),
    config: await getStateFrameworkConfig(),
    ids: getIdGenerator(),
    clock: getClock(),
    signals: getJourneySignals(),
  };
}
