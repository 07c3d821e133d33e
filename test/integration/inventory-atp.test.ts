import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { atpHandler } from '../../functions/inventory-atp';
import {
  deleteScheduleHandler,
  getScheduleHandler,
  listSchedulesHandler,
  putScheduleHandler,
} from '../../functions/inventory-schedules';
import { applyInventoryChanges } from '../../shared/app/inventory/apply-inventory-changes';
import { reserveInventory } from '../../shared/app/inventory/reserve-inventory';
import { getSourceRepository } from '../../shared/app/fulfillment/wiring';
import { getInventoryDeps } from '../../shared/app/inventory/wiring';
import { getCosmosDatabase, getGeocoder, setClock } from '../../shared/app/platform/wiring';
import { getProductRepository } from '../../shared/app/products/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import { productFromInput } from '../../shared/domain/products/product';
import { sourceFromInput } from '../../shared/domain/fulfillment/source';

// Schedules and ATP through the HTTP handlers, in process, against the embedded Cosmos server.

const now = new Date('2026-03-02T09:00:00.000Z');
const saved = { ...process.env };
const base = 'http://127.0.0.1/api/v1/inventory';
const context = () => new InvocationContext({ functionName: 'inventory-atp' });

function request(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  params = {}
) {
  return new HttpRequest({
    method,
    url: `${base}${path}`,
    params,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
  });
}

const json = (res: HttpResponseInit) => res.jsonBody as Record<string, unknown>;

async function put(id: string, body: unknown, headers: Record<string, string> = {}) {
  return putScheduleHandler(request('PUT', `/schedules/${id}`, body, headers, { id }), context());
}

