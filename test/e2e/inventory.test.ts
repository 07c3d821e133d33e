import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { checkedFetch } from '../support/openapi-contract';

// Every answer of the app is checked against its OpenAPI description.
const api = checkedFetch();

// Inventory visibility over HTTP on the local host (docs/api.md `/api/v1/inventory/...`, docs/inventory.md).
const key = 'inventory-key';
let host: HostProcess;
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const run = Date.now().toString(36);
const sku = (name: string) => `${run}-${name}`;
const WH = `${run}-WH`;

const post = (route: string, body: unknown, extra: Record<string, string> = {}) =>
  api(`${host.url}/api/v1/inventory/${route}`, {
    method: 'POST',
    headers: { ...headers, ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The shapes these tests read from answers (problem+json, query items, reservations, summaries). */
interface Answer {
  items: {
    sku: string;
    sourceId: string | null;
    dimensions?: Record<string, string>;
    measures: Record<string, number>;
  }[];
  errors: { path: string; message: string }[];
  type: string;
  reservationId: string;
  [member: string]: unknown;
}

async function json(response: Response): Promise<Answer> {
  return (await response.json()) as Answer;
}

async function measuresOf(s: string): Promise<Record<string, number>> {
  const answer = await json(await post('query', { skus: [s], sourceIds: [WH] }));
  return answer.items[0]!.measures;
}

beforeAll(async () => {
  host = await startHostProcess({
    // Services of its own: the measure configuration this file saves must not reach other hosts, and
    // other hosts must not take this one's queued work.
    ...ownServicesEnv(mkdtempSync(path.join(os.tmpdir(), 'openiom-inventory-'))),
    OPENIOM_FUNCTIONS_KEY: key,
  });
  const source = await api(`${host.url}/api/v1/sources/${encodeURIComponent(WH)}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      name: 'Redmond DC',
      type: 'warehouse',
      address: { postalCode: '98052', country: 'US' },
      location: { lat: 47.67, lon: -122.12 },
      online: true,
      safetyStock: 1,
    }),
  });
  expect(source.status).toBe(201);
  for (const name of ['HOT', 'A', 'B', 'M']) {
    const created = await api(`${host.url}/api/v1/products/${encodeURIComponent(sku(name))}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ name }),
    });
    expect(created.status).toBe(201);
  }
});

afterAll(async () => {
  await host?.stop();
});

it('applies change events once, sets absolute values, and queries per source, per row and summed', async () => {
  const events = [
    { id: `${run}-e1`, sku: sku('A'), sourceId: WH, measure: 'onhand', quantity: 10 },
    {
      id: `${run}-e2`,
      sku: sku('A'),
      sourceId: WH,
      measure: 'onhand',
      quantity: 5,
      dimensions: { color: 'red' },
    },
    { id: `${run}-e3`, sku: sku('B'), sourceId: WH, measure: 'ordered', quantity: 4 },
  ];
  const first = await post('onhand/bulk', events);
  expect(first.status).toBe(200);
  expect(await json(first)).toMatchObject({ applied: 3, duplicates: 0, errors: 0 });
  expect(await json(await post('onhand/bulk', events))).toMatchObject({ applied: 0, duplicates: 3 });
  const set = await post('onhand/set', [{ sku: sku('B'), sourceId: WH, measure: 'onhand', quantity: 7 }]);
  expect(await json(set)).toMatchObject({ applied: 1, results: [{ index: 0, status: 'applied' }] });

  const bySource = await json(await post('query', { skus: [sku('A'), sku('B')] }));
  expect(bySource.items).toEqual([
    {
      sku: sku('A'),
      sourceId: WH,
      measures: {
        onhand: 15,
        ordered: 0,
        softReserved: 0,
        allocated: 0,
        safetyStock: 2, // two rows, each holding back the source's safety stock
        availableToReserve: 13,
        availableToAllocate: 13,
        projectedAvailable: 13,
      },
    },
    {
      sku: sku('B'),
      sourceId: WH,
      measures: expect.objectContaining({
        onhand: 7,
        ordered: 4,
        availableToReserve: 6,
        projectedAvailable: 10,
      }),
    },
  ]);
  const byRow = await json(await post('query', { skus: [sku('A')], groupBy: 'row' }));
  expect(byRow.items.map((i) => [i.dimensions, i.measures.onhand])).toEqual([
    [{}, 10],
    [{ color: 'red' }, 5],
  ]);
  const summed = await json(await post('query', { skus: [sku('A')], groupBy: 'none' }));
  expect(summed.items).toEqual([
    { sku: sku('A'), sourceId: null, measures: expect.objectContaining({ onhand: 15 }) },
  ]);
});

