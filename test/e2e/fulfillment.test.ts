import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// Source lists, strategies, the plan API, return locations and the plan activity on the local host.
// The host gets services of its own, so the default-strategy rules can be checked without touching
// the strategies other e2e tests see, and no other host runs its orchestrations.
const key = 'fulfillment-key';
const run = Date.now().toString(36);
const id = (name: string) => `${run}-${name}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-fulfillment-'));
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
let host: HostProcess;

interface Problem {
  type: string;
  status: number;
  errors?: { path: string; message: string }[];
}

interface PlanLine {
  lineId: string;
  status: string;
  allocations: { sourceId: string; quantity: number; distanceKm: number }[];
  reasons?: { code: string; constraint?: string; sourceIds?: string[] }[];
}

const call = (method: string, route: string, body?: unknown, extra: Record<string, string> = {}) =>
  fetch(`${host.url}/api/v1/${route}`, {
    method,
    headers: { ...headers, ...extra },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function problemOf(res: Response, status: number): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return (await res.json()) as Problem;
}

// Near New York: NYC (no returns), Philadelphia; far: Chicago; an offline source next door.
const sources = {
  NYC: { postalCode: '10001', acceptsReturns: false, online: true },
  PHL: { postalCode: '19103', acceptsReturns: true, online: true },
  CHI: { postalCode: '60601', acceptsReturns: true, online: true },
  OFF: { postalCode: '10002', acceptsReturns: true, online: false },
};
const newYork = { postalCode: '10001', country: 'US' };

beforeAll(async () => {
  host = await startHostProcess({
    ...ownServicesEnv(dataDir),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_PLAN_TIME_LIMIT_SECONDS: '3',
  });
  for (const [name, s] of Object.entries(sources)) {
    const res = await call('PUT', `sources/${id(name)}`, {
      name,
      type: 'warehouse',
      address: { postalCode: s.postalCode, country: 'US' },
      online: s.online,
      acceptsReturns: s.acceptsReturns,
      safetyStock: name === 'NYC' ? 1 : 0,
    });
    expect(res.status).toBe(201);
  }
  for (const sku of ['A', 'B'])
    expect((await call('PUT', `products/${id(sku)}`, { name: sku })).status).toBe(201);
  const set = await call('POST', 'inventory/onhand/set', [
    { sku: id('A'), sourceId: id('NYC'), measure: 'onhand', quantity: 4 },
    { sku: id('A'), sourceId: id('CHI'), measure: 'onhand', quantity: 50 },
    { sku: id('A'), sourceId: id('OFF'), measure: 'onhand', quantity: 50 },
    { sku: id('B'), sourceId: id('PHL'), measure: 'onhand', quantity: 2 },
  ]);
  expect(set.status).toBeLessThan(300);
}, 90_000);

afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('keeps source lists of known sources, with ETags, and refuses unknown ones by index', async () => {
  const bad = await call('PUT', `source-lists/${id('L')}`, {
    name: 'East',
    sourceIds: [id('NYC'), id('PHL'), id('NOPE')],
  });
  expect((await problemOf(bad, 400)).errors).toEqual([
    { path: '/sourceIds/2', message: `source ${id('NOPE')} does not exist` },
  ]);

  const created = await call('PUT', `source-lists/${id('L')}`, {
    name: 'East',
    sourceIds: [id('NYC'), id('PHL'), id('CHI'), id('OFF')],
  });
  expect(created.status).toBe(201);
  const etag = created.headers.get('etag')!;
  const read = await call('GET', `source-lists/${id('L')}`);
  expect(read.headers.get('etag')).toBe(etag);
  expect(await read.json()).toMatchObject({ id: id('L'), name: 'East' });
  const stale = await call(
    'PUT',
    `source-lists/${id('L')}`,
    { name: 'x', sourceIds: [id('NYC')] },
    { 'if-match': '"old"' }
  );
  await problemOf(stale, 412);
  const listed = (await (await call('GET', 'source-lists')).json()) as { items: { id: string }[] };
  expect(listed.items.map((l) => l.id)).toContain(id('L'));

  const spare = await call('PUT', `source-lists/${id('SPARE')}`, { name: 'spare', sourceIds: [id('CHI')] });
  expect(spare.status).toBe(201);
  expect((await call('DELETE', `source-lists/${id('SPARE')}`)).status).toBe(204);
  await problemOf(await call('GET', `source-lists/${id('SPARE')}`), 404);
});

const strategyS = () => ({
  name: 'East, nearest',
  isDefault: true,
  objective: 'distance',
  sourceListId: id('L'),
  constraints: [{ type: 'useSafetyStock', value: true, hard: true }],
});
const strategyNear = () => ({
  isDefault: false,
  objective: 'distance',
  sourceListId: id('L'),
  constraints: [{ type: 'maxDistanceKm', value: 50, hard: true }],
});

async function defaults(): Promise<string[]> {
  const all = (await (await call('GET', 'fulfillment/strategies')).json()) as {
    items: { id: string; isDefault: boolean }[];
  };
  return all.items.filter((s) => s.isDefault).map((s) => s.id);
}

it('keeps exactly one default strategy', async () => {
  const unknownList = await call('PUT', `fulfillment/strategies/${id('S')}`, {
    ...strategyS(),
    sourceListId: id('NO-LIST'),
  });
  expect((await problemOf(unknownList, 400)).errors?.map((e) => e.path)).toEqual(['/sourceListId']);

  // The very first strategy becomes the default, whatever it says.
  const first = await call('PUT', `fulfillment/strategies/${id('S')}`, { ...strategyS(), isDefault: false });
  expect(first.status).toBe(201);
  expect(await first.json()).toMatchObject({ id: id('S'), isDefault: true, useRealInventory: true });

  const second = await call('PUT', `fulfillment/strategies/${id('NEAR')}`, {
    ...strategyNear(),
    isDefault: true,
  });
  expect(second.status).toBe(201);
  expect(await defaults()).toEqual([id('NEAR')]);

  const unset = await call('PUT', `fulfillment/strategies/${id('NEAR')}`, strategyNear());
  expect((await problemOf(unset, 409)).type).toMatch(/default-strategy-required$/);
  const deleteDefault = await call('DELETE', `fulfillment/strategies/${id('NEAR')}`);
  expect((await problemOf(deleteDefault, 409)).type).toMatch(/default-strategy-required$/);
  const inUse = await call('DELETE', `source-lists/${id('L')}`);
  expect((await problemOf(inUse, 409)).type).toMatch(/source-list-in-use$/);

  // S again the default (NEAR unset in the same batch); then NEAR may go, and comes back plain.
  const back = await call('PUT', `fulfillment/strategies/${id('S')}`, strategyS());
  expect(back.status).toBe(200);
  expect(await defaults()).toEqual([id('S')]);
  expect((await call('DELETE', `fulfillment/strategies/${id('NEAR')}`)).status).toBe(204);
  await problemOf(await call('GET', `fulfillment/strategies/${id('NEAR')}`), 404);
  expect((await call('PUT', `fulfillment/strategies/${id('NEAR')}`, strategyNear())).status).toBe(201);
  expect(await defaults()).toEqual([id('S')]);
});

it("plans from the default strategy's sources and stock, with statuses and reasons, changing nothing", async () => {
  const plan = await call('POST', 'fulfillment/plan', {
    shipTo: newYork,
    lines: [
      { lineId: '1', sku: id('A'), quantity: 3 },
      { lineId: '2', sku: id('B'), quantity: 5 },
      { lineId: '3', sku: id('GHOST'), quantity: 1 },
    ],
  });
  expect(plan.status).toBe(200);
  const body = (await plan.json()) as {
    strategyId: string;
    objective: number;
    planLines: PlanLine[];
    stockBasis: string;
  };
  expect(body).toMatchObject({ strategyId: id('S'), stockBasis: 'inventory' });
  expect(body.objective).toBeGreaterThan(0);
  const [a, b, ghost] = body.planLines;
  // NYC has 4 on hand less a safety stock of 1: all 3 from NYC, next door.
  expect(a).toMatchObject({
    lineId: '1',
    status: 'fully-sourced',
    allocations: [{ sourceId: id('NYC'), quantity: 3 }],
  });
  expect(a!.allocations[0]!.distanceKm).toBeLessThan(5);
  expect(b).toMatchObject({
    lineId: '2',
    status: 'partially-sourced',
    allocations: [{ sourceId: id('PHL'), quantity: 2 }],
  });
  expect(b!.reasons?.map((r) => r.code)).toContain('insufficient-stock');
  expect(ghost).toMatchObject({ status: 'not-sourced', reasons: [{ code: 'unknown-sku' }] });

  // Nothing was reserved by planning.
  const query = await call('POST', 'inventory/query', { skus: [id('A')], sourceIds: [id('NYC')] });
  const items = ((await query.json()) as { items: { measures: Record<string, number> }[] }).items;
  expect(items[0]!.measures).toMatchObject({ onhand: 4, softReserved: 0 });

  // A hard 50 km limit: Chicago's stock is out of reach, and the reason says so; offline is never used.
  const near = await call('POST', 'fulfillment/plan', {
    strategyId: id('NEAR'),
    shipTo: newYork,
    lines: [{ lineId: '1', sku: id('A'), quantity: 10 }],
  });
  const nearLine = ((await near.json()) as { planLines: PlanLine[] }).planLines[0]!;
  expect(nearLine.status).toBe('partially-sourced');
  expect(nearLine.allocations.map((x) => x.sourceId)).toEqual([id('NYC')]);
  const codes = Object.fromEntries((nearLine.reasons ?? []).map((r) => [r.code, r]));
  expect(codes['max-distance']).toMatchObject({
    constraint: 'maxDistanceKm',
    hard: true,
    sourceIds: [id('CHI')],
  });
  expect(codes['source-offline']?.sourceIds).toEqual([id('OFF')]);

  // What-if stock in the body replaces the store.
  const whatIf = await call('POST', 'fulfillment/plan', {
    strategyId: id('S'),
    shipTo: { ...newYork, lat: 41.88, lon: -87.63 },
    lines: [{ lineId: '1', sku: id('B'), quantity: 5 }],
    inventory: [{ sku: id('B'), sourceId: id('CHI'), quantity: 5 }],
  });
  const whatIfBody = (await whatIf.json()) as { stockBasis: string; planLines: PlanLine[] };
  expect(whatIfBody.stockBasis).toBe('request');
  expect(whatIfBody.planLines[0]).toMatchObject({
    status: 'fully-sourced',
    allocations: [{ sourceId: id('CHI'), quantity: 5 }],
  });
});

it('answers bad plan requests with problem+json', async () => {
  const line = { lineId: '1', sku: id('A'), quantity: 1 };
  const zero = await call('POST', 'fulfillment/plan', { shipTo: newYork, lines: [{ ...line, quantity: 0 }] });
  expect((await problemOf(zero, 400)).errors?.map((e) => e.path)).toEqual(['/lines/0/quantity']);
  const nowhere = await call('POST', 'fulfillment/plan', {
    shipTo: { postalCode: '99999', country: 'US' },
    lines: [line],
  });
  expect((await problemOf(nowhere, 400)).errors?.map((e) => e.path)).toEqual(['/shipTo/postalCode']);
  const unknown = await call('POST', 'fulfillment/plan', {
    strategyId: id('NOPE'),
    shipTo: newYork,
    lines: [line],
  });
  expect((await problemOf(unknown, 404)).type).toMatch(/strategy-not-found$/);
});

it('finds the nearest source that takes returns, and says why none does within a hard limit', async () => {
  const found = await call('POST', 'returns/locations', {
    shipFrom: newYork,
    lines: [{ sku: id('A'), quantity: 1 }],
    strategyId: id('S'),
  });
  expect(found.status).toBe(200);
  const body = (await found.json()) as { location: { sourceId: string; distanceKm: number } };
  // NYC does not take returns and OFF is offline: Philadelphia, about 130 km away.
  expect(body.location.sourceId).toBe(id('PHL'));
  expect(body.location.distanceKm).toBeGreaterThan(100);
  expect(body.location.distanceKm).toBeLessThan(160);

  const none = await call('POST', 'returns/locations', {
    shipFrom: newYork,
    lines: [{ sku: id('A'), quantity: 1 }],
    strategyId: id('NEAR'),
  });
  const noneBody = (await none.json()) as {
    location: null;
    reasons: { code: string; sourceIds: string[] }[];
  };
  expect(noneBody.location).toBeNull();
  expect(noneBody.reasons).toEqual([
    expect.objectContaining({ code: 'not-accepting-returns', sourceIds: [id('NYC')] }),
    expect.objectContaining({ code: 'offline', sourceIds: [id('OFF')] }),
    expect.objectContaining({ code: 'max-distance', sourceIds: [id('PHL'), id('CHI')] }),
  ]);
});

it('runs the plan activity in an orchestration started through the Durable HTTP API', async () => {
  const started = await fetch(
    `${host.url}/runtime/webhooks/durabletask/orchestrators/planFulfillmentOrchestrator?code=${key}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        strategyId: id('S'),
        shipTo: newYork,
        lines: [{ lineId: '1', sku: id('A'), quantity: 2 }],
      }),
    }
  );
  expect(started.status).toBe(202);
  const links = (await started.json()) as { statusQueryGetUri: string };
  const status = await waitFor(
    async () => {
      const s = (await (await fetch(links.statusQueryGetUri)).json()) as {
        runtimeStatus: string;
        output: unknown;
      };
      return ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus) ? s : undefined;
    },
    { what: 'the plan orchestration to finish', timeoutMs: 30_000, intervalMs: 100 }
  );
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toMatchObject({
    strategyId: id('S'),
    planLines: [
      { lineId: '1', status: 'fully-sourced', allocations: [{ sourceId: id('NYC'), quantity: 2 }] },
    ],
  });

  // An unknown order fails the activity, and with it the orchestration.
  const failing = await fetch(
    `${host.url}/runtime/webhooks/durabletask/orchestrators/planFulfillmentOrchestrator?code=${key}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: id('NO-ORDER') }),
    }
  );
  const failLinks = (await failing.json()) as { statusQueryGetUri: string };
  const failed = await waitFor(
    async () => {
      const s = (await (await fetch(failLinks.statusQueryGetUri)).json()) as {
        runtimeStatus: string;
        output: unknown;
      };
      return ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus) ? s : undefined;
    },
    { what: 'the failing orchestration to finish', timeoutMs: 30_000, intervalMs: 100 }
  );
  expect(failed.runtimeStatus).toBe('Failed');
  expect(JSON.stringify(failed.output)).toContain(`No order ${id('NO-ORDER')}`);
});