beforeAll(async () => {
  process.env = { ...saved, COSMOS_DATABASE: `it-atp-${randomUUID()}`, OPENIOM_ATP_DAYS: '7' };
  resetConfigForTests();
  resetRegistry();
  setClock({ now: () => now });
  const sources = await getSourceRepository();
  for (const id of ['W1', 'W2']) {
    await sources.create(
      sourceFromInput(
        id,
        {
          name: id,
          type: 'warehouse',
          address: { postalCode: '10001', country: 'US' },
          location: { lat: 40.7, lon: -74 },
          online: true,
          safetyStock: id === 'W1' ? 1 : 0,
        },
        undefined,
        getGeocoder(),
        now
      )
    );
  }
  await (await getProductRepository()).create(productFromInput('ATP-1', { name: 'ATP-1' }, undefined, now));
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

it('answers the week of the worked example from stored schedules, day 0 from availableToReserve', async () => {
  // onhand 14 − safety stock 1 − reserved 3 = 10 available to reserve, as in docs/inventory-atp.md.
  const deps = await getInventoryDeps();
  await applyInventoryChanges(deps, [
    { id: 'atp-seed-1', sku: 'ATP-1', sourceId: 'W1', measure: 'onhand', quantity: 14 },
  ]);
  await reserveInventory(deps, { id: 'atp-res-1', sku: 'ATP-1', sourceId: 'W1', quantity: 3 });
  const entries: [string, string, 'supply' | 'demand', number][] = [
    ['PO-0', '2026-03-01', 'supply', 100],
    ['SO-1', '2026-03-02', 'demand', 4],
    ['SO-2', '2026-03-03', 'demand', 5],
    ['PO-1', '2026-03-04', 'supply', 20],
    ['SO-3', '2026-03-05', 'demand', 15],
    ['TO-1', '2026-03-06', 'supply', 3],
    ['SO-4', '2026-03-06', 'demand', 8],
    ['PO-2', '2026-03-07', 'supply', 12],
    ['SO-5', '2026-03-08', 'demand', 2],
    ['SO-6', '2026-03-09', 'demand', 50],
  ];
  for (const [id, date, kind, quantity] of entries) {
    const res = await put(id, { sku: 'ATP-1', sourceId: 'W1', kind, quantity, date, reference: id });
    expect(res.status).toBe(201);
  }
  // Another source's supply is its own table.
  expect(
    (await put('W2-PO', { sku: 'ATP-1', sourceId: 'W2', kind: 'supply', quantity: 6, date: '2026-03-03' }))
      .status
  ).toBe(201);

  const res = await atpHandler(request('POST', '/atp', { skus: ['ATP-1'] }), context());
  expect(res.status ?? 200).toBe(200);
  expect(json(res)).toMatchObject({ startDate: '2026-03-02', days: 7, measure: 'availableToReserve' });
  const [w1, w2] = json(res).items as { sku: string; sourceId: string; days: Record<string, unknown>[] }[];
  expect(w1!.sourceId).toBe('W1');
  expect(w1!.days.map((d) => [d.date, d.onHand, d.supply, d.demand, d.projected, d.atp])).toEqual([
    ['2026-03-02', 10, 0, 4, 6, 1],
    ['2026-03-03', 6, 0, 5, 1, 1],
    ['2026-03-04', 1, 20, 0, 21, 1],
    ['2026-03-05', 21, 0, 15, 6, 1],
    ['2026-03-06', 6, 3, 8, 1, 1],
    ['2026-03-07', 1, 12, 0, 13, 11],
    ['2026-03-08', 13, 0, 2, 11, 11],
  ]);
  expect(w2).toMatchObject({ sourceId: 'W2' });
  expect(w2!.days.map((d) => d.atp)).toEqual([0, 6, 6, 6, 6, 6, 6]);

  const short = await atpHandler(
    request('POST', '/atp', { skus: ['ATP-1'], sourceIds: ['W2', 'W9'], days: 2 }),
    context()
  );
  expect(
    (json(short).items as { sourceId: string; days: unknown[] }[]).map((i) => [i.sourceId, i.days.length])
  ).toEqual([
    ['W2', 2],
    ['W9', 2],
  ]);
});

it('reads, lists, replaces with If-Match and deletes schedule entries', async () => {
  const created = await put('PO-9', {
    sku: 'ATP-2',
    sourceId: 'W1',
    kind: 'supply',
    quantity: 5,
    date: '2026-03-04',
  });
  expect(created.status).toBe(201);
  const etag = (created.headers as Record<string, string>).etag!;
  const read = await getScheduleHandler(
    request('GET', '/schedules/PO-9', undefined, {}, { id: 'PO-9' }),
    context()
  );
  expect(json(read)).toMatchObject({ id: 'PO-9', sku: 'ATP-2', quantity: 5 });

  const replaced = await put(
    'PO-9',
    { sku: 'ATP-2', sourceId: 'W1', kind: 'supply', quantity: 7, date: '2026-03-05' },
    { 'if-match': etag }
  );
  expect(replaced.status).toBe(200);
  const stale = await put(
    'PO-9',
    { sku: 'ATP-2', sourceId: 'W1', kind: 'supply', quantity: 8, date: '2026-03-05' },
    { 'if-match': etag }
  );
  expect(stale.status).toBe(412);
  const moved = await put('PO-9', {
    sku: 'ATP-3',
    sourceId: 'W1',
    kind: 'supply',
    quantity: 8,
    date: '2026-03-05',
  });
  expect(moved.status).toBe(400);
  expect(json(moved).errors).toEqual([expect.objectContaining({ path: '/sku' })]);

  const list = await listSchedulesHandler(
    new HttpRequest({ method: 'GET', url: `${base}/schedules?sku=ATP-2&from=2026-03-05` }),
    context()
  );
  expect((json(list).items as { id: string; quantity: number }[]).map((i) => [i.id, i.quantity])).toEqual([
    ['PO-9', 7],
  ]);

  const removed = await deleteScheduleHandler(
    request('DELETE', '/schedules/PO-9', undefined, {}, { id: 'PO-9' }),
    context()
  );
  expect(removed.status).toBe(204);
  const gone = await getScheduleHandler(
    request('GET', '/schedules/PO-9', undefined, {}, { id: 'PO-9' }),
    context()
  );
  expect(gone.status).toBe(404);
});

it('refuses bad bodies with problem+json naming each path', async () => {
  const bad = await put('PO/1', {
    sku: 'a/b',
    sourceId: 'W1',
    kind: 'gift',
    quantity: 0,
    date: '2026-02-30',
    extra: 1,
  });
  expect(bad.status).toBe(400);
  expect((json(bad).errors as { path: string }[]).map((e) => e.path).sort()).toEqual(
    ['/id', '/sku', '/kind', '/quantity', '/date', '/extra'].sort()
  );
  const atp = await atpHandler(request('POST', '/atp', { skus: [], days: 400 }), context());
  expect(atp.status).toBe(400);
  expect((json(atp).errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['/days', '/skus']);
  const list = await listSchedulesHandler(
    new HttpRequest({ method: 'GET', url: `${base}/schedules?sku=A&from=2026-03-05&to=2026-03-01` }),
    context()
  );
  expect(list.status).toBe(400);
});
