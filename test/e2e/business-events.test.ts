import { ServiceBusClient } from '@azure/service-bus';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// Raising business events through POST /api/v1/events on an order taken in by direct intake.
const key = 'events-key';
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
let host: HostProcess;
let orderId: string;

async function raise(body: unknown) {
  const res = await fetch(`${host.url}/api/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function order(): Promise<{
  state: string;
  stateReason: string | null;
  lines: { lineId: string; state: string }[];
}> {
  return (await (await fetch(`${host.url}/api/v1/orders/${orderId}`, { headers })).json()) as never;
}

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-events-')),
  });
  const res = await fetch(`${host.url}/api/v1/orders`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      externalId: `events-${Date.now()}`,
      currency: 'USD',
      customer: {},
      shipTo: { postalCode: '98052', country: 'US' },
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 2 },
      ],
    }),
  });
  orderId = ((await res.json()) as { orderId: string }).orderId;
  await waitFor(
    async () => (await fetch(`${host.url}/api/v1/orders/${orderId}`, { headers })).status === 200,
    {
      what: 'the order',
    }
  );
});

afterAll(async () => {
  await host?.stop();
});

it('moves the order through a transition, records it on the timeline and publishes a CloudEvent', async () => {
  const raised = await raise({
    id: 'hdr-ok',
    name: 'Validation of Order Header has Succeeded',
    entityType: 'order',
    entityId: orderId,
  });
  expect(raised.status).toBe(201);
  expect(await order()).toMatchObject({ state: 'in progress', stateReason: 'order validation succeeded' });

  const timeline = (await (
    await fetch(`${host.url}/api/v1/orders/${orderId}/timeline`, { headers })
  ).json()) as {
    items: { name: string; fromState?: string; toState?: string }[];
  };
  expect(timeline.items.at(-1)).toMatchObject({
    name: 'Validation of Order Header has Succeeded',
    fromState: 'new',
    toState: 'in progress',
  });

  // The host started its own Service Bus broker (npm start does) and printed its connection string.
  const connection = /^servicebus: (Endpoint=sb:\/\/\S+)$/m.exec(host.stdout)?.[1];
  expect(connection).toBeDefined();
  const client = new ServiceBusClient(connection!);
  const receiver = client.createReceiver('business-events', 'all', { receiveMode: 'receiveAndDelete' });
  let cloudEvent: Record<string, unknown> | undefined;
  try {
    cloudEvent = await waitFor(
      async () => {
        const messages = await receiver.receiveMessages(10, { maxWaitTimeInMs: 500 });
        return messages
          .map((m) => m.body as Record<string, unknown>)
          .find((e) => e.id === 'hdr-ok' && String(e.source).endsWith(orderId));
      },
      { what: 'the CloudEvent on the business-events topic' }
    );
  } finally {
    await receiver.close();
    await client.close();
  }
  expect(cloudEvent).toMatchObject({
    specversion: '1.0',
    type: 'openiom.order.validation-of-order-header-has-succeeded',
    subject: `order/${orderId}`,
    datacontenttype: 'application/json',
  });
});

it('raises the same event id once only', async () => {
  const again = await raise({
    id: 'hdr-ok',
    name: 'Validation of Order Header has Succeeded',
    entityType: 'order',
    entityId: orderId,
  });
  expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
});

it('refuses a transition from a state that is not a source, naming the event, state and allowed sources', async () => {
  const refused = await raise({
    name: 'Validation of Order Header has Succeeded',
    entityType: 'order',
    entityId: orderId,
  });
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({
    status: 409,
    type: expect.stringContaining('transition-not-allowed'),
  });
  expect(String(refused.body.detail)).toMatch(
    /Validation of Order Header has Succeeded.*in progress.*new.*on hold/s
  );
  expect((await order()).state).toBe('in progress');
});

it('raises the order-level event when every line reaches the same state', async () => {
  await raise({
    name: 'Validation of Order Line has Succeeded',
    entityType: 'orderLine',
    entityId: '1',
    orderId,
  });
  let timeline = (await (
    await fetch(`${host.url}/api/v1/orders/${orderId}/timeline`, { headers })
  ).json()) as {
    items: { name: string; entityType: string }[];
  };
  expect(timeline.items.some((e) => e.name === 'Validation of Order Lines has Succeeded')).toBe(false);
  const last = await raise({
    name: 'Validation of Order Line has Succeeded',
    entityType: 'orderLine',
    entityId: '2',
    orderId,
  });
  expect(last.status).toBe(201);
  expect((await order()).lines.map((l) => l.state)).toEqual(['in progress', 'in progress']);
  timeline = (await (
    await fetch(`${host.url}/api/v1/orders/${orderId}/timeline`, { headers })
  ).json()) as never;
  expect(timeline.items.filter((e) => e.name === 'Validation of Order Lines has Succeeded')).toMatchObject([
    { entityType: 'order' },
  ]);
});

it('answers unknown event names, entities and orders with problem+json', async () => {
  const unknownName = await raise({ name: 'Order Teleported', entityType: 'order', entityId: orderId });
  expect(unknownName.status).toBe(400);
  expect(unknownName.body).toMatchObject({ errors: expect.any(Array) });
  const noLine = await raise({
    name: 'Validation of Order Line has Succeeded',
    entityType: 'orderLine',
    entityId: '99',
    orderId,
  });
  expect(noLine.status).toBe(404);
  const noOrder = await raise({ name: 'New Order', entityType: 'order', entityId: 'missing' });
  expect(noOrder.status).toBe(404);
  const noOrderId = await raise({
    name: 'Validation of Order Line has Succeeded',
    entityType: 'orderLine',
    entityId: '1',
  });
  expect(noOrderId).toMatchObject({ status: 400, body: { errors: [{ path: '/orderId' }] } });
});
