import { toCloudEvent } from '../../shared/domain/events/cloud-event';
import {
  createServiceBusClient,
  ServiceBusBusinessEventPublisher,
} from '../../shared/adapters/servicebus/business-event-topic';
import { loadConfig } from '../../shared/config';
import { startServiceBusBroker, type ServiceBusBroker } from '../support/service-bus-broker';
import { waitFor } from '../support/wait-for';

// Business events on a Service Bus topic when SERVICEBUS_CONNECTION is set, through the real SDK to a
// local AMQP listener (test/support/service-bus-broker.ts: Service Bus itself cannot run here).
let broker: ServiceBusBroker;

beforeAll(async () => {
  broker = await startServiceBusBroker();
});

afterAll(async () => {
  await broker?.close();
});

function event(n: number) {
  return toCloudEvent({
    id: `evt-${n}`,
    name: 'New Order',
    entityType: 'order',
    entityId: `ORD-${n}`,
    orderId: `ORD-${n}`,
    occurredAt: '2026-11-27T12:00:00.000Z',
  });
}

it('publishes each CloudEvent as one structured-mode message with its id, type and filter properties', async () => {
  const config = loadConfig({
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    COSMOS_ENDPOINT: 'http://127.0.0.1:1',
    COSMOS_KEY: 'k',
    SERVICEBUS_CONNECTION: broker.connectionString,
  });
  const client = createServiceBusClient(config.serviceBusConnection!);
  const publisher = new ServiceBusBusinessEventPublisher(client, 'business-events');
  try {
    const events = [1, 2, 3].map(event);
    await publisher.publish(events);
    await publisher.publish([]);
    await waitFor(() => broker.received.length >= 3, { what: 'three messages at the broker' });
    expect(broker.received).toHaveLength(3);
    broker.received.forEach((arrived, index) => {
      const sent = events[index]!;
      expect(arrived.address).toBe('business-events');
      expect(arrived.message.message_id).toBe(sent.id);
      expect(arrived.message.subject).toBe(sent.type);
      expect(arrived.message.content_type).toBe('application/cloudevents+json');
      expect(arrived.message.application_properties).toEqual({
        name: 'New Order',
        entityType: 'order',
        orderId: sent.data.orderId,
      });
      expect(arrived.json).toEqual(sent);
    });
  } finally {
    await publisher.close();
    await client.close();
  }
});
