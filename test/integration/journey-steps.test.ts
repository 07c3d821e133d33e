import { orderRepositoryWith } from '../support/order-repository-with';
import { randomUUID } from 'node:crypto';
import { runJourneyStep, type JourneyStepDeps } from '../../shared/app/journey-runtime/run-journey-step';
import { journeyStepDeps } from '../../shared/app/journey-runtime/wiring';
import { fulfillmentOrderDeps } from '../../shared/app/fulfillment-orders/wiring';
import { getOrderRepository } from '../../shared/app/orders/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import { DEFAULT_JOURNEYS } from '../../shared/domain/journeys/default-journeys';
import { draftJourney } from '../../shared/domain/journeys/draft-journey';
import type { Journey } from '../../shared/domain/journeys/journey';
import type { JourneyInstanceInput } from '../../shared/domain/journeys/journey-runtime';
import { newOrder, type Order } from '../../shared/domain/orders/order';
import type { OrderRepository } from '../../shared/ports/orders';
import { getSourceRepository } from '../../shared/app/fulfillment/wiring';
import { applyInventoryChanges } from '../../shared/app/inventory/apply-inventory-changes';
import { queryInventory } from '../../shared/app/inventory/query-inventory';
import { getInventoryDeps } from '../../shared/app/inventory/wiring';
import { getCosmosDatabase, getGeocoder } from '../../shared/app/platform/wiring';
import { getProductRepository } from '../../shared/app/products/wiring';
import { sourceFromInput } from '../../shared/domain/fulfillment/source';
import { productFromInput } from '../../shared/domain/products/product';

// The step activity against the embedded Cosmos server: a step is done once, whatever Durable retries.

const saved = { ...process.env };
const journey: Journey = {
  ...draftJourney('default-order', DEFAULT_JOURNEYS[0]!, 1),
  status: 'published',
};

