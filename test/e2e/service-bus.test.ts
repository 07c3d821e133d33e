import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { apiClient, type Json } from '../support/api-client';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// Service Bus on one machine, as a user meets it: `npm start`'s host starts the local broker and
// prints its connection string; the real `@azure/service-bus` client reads every business event of
// an order's journey from `business-events/all`, and orders sent to the queue `order-intake-sb` take
// the intake pipeline.
const key = 'service-bus-key';
let host: HostProcess;
let bus: ServiceBusClient;
const { ok } = apiClient(() => host.url, key);

interface OrderView {
  orderId: string;
  externalId: string;
  fulfillmentOrders: { id: string }[];
  journey: { status: string; step: string | null } | null;
}

const order = async (orderId: string) =>
  (await ok('GET', `/api/v1/orders/${orderId}`)) as unknown as OrderView;

function orderBody(externalId: string) {
  return {
    externalId,
    currency: 'USD',
    customer: { email: `${externalId.toLowerCase()}@example.com`, name: 'Bus Buyer' },
    shipTo: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' },
    lines: [{ sku: 'BUS-SKU', quantity: 1, unitPrice: 1500 }],
  };
}

async function ordersWithExternalId(externalId: string): Promise<OrderView[]> {
  return (await ok('GET', `/api/v1/orders?externalId=${encodeURIComponent(externalId)}`))
    .items as OrderView[];
}

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-service-bus-'));
  host = await startHostProcess(
    {
      ...ownServicesEnv(dataDir),
      SERVICEBUS_CONNECTION: '',
      OPENIOM_FUNCTIONS_KEY: key,
      OPENIOM_SEED_JOURNEYS: 'true',
    },
    90_000
  );
  const connection = /^servicebus: (Endpoint=sb:\/\/\S+)$/m.exec(host.stdout)?.[1];
  if (connection === undefined) throw new Error(`no servicebus line in:\n${host.stdout}`);
  bus = new ServiceBusClient(connection);
  await ok('PUT', '/api/v1/products/BUS-SKU', { name: 'BUS-SKU' });
  await ok('PUT', '/api/v1/sources/WH-BUS', {
    name: 'New York',
    type: 'warehouse',
    address: { postalCode: '10001', city: 'New York', country: 'US' },
    online: true,
  });
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku: 'BUS-SKU', sourceId: 'WH-BUS', measure: 'onhand', quantity: 100 },
  ]);
}, 200_000);

afterAll(async () => {
  await bus?.close();
  await host?.stop();
});

