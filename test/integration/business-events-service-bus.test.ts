import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import {
  startServiceBusBroker,
  type ServiceBusBroker,
} from '../../infra/local/services/service-bus/amqp-broker';
import { parseTopology } from '../../infra/local/services/service-bus/topology';
import { toCloudEvent } from '../../shared/domain/events/cloud-event';
import {
  createServiceBusClient,
  ServiceBusBusinessEventPublisher,
} from '../../shared/adapters/servicebus/business-event-topic';
import { loadConfig } from '../../shared/config';

// Business events on a Service Bus topic when SERVICEBUS_CONNECTION is set, through the real SDK to
// the local broker (infra/local/services/service-bus), read back from a subscription.
let broker: ServiceBusBroker;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'business-events-sb-'));
  broker = await startServiceBusBroker({
    directory: dataDir,
    topology: parseTopology({ topics: [{ name: 'business-events', subscriptions: [{ name: 'all' }] }] }),
  });
});

afterAll(async () => {
  await broker?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
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
  const reader = new ServiceBusClient(broker.connectionString);
  const receiver = reader.createReceiver('business-events', 'all', { receiveMode: 'receiveAndDelete' });
  try {
    const events = [1, 2, 3].map(event);
    await publisher.publish(events);
    await publisher.publish([]);
    const received: ServiceBusReceivedMessage[] = [];
    const deadline = Date.now() + 10_000;
    while (received.length < 3 && Date.now() < deadline) {
      received.push(...(await receiver.receiveMessages(3 - received.length, { maxWaitTimeInMs: 500 })));
    }
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    expect(received).toHaveLength(3);
    received.forEach((arrived, index) => {
      const sent = events[index]!;
      expect(arrived.messageId).toBe(sent.id);
      expect(arrived.subject).toBe(sent.type);
      expect(arrived.contentType).toBe('application/cloudevents+json');
      expect(arrived.applicationProperties).toEqual({
        name: 'New Order',
        entityType: 'order',
        orderId: sent.data.orderId,
      });
      expect(arrived.body).toEqual(sent);
    });
  } finally {
    await receiver.close();
    await reader.close();
    await publisher.close();
    await client.close();
  }
});