it('answers bad input with problem+json naming every path, and applies nothing', async () => {
  const before = await measuresOf(sku('A'));
  const expectProblem = async (response: Response, status: number, paths: string[]) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = await json(response);
    expect(problem).toMatchObject({
      status,
      type: expect.stringMatching(/^https:\/\/openiom\.dev\/problems\//),
    });
    expect(problem.errors.map((e) => e.path)).toEqual(paths);
    return problem;
  };
  await expectProblem(
    await post('onhand/bulk', [
      { id: `${run}-ok`, sku: sku('A'), sourceId: WH, measure: 'onhand', quantity: 1 },
      { id: `${run}-bad`, sku: sku('A'), sourceId: WH, measure: 'stolen', quantity: 1 },
      { id: `${run}-bad2`, sku: `${run}-GHOST`, sourceId: WH, measure: 'onhand', quantity: 1 },
    ]),
    400,
    ['/1/measure', '/2/sku']
  );
  await expectProblem(
    await post('onhand/set', [
      { sku: sku('A'), sourceId: WH, measure: 'onhand', quantity: 99 },
      { sku: sku('A'), sourceId: WH, measure: 'onhand', quantity: -1 },
    ]),
    400,
    ['/1/quantity']
  );
  const tooMany = Array.from({ length: 513 }, (_, i) => ({
    id: `${run}-m${i}`,
    sku: sku('A'),
    sourceId: WH,
    measure: 'onhand',
    quantity: 1,
  }));
  await expectProblem(await post('onhand/bulk', tooMany), 400, ['']);
  await expectProblem(await post('reserve', { id: 'x', sku: sku('A'), sourceId: WH, quantity: 0 }), 400, [
    '/quantity',
  ]);
  await expectProblem(await post('query', '{"skus": ['), 400, ['']);
  expect(await measuresOf(sku('A'))).toEqual(before);
  expect((await api(`${host.url}/api/v1/inventory/query`, { method: 'POST', body: '{}' })).status).toBe(401);
});

it('reserves exactly what is available under 200 concurrent requests, answers repeats the same, and unreserves', async () => {
  const hot = sku('HOT');
  // 51 on hand less a safety stock of 1: 50 available.
  await post('onhand/bulk', [{ id: `${run}-hot`, sku: hot, sourceId: WH, measure: 'onhand', quantity: 51 }]);
  const answers = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      const response = await post('reserve', { id: `${run}-r${i}`, sku: hot, sourceId: WH, quantity: 1 });
      return { status: response.status, body: await json(response) };
    })
  );
  const created = answers.filter((a) => a.status === 201);
  const refused = answers.filter((a) => a.status === 409);
  expect(created).toHaveLength(50);
  expect(refused).toHaveLength(150);
  for (const r of refused) {
    expect(r.body.type).toMatch(/\/insufficient-inventory$/);
    expect(r.body).toMatchObject({ sku: hot, sourceId: WH, requested: 1, available: 0 });
  }
  expect(await measuresOf(hot)).toMatchObject({ onhand: 51, softReserved: 50, availableToReserve: 0 });

  const winner = created[0]!.body;
  const again = await post('reserve', { id: winner.reservationId, sku: hot, sourceId: WH, quantity: 1 });
  expect(again.status).toBe(201);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(await json(again)).toEqual(winner);

  const released = await post('unreserve', { reservationId: winner.reservationId });
  expect(released.status).toBe(200);
  expect(await json(released)).toMatchObject({ released: 1, remaining: 0 });
  expect(await measuresOf(hot)).toMatchObject({ softReserved: 49, availableToReserve: 1 });
  const unknown = await post('unreserve', { reservationId: `${run}-never` });
  expect(unknown.status).toBe(404);
  expect((await json(unknown)).type).toMatch(/\/unknown-reservation$/);
  const ghost = await post('reserve', { id: `${run}-g`, sku: `${run}-GHOST`, sourceId: WH, quantity: 1 });
  expect(ghost.status).toBe(404);
  expect((await json(ghost)).type).toMatch(/\/unknown-sku$/);
});

it('allocates to groups, consumes into a reservation and queries allocations', async () => {
  const b = sku('B');
  const web = { channel: 'web' };
  const vip = { channel: 'web', customerGroup: 'vip' };
  const allocate = await post('allocation/allocate', {
    id: `${run}-a1`,
    sku: b,
    sourceId: WH,
    group: web,
    quantity: 4,
  });
  expect(allocate.status).toBe(200);
  expect(await json(allocate)).toMatchObject({ allocations: [{ channel: 'web', quantity: 4 }] });
  const over = await post('allocation/allocate', {
    id: `${run}-a2`,
    sku: b,
    sourceId: WH,
    group: vip,
    quantity: 3,
  });
  expect(over.status).toBe(409);
  expect((await json(over)).type).toMatch(/\/insufficient-inventory$/);
  expect(
    (
      await post('allocation/reallocate', {
        id: `${run}-a3`,
        sku: b,
        sourceId: WH,
        from: web,
        to: vip,
        quantity: 1,
      })
    ).status
  ).toBe(200);
  expect(
    (await post('allocation/unallocate', { id: `${run}-a4`, sku: b, sourceId: WH, group: web, quantity: 1 }))
      .status
  ).toBe(200);
  const consume = await post('allocation/consume', {
    id: `${run}-c1`,
    sku: b,
    sourceId: WH,
    group: vip,
    quantity: 1,
    reserve: true,
  });
  expect(await json(consume)).toMatchObject({ reservationId: `${run}-c1` });
  const repeat = await post('allocation/consume', {
    id: `${run}-c1`,
    sku: b,
    sourceId: WH,
    group: vip,
    quantity: 1,
    reserve: true,
  });
  expect(repeat.headers.get('idempotent-replayed')).toBe('true');
  expect(await json(await post('allocation/query', { skus: [b] }))).toEqual({
    items: [{ sku: b, sourceId: WH, channel: 'web', allocated: 2 }],
  });
  expect(await measuresOf(b)).toMatchObject({
    onhand: 7,
    allocated: 2,
    softReserved: 1,
    availableToReserve: 3,
  });
});