it('delivers every business event of two orders journeys to the all subscription, in order per order', async () => {
  const receiver = bus.createReceiver('business-events', 'all');
  const received: ServiceBusReceivedMessage[] = [];
  try {
    const orderIds: string[] = [];
    for (const externalId of ['BUS-1', 'BUS-2'])
      orderIds.push((await ok('POST', '/api/v1/orders', orderBody(externalId))).orderId as string);
    for (const orderId of orderIds) {
      const waiting = await waitFor(
        async () => {
          const view = await order(orderId);
          return view.journey?.step === 'Wait for shipment' && view.fulfillmentOrders.length > 0
            ? view
            : undefined;
        },
        { what: `order ${orderId} to wait for shipment`, timeoutMs: 90_000 }
      );
      for (const fo of waiting.fulfillmentOrders)
        await ok('POST', `/api/v1/fulfillment-orders/${fo.id}/events`, {
          id: `ship-${fo.id}`,
          type: 'shipped',
          tracking: { carrier: 'UPS', number: `1Z${fo.id.slice(-8)}` },
        });
    }
    for (const orderId of orderIds)
      await waitFor(async () => ((await order(orderId)).journey?.status === 'completed' ? true : undefined), {
        what: `order ${orderId}'s journey to complete`,
        timeoutMs: 90_000,
      });

    // Peek-lock: each message is completed once read, as a subscriber that must not lose one would.
    const expected = new Map<string, string[]>();
    for (const orderId of orderIds) {
      const timeline = (await ok('GET', `/api/v1/orders/${orderId}/timeline`)).items as {
        kind: string;
        name: string;
      }[];
      expected.set(
        orderId,
        timeline.filter((entry) => entry.kind === 'event').map((entry) => entry.name)
      );
    }
    const namesOf = (orderId: string) =>
      received
        .filter((m) => m.applicationProperties?.orderId === orderId)
        .map((m) => (m.body as { data: { name: string } }).data.name);
    const complete = () => orderIds.every((id) => namesOf(id).length >= expected.get(id)!.length);
    await waitFor(
      async () => {
        for (const message of await receiver.receiveMessages(50, { maxWaitTimeInMs: 500 })) {
          received.push(message);
          await receiver.completeMessage(message);
        }
        return complete() ? true : undefined;
      },
      { what: 'the business events of both orders', timeoutMs: 60_000 }
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}: ${JSON.stringify(orderIds.map((id) => ({ expected: expected.get(id), got: namesOf(id) })))}`
      );
    });
    for (const orderId of orderIds) {
      expect(namesOf(orderId)).toEqual(expected.get(orderId));
      expect(namesOf(orderId).length).toBeGreaterThan(5);
    }
    // Each message is a CloudEvent whose id is the message id (the topic's duplicate detection key).
    for (const message of received) {
      const event = message.body as { id: string; specversion: string };
      expect(event.specversion).toBe('1.0');
      expect(message.messageId).toBe(event.id);
    }
  } finally {
    await receiver.close();
  }
}, 240_000);

it('creates an order sent to the order-intake-sb queue once, however often it is sent', async () => {
  const sender = bus.createSender('order-intake-sb');
  try {
    const body = orderBody('BUS-QUEUE-1');
    await sender.sendMessages({ body, messageId: 'bus-order-1', contentType: 'application/json' });
    await sender.sendMessages({ body, messageId: 'bus-order-1-again', contentType: 'application/json' });
    const [created] = await waitFor(
      async () => {
        const found = await ordersWithExternalId('BUS-QUEUE-1');
        return found.length > 0 ? found : undefined;
      },
      { what: 'the order sent on Service Bus', timeoutMs: 60_000 }
    );
    await waitFor(
      async () => {
        const view = await order(created!.orderId);
        return view.journey !== null ? view : undefined;
      },
      { what: 'its journey to start', timeoutMs: 60_000 }
    );
    // The second copy has had time to be taken in: it is a duplicate, not a second order.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await ordersWithExternalId('BUS-QUEUE-1')).toHaveLength(1);
  } finally {
    await sender.close();
  }
}, 200_000);

it('keeps a message that is not an order on the provider-inbound error list, and resubmits it to its queue', async () => {
  const sender = bus.createSender('order-intake-sb');
  try {
    const bad = { externalId: 'BUS-BAD-1', currency: 'USD', lines: [] };
    await sender.sendMessages({ body: bad, messageId: 'bus-bad-1', contentType: 'application/json' });
    const listed = async () =>
      ((await ok('GET', '/api/v1/errors?list=provider-inbound')).items as Json[]).filter(
        (entry) => entry.source === 'servicebus:order-intake-sb'
      );
    const [entry] = await waitFor(
      async () => {
        const entries = await listed();
        return entries.length > 0 ? entries : undefined;
      },
      { what: 'the error entry of the bad message', timeoutMs: 60_000 }
    );
    expect(entry).toMatchObject({
      messageId: 'bus-bad-1',
      step: 'validation',
      status: 'open',
      queue: 'servicebus:order-intake-sb',
    });
    expect(JSON.parse(entry!.payload as string)).toEqual(bad);
    expect(String(entry!.detail)).toMatch(/shipTo|customer|lines/);

    const resubmitted = await ok(
      'POST',
      `/api/v1/errors/${String(entry!.id)}/resubmit?list=provider-inbound`
    );
    expect(resubmitted.status).toBe('resubmitted');
    // It went back to the Service Bus queue and through intake again: refused again, as a new message.
    await waitFor(async () => ((await listed()).length >= 2 ? true : undefined), {
      what: 'the resubmitted message to come back through the queue',
      timeoutMs: 60_000,
    });
    expect(await ordersWithExternalId('BUS-BAD-1')).toHaveLength(0);
  } finally {
    await sender.close();
  }
}, 200_000);
