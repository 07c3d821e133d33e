import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { apiClient, type Json } from '../support/api-client';
import { waitFor } from '../support/wait-for';

// Orders carried by the default journeys from intake to completed on the local host (docs/journeys.md).
// One host with services of its own: a published journey runs every order of the store it is in.
const key = 'order-journeys-key';
let host: HostProcess;
const { call, ok } = apiClient(() => host.url, key);
let seq = 0;

interface OrderView {
  orderId: string;
  state: string;
  stateReason: string | null;
  lines: { lineId: string; state: string; stateReason: string | null }[];
  fulfillmentOrders: {
    id: string;
    sourceId: string;
    state: string;
    lines: { lineId: string; quantity: number }[];
  }[];
  journey: {
    id: string;
    version: number;
    status: string;
    step: string | null;
    resumeFrom?: { reason: string };
  } | null;
}

const getOrder = async (orderId: string) =>
  (await ok('GET', `/api/v1/orders/${orderId}`)) as unknown as OrderView;

async function postOrder(lines: { sku: string; quantity: number }[], extra: Json = {}): Promise<string> {
  seq += 1;
  const body = {
    externalId: `journey-${seq}`,
    currency: 'USD',
    customer: { email: `buyer-${seq}@example.com`, name: 'Buyer' },
    shipTo: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' },
    lines: lines.map((l) => ({ ...l, unitPrice: 1000 })),
    ...extra,
  };
  const accepted = await ok('POST', '/api/v1/orders', body);
  return accepted.orderId as string;
}

