import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers } from '../../shared/adapters/cosmos/containers';
import { CosmosFulfillmentOrderRepository } from '../../shared/adapters/cosmos/fulfillment-order-repository';
import { CosmosOrderRepository } from '../../shared/adapters/cosmos/order-repository';
import type { OrderQueryDeps } from '../../shared/app/orders/get-order';
import { listOrders } from '../../shared/app/orders/list-orders';
import { ValidationError } from '../../shared/domain/errors';
import type { Order } from '../../shared/domain/orders/order';

/** GET /api/v1/orders' filters against the embedded Cosmos server of global setup. */

const databaseId = `it-order-list-${randomUUID()}`;
const clock = { now: () => new Date() };
let client: CosmosClient;
let deps: OrderQueryDeps;

function anOrder(externalId: string, channel: string, createdAt: string, state = 'received'): Order {
  const orderId = `O-${randomUUID()}`;
  return {
    id: orderId,
    type: 'order',
    orderId,
    externalId,
    channel,
    currency: 'USD',
    customer: {},
    shipTo: { postalCode: '98052', country: 'US' },
    lines: [{ lineId: '1', sku: 'SKU-1', quantity: 1, state }],
    state,
    intakeKey: externalId,
    createdAt,
    updatedAt: createdAt,
  };
}

beforeAll(async () => {
  client = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  const { containers } = await ensureDatabaseAndContainers(client, databaseId);
  deps = {
    orders: new CosmosOrderRepository(containers.orders, clock),
    fulfillmentOrders: new CosmosFulfillmentOrderRepository(containers.orders, clock),
  };
  for (const order of [
    anOrder('A', 'web', '2026-11-30T23:59:59.999Z'),
    anOrder('B', 'web', '2026-12-01T00:00:00.000Z'),
    anOrder('C', 'store', '2026-12-01T12:00:00.000Z', 'cancelled'),
    anOrder('D', 'web', '2026-12-02T09:30:00.000Z'),
    anOrder('E', 'web', '2026-12-03T00:00:00.000Z'),
  ]) {
    expect(await deps.orders.createWithTimeline(order, [])).toBe('created');
  }
});

afterAll(async () => {
  await client
    ?.database(databaseId)
    .delete()
    .catch(() => undefined);
  client?.dispose();
});

const externalIds = async (query: Parameters<typeof listOrders>[1]) =>
  (await listOrders(deps, query)).items.map((order) => order.externalId);

describe('listOrders filters', () => {
  it('filters by channel, newest first, and combines with state', async () => {
    expect(await externalIds({ top: 50, channel: 'web' })).toEqual(['E', 'D', 'B', 'A']);
    expect(await externalIds({ top: 50, channel: 'store' })).toEqual(['C']);
    expect(await externalIds({ top: 50, channel: 'web', state: 'cancelled' })).toEqual([]);
  });

  it('filters by creation date, both ends inclusive, a date being its whole UTC day', async () => {
    expect(await externalIds({ top: 50, createdFrom: '2026-12-01', createdTo: '2026-12-02' })).toEqual([
      'D',
      'C',
      'B',
    ]);
    expect(await externalIds({ top: 50, createdTo: '2026-12-01T00:00:00Z' })).toEqual(['B', 'A']);
    expect(await externalIds({ top: 50, createdFrom: '2026-12-02T09:30:00.001Z' })).toEqual(['E']);
  });

  it('pages through a filtered list with the continuation token', async () => {
    const first = await listOrders(deps, { top: 2, channel: 'web' });
    expect(first.items.map((order) => order.externalId)).toEqual(['E', 'D']);
    expect(first.continuationToken).toBeDefined();
    const second = await listOrders(deps, {
      top: 2,
      channel: 'web',
      continuationToken: first.continuationToken!,
    });
    expect(second.items.map((order) => order.externalId)).toEqual(['B', 'A']);
  });

  it('refuses a creation date that is not a date, naming the parameter', async () => {
    await expect(listOrders(deps, { top: 50, createdFrom: 'last week' })).rejects.toBeInstanceOf(
      ValidationError
    );
  });
});