// Last in the file: the configuration it saves adds `damaged` to every query answer after it.
it('configures a custom measure subtracted from availableToReserve, which then refuses a reservation', async () => {
  const m = sku('M');
  const measuresUrl = `${host.url}/api/v1/inventory/measures`;
  const put = (body: unknown, extra: Record<string, string> = {}) =>
    api(measuresUrl, { method: 'PUT', headers: { ...headers, ...extra }, body: JSON.stringify(body) });

  const defaults = await api(measuresUrl, { headers });
  expect(defaults.status).toBe(200);
  expect(defaults.headers.get('etag')).toBeNull();
  const shown = (await defaults.json()) as {
    physical: { name: string; builtIn: boolean; writtenBy: string }[];
    calculated: { name: string; terms: { measure: string; sign: number }[]; includeSafetyStock: boolean }[];
  };
  expect(shown.physical.map((p) => p.name)).toEqual(['onhand', 'ordered', 'softReserved', 'allocated']);
  expect(shown.calculated.map((c) => c.name)).toEqual([
    'availableToReserve',
    'availableToAllocate',
    'projectedAvailable',
  ]);

  await post('onhand/set', [{ sku: m, sourceId: WH, measure: 'onhand', quantity: 10 }]);
  // Before: `damaged` is no measure, and 6 of the 9 available could be reserved.
  const unknown = await post('onhand/set', [{ sku: m, sourceId: WH, measure: 'damaged', quantity: 4 }]);
  expect(unknown.status).toBe(400);
  expect((await json(unknown)).errors.map((e) => e.path)).toEqual(['/0/measure']);
  expect(await measuresOf(m)).toMatchObject({ availableToReserve: 9 });

  const atr = shown.calculated[0]!;
  const configured = {
    physical: [...shown.physical, { name: 'damaged' }],
    calculated: [
      { ...atr, terms: [...atr.terms, { measure: 'damaged', sign: -1 }] },
      ...shown.calculated.slice(1),
    ],
  };
  const bad = await put({
    physical: [{ name: 'damaged' }],
    calculated: [{ name: 'availableToAllocate', terms: [{ measure: 'stolen', sign: -1 }] }],
  });
  expect(bad.status).toBe(400);
  expect((await json(bad)).errors.map((e) => e.path)).toEqual(
    expect.arrayContaining(['/calculated/0/terms/0/measure', '/calculated'])
  );
  expect((await put(configured, { 'if-match': '"nope"' })).status).toBe(412);
  const saved = await put(configured, { 'if-none-match': '*' });
  expect(saved.status).toBe(201);
  const etag = saved.headers.get('etag');
  expect(etag).toBeTruthy();
  const again = await api(measuresUrl, { headers });
  expect(again.headers.get('etag')).toBe(etag);
  expect(((await again.json()) as typeof shown).physical.at(-1)).toEqual({
    name: 'damaged',
    builtIn: false,
    writtenBy: 'source',
  });

  const damaged = await post('onhand/set', [{ sku: m, sourceId: WH, measure: 'damaged', quantity: 4 }]);
  expect(await json(damaged)).toMatchObject({ applied: 1 });
  const serviceOwned = await post('onhand/set', [
    { sku: m, sourceId: WH, measure: 'softReserved', quantity: 1 },
  ]);
  expect((await json(serviceOwned)).errors.map((e) => e.path)).toEqual(['/0/measure']);
  expect(await measuresOf(m)).toMatchObject({
    onhand: 10,
    damaged: 4,
    safetyStock: 1,
    availableToReserve: 5,
    availableToAllocate: 9,
    projectedAvailable: 9,
  });
  const refused = await post('reserve', { id: `${run}-m1`, sku: m, sourceId: WH, quantity: 6 });
  expect(refused.status).toBe(409);
  expect(await json(refused)).toMatchObject({ measure: 'availableToReserve', requested: 6, available: 5 });
  expect((await post('reserve', { id: `${run}-m2`, sku: m, sourceId: WH, quantity: 5 })).status).toBe(201);
  // A stale version no longer matches.
  expect((await put(configured, { 'if-match': '"stale"' })).status).toBe(412);
  expect((await put(configured, { 'if-match': etag! })).status).toBe(200);
});