/** Waits until the order's journey reaches `status` (and, given, the step), answering the order. */
async function journeyReaches(orderId: string, status: string, step?: string): Promise<OrderView> {
  try {
    return await waitFor(
      async () => {
        const order = await getOrder(orderId).catch(() => undefined);
        const journey = order?.journey;
        return journey && journey.status === status && (step === undefined || journey.step === step)
          ? order
          : undefined;
      },
      { what: `order ${orderId}'s journey to be ${status}${step ? ` at ${step}` : ''}`, timeoutMs: 90_000 }
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${await whereItStands(orderId)}`, { cause: err });
  }
}

/** What a stalled order shows: its journey, its fulfillment orders, its timeline and the host's log. */
async function whereItStands(orderId: string): Promise<string> {
  const show = async (route: string) => {
    const answer = await call('GET', route).catch((err: Error) => ({
      status: 0,
      body: { error: err.message },
    }));
    return `${route}: ${answer.status} ${JSON.stringify(answer.body)}`;
  };
  const order = await getOrder(orderId).catch(() => undefined);
  const parts = [await show(`/api/v1/orders/${orderId}`), await show(`/api/v1/orders/${orderId}/timeline`)];
  for (const fo of order?.fulfillmentOrders ?? [])
    parts.push(await show(`/api/v1/fulfillment-orders/${fo.id}`));
  parts.push(`host log (last 6000 characters):\n${host.stderr().slice(-6000)}`);
  return parts.join('\n');
}

async function withFulfillmentOrders(orderId: string): Promise<OrderView> {
  return waitFor(
    async () => {
      const order = await getOrder(orderId).catch(() => undefined);
      return order &&
        order.fulfillmentOrders.length > 0 &&
        order.journey?.step === 'Wait for shipment' &&
        order.journey.status === 'waiting'
        ? order
        : undefined;
    },
    { what: `order ${orderId} to reach its fulfillment orders and wait for shipment`, timeoutMs: 90_000 }
  );
}

async function softReserved(sku: string, sourceId: string): Promise<number> {
  const answer = await ok('POST', '/api/v1/inventory/query', { skus: [sku], sourceIds: [sourceId] });
  const items = answer.items as { measures: Record<string, number> }[];
  return items[0]?.measures.softReserved ?? 0;
}

async function shipAll(order: OrderView): Promise<void> {
  for (const fo of order.fulfillmentOrders) {
    await ok('POST', `/api/v1/fulfillment-orders/${fo.id}/events`, {
      id: `ship-${fo.id}`,
      type: 'shipped',
      tracking: { carrier: 'UPS', number: `1Z${fo.id.slice(-8)}` },
    });
  }
}

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-order-journeys-'));
  host = await startHostProcess(
    { ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key, OPENIOM_SEED_JOURNEYS: 'true' },
    90_000
  );
  for (const sku of ['SKU-A', 'SKU-B', 'SKU-C']) await ok('PUT', `/api/v1/products/${sku}`, { name: sku });
  const source = (postalCode: string, city: string) => ({
    name: city,
    type: 'warehouse',
    address: { postalCode, city, country: 'US' },
    online: true,
  });
  await ok('PUT', '/api/v1/sources/WH-EAST', source('10001', 'New York'));
  await ok('PUT', '/api/v1/sources/WH-WEST', source('90001', 'Los Angeles'));
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku: 'SKU-A', sourceId: 'WH-EAST', measure: 'onhand', quantity: 1000 },
    { sku: 'SKU-B', sourceId: 'WH-WEST', measure: 'onhand', quantity: 1000 },
  ]);
}, 200_000);

afterAll(async () => {
  await host?.stop();
});

it('carries an order from intake to completed: fulfillment orders per source, reservations, shipment, email, invoice', async () => {
  const orderId = await postOrder([
    { sku: 'SKU-A', quantity: 2 },
    { sku: 'SKU-B', quantity: 1 },
  ]);
  const waiting = await withFulfillmentOrders(orderId);
  expect(waiting.state).toBe('fulfillment in process');
  expect(waiting.journey).toMatchObject({ id: 'default-order', version: 1, status: 'waiting' });
  const bySource = Object.fromEntries(waiting.fulfillmentOrders.map((fo) => [fo.sourceId, fo]));
  expect(Object.keys(bySource).sort()).toEqual(['WH-EAST', 'WH-WEST']);
  expect(bySource['WH-EAST']!.lines).toEqual([expect.objectContaining({ lineId: '1', quantity: 2 })]);
  expect(bySource['WH-WEST']!.lines).toEqual([expect.objectContaining({ lineId: '2', quantity: 1 })]);
  const reservedBefore = await softReserved('SKU-A', 'WH-EAST');
  expect(reservedBefore).toBeGreaterThanOrEqual(2);

  await shipAll(waiting);
  const done = await journeyReaches(orderId, 'completed');
  expect(done.state).toBe('completed');
  expect(done.lines.map((l) => l.state)).toEqual(['completed', 'completed']);
  expect(await softReserved('SKU-A', 'WH-EAST')).toBe(reservedBefore - 2);

  const timeline = (await ok('GET', `/api/v1/orders/${orderId}/timeline`)).items as {
    kind: string;
    name: string;
    entityType: string;
  }[];
  // The fulfillment orders' journeys write to this timeline too, with step names of their own kind.
  const names = timeline.filter((e) => e.entityType === 'order').map((e) => e.name);
  const inOrder = [
    'New Order',
    'Validate order header',
    'Validation of Order Header has Succeeded',
    'Validate order lines',
    'Send order confirmation',
    'Optimize fulfillment',
    'Soft reserve inventory',
    'Order Header Ready to be Fulfilled',
    'Create fulfillment orders',
    'Send to fulfillment',
    'Wait for shipment',
    'Order Fulfilled',
    'Send shipment email',
  ];
  const positions = inOrder.map((name) => names.indexOf(name));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);

  const outbox = (await ok('GET', `/api/v1/outbox?orderId=${orderId}`)).items as { templateId: string }[];
  expect(outbox.map((m) => m.templateId)).toEqual(['order-confirmation', 'order-shipped']);
  await waitFor(
    async () => {
      const invoices = (await ok('GET', `/api/v1/orders/${orderId}/invoices`)).items as unknown[];
      return invoices.length === 2 ? invoices : undefined;
    },
    { what: 'an invoice per shipped fulfillment order', timeoutMs: 90_000 }
  );
}, 200_000);

it('merges two orders of one customer and ship-to inside the merge window, and not with a window of 0', async () => {
  const strategy = (mergeWindowSeconds: number) =>
    ok('PUT', '/api/v1/fulfillment/strategies/default', {
      name: 'Default',
      isDefault: true,
      objective: 'distance',
      constraints: [],
      mergeWindowSeconds,
    });
  const sameCustomer = { customer: { email: 'merge@example.com' } };
  try {
    await strategy(2);
    const first = await postOrder([{ sku: 'SKU-A', quantity: 1 }], sameCustomer);
    const second = await postOrder([{ sku: 'SKU-A', quantity: 3 }], sameCustomer);
    const [a, b] = await Promise.all([withFulfillmentOrders(first), withFulfillmentOrders(second)]);
    expect(a.fulfillmentOrders.map((fo) => fo.id)).toEqual(b.fulfillmentOrders.map((fo) => fo.id));
    const fo = (await ok('GET', `/api/v1/fulfillment-orders/${a.fulfillmentOrders[0]!.id}`)) as {
      orderIds: string[];
    };
    expect(fo.orderIds.sort()).toEqual([first, second].sort());

    await strategy(0);
    const third = await postOrder([{ sku: 'SKU-A', quantity: 1 }], sameCustomer);
    const fourth = await postOrder([{ sku: 'SKU-A', quantity: 1 }], sameCustomer);
    const [c, d] = await Promise.all([withFulfillmentOrders(third), withFulfillmentOrders(fourth)]);
    expect(c.fulfillmentOrders[0]!.id).not.toBe(d.fulfillmentOrders[0]!.id);
  } finally {
    await strategy(0);
  }
}, 200_000);

it('holds an order failing header validation with the reason; fixed and reprocessed, it goes on', async () => {
  const orderId = await postOrder([{ sku: 'SKU-A', quantity: 1 }], { customer: {} });
  const failed = await journeyReaches(orderId, 'failed', 'Validate order header');
  expect(failed.state).toBe('on hold');
  expect(failed.stateReason).toBe('order validation failed');
  expect(failed.journey!.resumeFrom!.reason).toMatch(/customer: needs an email, a name or an account id/);
  const errors = (await ok('GET', '/api/v1/errors?list=orchestration-step')).items as {
    orderId: string;
    detail: string;
  }[];
  expect(errors.find((e) => e.orderId === orderId)?.detail).toMatch(/customer/);

  const early = await call('POST', `/api/v1/orders/${orderId}/resume`);
  expect(early.status).toBe(409);
  await ok('PATCH', `/api/v1/orders/${orderId}`, { customer: { email: 'fixed@example.com' } });
  expect((await call('POST', `/api/v1/orders/${orderId}/reprocess`)).status).toBe(202);
  const waiting = await withFulfillmentOrders(orderId);
  expect(waiting.state).toBe('fulfillment in process');
  await shipAll(waiting);
  await journeyReaches(orderId, 'completed');
}, 200_000);

it('holds an order for stock that is not there; when stock arrives the hold releases and the journey goes on', async () => {
  const orderId = await postOrder([{ sku: 'SKU-C', quantity: 4 }]);
  const held = await journeyReaches(orderId, 'waiting', 'Soft reserve inventory');
  expect(held.lines[0]).toMatchObject({ state: 'on hold', stateReason: 'backorder hold' });
  expect(held.fulfillmentOrders).toEqual([]);

  await ok('POST', '/api/v1/inventory/onhand/bulk', [
    { id: `arrival-${orderId}`, sku: 'SKU-C', sourceId: 'WH-WEST', measure: 'onhand', quantity: 10 },
  ]);
  await ok('POST', '/api/v1/inventory/holds/recheck');
  const released = await withFulfillmentOrders(orderId);
  expect(released.fulfillmentOrders).toEqual([
    expect.objectContaining({ sourceId: 'WH-WEST', lines: [expect.objectContaining({ quantity: 4 })] }),
  ]);
  expect(await softReserved('SKU-C', 'WH-WEST')).toBe(4);
}, 200_000);

it('pauses and resumes a waiting journey', async () => {
  const orderId = await postOrder([{ sku: 'SKU-A', quantity: 1 }]);
  const waiting = await withFulfillmentOrders(orderId);
  expect((await call('POST', `/api/v1/orders/${orderId}/pause`)).status).toBe(202);
  await journeyReaches(orderId, 'paused');
  await shipAll(waiting);
  // The shipment is held while the journey is paused; the order itself moves with its lines.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect((await getOrder(orderId)).journey?.status).toBe('paused');
  expect((await call('POST', `/api/v1/orders/${orderId}/resume`)).status).toBe(202);
  await journeyReaches(orderId, 'completed');
}, 200_000);

it('lets instances in flight finish on the version they started with while new orders use the new one', async () => {
  const onV1 = await postOrder([{ sku: 'SKU-A', quantity: 1 }]);
  const waitingOnV1 = await withFulfillmentOrders(onV1);
  expect(waitingOnV1.journey!.version).toBe(1);

  const current = (await ok('GET', '/api/v1/journeys/default-order')) as {
    steps: Json[];
    name: string;
    type: string;
  };
  const steps = current.steps.map((step) =>
    step.name === 'Send shipment email' ? { ...step, emailTemplateId: 'order-confirmation' } : step
  );
  await ok('PUT', '/api/v1/journeys/default-order', { name: current.name, type: current.type, steps });
  expect((await ok('POST', '/api/v1/journeys/default-order/publish')).version).toBe(2);

  const onV2 = await postOrder([{ sku: 'SKU-A', quantity: 1 }]);
  const waitingOnV2 = await withFulfillmentOrders(onV2);
  expect(waitingOnV2.journey!.version).toBe(2);

  await shipAll(waitingOnV1);
  await shipAll(waitingOnV2);
  expect((await journeyReaches(onV1, 'completed')).journey!.version).toBe(1);
  expect((await journeyReaches(onV2, 'completed')).journey!.version).toBe(2);
  const templates = async (orderId: string) =>
    ((await ok('GET', `/api/v1/outbox?orderId=${orderId}`)).items as { templateId: string }[]).map(
      (m) => m.templateId
    );
  expect(await templates(onV1)).toEqual(['order-confirmation', 'order-shipped']);
  expect(await templates(onV2)).toEqual(['order-confirmation', 'order-confirmation']);
}, 200_000);

it('cancels an order waiting for shipment: fulfillment order cancelled, reservation released, journey cancelled', async () => {
  const reservedBefore = await softReserved('SKU-A', 'WH-EAST');
  const orderId = await postOrder([{ sku: 'SKU-A', quantity: 5 }]);
  const waiting = await withFulfillmentOrders(orderId);
  expect(await softReserved('SKU-A', 'WH-EAST')).toBe(reservedBefore + 5);

  const cancelled = await call('POST', `/api/v1/orders/${orderId}/cancel`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ state: 'cancelled' });
  const fo = (await ok('GET', `/api/v1/fulfillment-orders/${waiting.fulfillmentOrders[0]!.id}`)) as {
    state: string;
  };
  expect(fo.state).toBe('cancelled');
  expect(await softReserved('SKU-A', 'WH-EAST')).toBe(reservedBefore);
  const ended = await journeyReaches(orderId, 'cancelled');
  expect(ended.lines.map((l) => l.state)).toEqual(['cancelled']);

  const again = await call('POST', `/api/v1/orders/${orderId}/cancel`);
  expect(again.status).toBe(200);
  const shipped = await postOrder([{ sku: 'SKU-A', quantity: 1 }]);
  await shipAll(await withFulfillmentOrders(shipped));
  await journeyReaches(shipped, 'completed');
  const refused = await call('POST', `/api/v1/orders/${shipped}/cancel`);
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ status: 409 });
}, 200_000);

it('shows an illegal transition as a step error, not a crash', async () => {
  await ok('PUT', '/api/v1/journeys/illegal', {
    name: 'Fulfilled too early',
    type: 'order',
    steps: [
      {
        name: 'Claim fulfilled',
        action: 'custom',
        inputEvents: ['New Order'],
        successEvent: 'Order Fulfilled',
      },
      { kind: 'exit', name: 'Done', inputEvents: ['Order Fulfilled'] },
    ],
  });
  await ok('POST', '/api/v1/journeys/illegal/publish');
  try {
    const orderId = await postOrder([{ sku: 'SKU-A', quantity: 1 }]);
    const failed = await journeyReaches(orderId, 'failed', 'Claim fulfilled');
    expect(failed.journey!.resumeFrom!.reason).toMatch(/Order Fulfilled/);
    expect(failed.state).toBe('new');
    const timeline = (await ok('GET', `/api/v1/orders/${orderId}/timeline`)).items as {
      kind: string;
      name: string;
    }[];
    expect(timeline.some((e) => e.kind === 'error' && e.name === 'Claim fulfilled')).toBe(true);
  } finally {
    await ok('POST', '/api/v1/journeys/illegal/unpublish');
  }
}, 200_000);