beforeAll(() => {
  process.env = { ...saved, COSMOS_DATABASE: `it-journey-steps-${randomUUID()}` };
  resetConfigForTests();
  resetRegistry();
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

/** An order whose lines are reserved, as the inventory step leaves it, waiting for its FOs. */
async function reservedOrder(): Promise<{ order: Order; input: JourneyInstanceInput }> {
  const orderId = randomUUID();
  const order = newOrder(
    {
      externalId: `IT-${orderId.slice(0, 8)}`,
      currency: 'USD',
      customer: { email: 'ann@example.com' },
      shipTo: { postalCode: '10001', country: 'US' },
      lines: [
        { sku: 'SHOE', quantity: 2 },
        { sku: 'HAT', quantity: 1 },
      ],
    },
    { orderId, intakeKey: orderId },
    new Date()
  );
  for (const line of order.lines) line.state = 'fulfillment in process';
  order.state = 'fulfillment in process';
  const input: JourneyInstanceInput = {
    journey: { instanceId: `order:${orderId}:default-order`, journeyId: 'default-order', version: 1 },
    type: 'order',
    entityId: orderId,
    orderId,
  };
  Object.assign(order, {
    journey: input.journey,
    reservations: {
      '1': { reservationId: `r-${orderId}-1`, sourceId: 'EAST', quantity: 2 },
      '2': { reservationId: `r-${orderId}-2`, sourceId: 'WEST', quantity: 1 },
    },
  });
  expect(await (await getOrderRepository()).createWithTimeline(order, [])).toBe('created');
  return { order, input };
}

async function deps(orders?: OrderRepository): Promise<JourneyStepDeps> {
  const real = await journeyStepDeps();
  return { ...real, journey: () => Promise.resolve(journey), ...(orders ? { orders } : {}) };
}

const createStep = (runId: string) => ({
  type: 'run' as const,
  runId,
  node: 'Create fulfillment orders',
  event: 'Order Header Ready to be Fulfilled',
});

it('a step that fails after its action wrote is retried without a second fulfillment order', async () => {
  const { order, input } = await reservedOrder();
  const real = await getOrderRepository();
  // The worker dies after the fulfillment orders exist, before the step's own write.
  const dying: OrderRepository = orderRepositoryWith(real, {
    saveWithTimeline: () => Promise.reject(new Error('worker died')),
  });
  const runId = `${input.journey.instanceId}:Create fulfillment orders:5`;
  await expect(runJourneyStep(await deps(dying), { input, command: createStep(runId) })).rejects.toThrow(
    'worker died'
  );
  const afterCrash = await (await fulfillmentOrderDeps()).fulfillmentOrders.forOrder(order.orderId);
  expect(afterCrash.map((v) => v.fulfillmentOrder.sourceId).sort()).toEqual(['EAST', 'WEST']);

  const retried = await runJourneyStep(await deps(), { input, command: createStep(runId) });
  expect(retried).toEqual({ type: 'succeeded' });
  const again = await runJourneyStep(await deps(), { input, command: createStep(runId) });
  expect(again).toEqual(retried);

  const fos = await (await fulfillmentOrderDeps()).fulfillmentOrders.forOrder(order.orderId);
  expect(fos.map((v) => v.fulfillmentOrder.id).sort()).toEqual(
    afterCrash.map((v) => v.fulfillmentOrder.id).sort()
  );
  const lines = fos.flatMap((v) => v.fulfillmentOrder.lines.map((l) => `${l.lineId}:${l.quantity}`)).sort();
  expect(lines).toEqual(['1:2', '2:1']);
  const stored = await real.stepResult(order.orderId, runId);
  expect(stored?.answer).toEqual({ type: 'succeeded' });
  const timeline = await real.timeline(order.orderId);
  expect(timeline.filter((e) => e.kind === 'step' && e.name === 'Create fulfillment orders')).toHaveLength(1);
  expect(timeline.filter((e) => e.name === 'Send fulfillment process request has Succeeded')).toHaveLength(1);
});

it('a reprocess runs the step again under a new run id and still creates nothing twice', async () => {
  const { order, input } = await reservedOrder();
  const first = `${input.journey.instanceId}:Create fulfillment orders:5`;
  const second = `${input.journey.instanceId}:Create fulfillment orders:9`;
  expect(await runJourneyStep(await deps(), { input, command: createStep(first) })).toEqual({
    type: 'succeeded',
  });
  const before = await (await fulfillmentOrderDeps()).fulfillmentOrders.forOrder(order.orderId);
  expect(await runJourneyStep(await deps(), { input, command: createStep(second) })).toEqual({
    type: 'succeeded',
  });
  const after = await (await fulfillmentOrderDeps()).fulfillmentOrders.forOrder(order.orderId);
  expect(after.map((v) => v.fulfillmentOrder.id).sort()).toEqual(
    before.map((v) => v.fulfillmentOrder.id).sort()
  );
});

it('an illegal transition fails the step with the reason and changes nothing on the order', async () => {
  const { order, input } = await reservedOrder();
  const illegal: Journey = {
    ...journey,
    steps: [
      {
        kind: 'step',
        name: 'Too early',
        action: 'custom',
        inputEvents: ['New Order'],
        successEvent: 'Backorder Hold Released',
      },
    ],
  };
  // `Backorder Hold Released` moves only an order on hold: refused from `fulfillment in process`.
  const answer = await runJourneyStep(
    { ...(await deps()), journey: () => Promise.resolve(illegal) },
    {
      input,
      command: {
        type: 'run',
        runId: `${input.journey.instanceId}:Too early:1`,
        node: 'Too early',
        event: 'New Order',
      },
    }
  );
  expect(answer).toMatchObject({ type: 'failed', reason: expect.stringMatching(/Backorder Hold Released/) });
  const stored = await (await getOrderRepository()).get(order.orderId);
  expect(stored?.state).toBe(order.state);
});

it('a soft reserve that stopped after reserving is finished by its retry: one reservation, recorded on the order', async () => {
  const sources = await getSourceRepository();
  if (!(await sources.get('SR-EAST'))) {
    await sources.create(
      sourceFromInput(
        'SR-EAST',
        {
          name: 'East',
          type: 'warehouse',
          address: { postalCode: '10001', country: 'US' },
          location: { lat: 40.7, lon: -74 },
          online: true,
        },
        undefined,
        getGeocoder(),
        new Date()
      )
    );
  }
  const sku = `SR-${randomUUID().slice(0, 8)}`;
  await (await getProductRepository()).create(productFromInput(sku, { name: sku }, undefined, new Date()));
  await applyInventoryChanges(await getInventoryDeps(), [
    { id: randomUUID(), sku, sourceId: 'SR-EAST', measure: 'onhand', quantity: 10 },
  ]);
  const orderId = randomUUID();
  const order = newOrder(
    {
      externalId: `IT-${orderId.slice(0, 8)}`,
      currency: 'USD',
      customer: {},
      shipTo: { postalCode: '10001', country: 'US' },
      lines: [{ sku, quantity: 2 }],
    },
    { orderId, intakeKey: orderId },
    new Date()
  );
  const input: JourneyInstanceInput = {
    journey: { instanceId: `order:${orderId}:default-order`, journeyId: 'default-order', version: 1 },
    type: 'order',
    entityId: orderId,
    orderId,
  };
  order.state = 'in progress';
  order.lines[0]!.state = 'in progress';
  Object.assign(order, {
    journey: input.journey,
    fulfillmentPlan: {
      strategyId: 'default',
      plannedAt: new Date().toISOString(),
      lines: [{ lineId: '1', status: 'fully-sourced', allocations: [{ sourceId: 'SR-EAST', quantity: 2 }] }],
    },
  });
  const real = await getOrderRepository();
  expect(await real.createWithTimeline(order, [])).toBe('created');
  const step = (runId: string) => ({
    type: 'run' as const,
    runId,
    node: 'Soft reserve inventory',
    event: 'Fulfillment optimization request succeeded',
  });
  const runId = `${input.journey.instanceId}:Soft reserve inventory:4`;
  // The worker dies after the line is reserved and moved on, before the step stores its result.
  const dying = orderRepositoryWith(real, {
    saveWithTimeline: () => Promise.reject(new Error('worker died')),
  });
  await expect(runJourneyStep(await deps(dying), { input, command: step(runId) })).rejects.toThrow(
    'worker died'
  );
  expect((await real.get(orderId))?.lines[0]?.state).toBe('fulfillment in process');

  const retried = await runJourneyStep(await deps(), { input, command: step(runId) });
  expect(retried).toMatchObject({ type: 'succeeded' });
  const stored = (await real.get(orderId)) as Order & {
    reservations?: Record<string, { sourceId: string; quantity: number }>;
  };
  expect(stored.reservations?.['1']).toMatchObject({ sourceId: 'SR-EAST', quantity: 2 });
  const { items } = await queryInventory(await getInventoryDeps(), { skus: [sku], sourceIds: ['SR-EAST'] });
  expect(items[0]?.measures.softReserved).toBe(2);
});
