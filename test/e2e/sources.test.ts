import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';

// Sources as master data on the local host (docs/api.md `PUT /api/v1/sources/{sourceId}`).
const key = 'sources-key';
let host: HostProcess;
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const run = Date.now().toString(36);
const sourceUrl = (id: string) => `${host.url}/api/v1/sources/${encodeURIComponent(id)}`;

const put = (id: string, body: unknown, extra: Record<string, string> = {}) =>
  fetch(sourceUrl(id), {
    method: 'PUT',
    headers: { ...headers, ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-sources-')),
  });
});

afterAll(async () => {
  await host?.stop();
});

it('creates a source geocoded from its ZIP code, reads it, lists it and replaces it with If-Match', async () => {
  const id = `${run}-DAL`;
  const created = await put(id, {
    name: 'Dallas DC',
    type: 'warehouse',
    address: { line1: '1 Main St', city: 'Dallas', state: 'TX', postalCode: '75201', country: 'US' },
    online: true,
    timeZone: 'America/Chicago',
    safetyStock: 2,
    cutoffTime: '15:30',
    calendar: { workingDays: [1, 2, 3, 4, 5] },
    maxOrderLinesPerDay: 500,
    priority: 1,
    costs: { perShipment: 500, perUnit: 20, perKm: 1 },
    acceptsReturns: true,
  });
  expect(created.status).toBe(201);
  expect(created.headers.get('location')).toBe(`/api/v1/sources/${encodeURIComponent(id)}`);
  const source = (await created.json()) as Record<string, unknown>;
  expect(source).toMatchObject({
    id,
    type: 'warehouse',
    location: { geocoded: true },
    timeZone: 'America/Chicago',
    calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] },
    priority: 1,
    acceptsReturns: true,
  });
  const location = source.location as { lat: number; lon: number };
  expect(location.lat).toBeCloseTo(32.78, 1);
  expect(location.lon).toBeCloseTo(-96.8, 1);

  const read = await fetch(sourceUrl(id), { headers });
  expect(read.status).toBe(200);
  expect(await read.json()).toEqual(source);
  const etag = read.headers.get('etag')!;

  const listed = (await (await fetch(`${host.url}/api/v1/sources`, { headers })).json()) as {
    items: { id: string }[];
  };
  expect(listed.items.map((item) => item.id)).toContain(id);

  const store = {
    name: 'Dallas store',
    type: 'store',
    address: { postalCode: '75201', country: 'US' },
    online: false,
  };
  const replaced = await put(id, { ...store, location: { lat: 32.8, lon: -96.79 } }, { 'if-match': etag });
  expect(replaced.status).toBe(200);
  expect(await replaced.json()).toMatchObject({
    type: 'store',
    online: false,
    location: { lat: 32.8, lon: -96.79, geocoded: false },
    createdAt: source.createdAt,
  });
  const stale = await put(id, store, { 'if-match': etag });
  expect(stale.status).toBe(412);
});

it('refuses bad sources with every offending path and stores nothing', async () => {
  const id = `${run}-BAD`;
  const bad = await put(id, {
    name: '',
    type: 'depot',
    address: { postalCode: '75201' },
    online: 'yes',
    timeZone: 'Mars/Olympus',
    cutoffTime: '25:00',
    priority: 0,
  });
  expect(bad.status).toBe(400);
  expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
  const problem = (await bad.json()) as { errors: { path: string }[] };
  expect(problem.errors.map((error) => error.path).sort()).toEqual(
    ['/address/country', '/cutoffTime', '/name', '/online', '/priority', '/timeZone', '/type'].sort()
  );

  const ungeocodable = await put(id, {
    name: 'Nowhere',
    type: 'store',
    address: { postalCode: '00000', country: 'US' },
    online: true,
  });
  expect(ungeocodable.status).toBe(400);
  expect(((await ungeocodable.json()) as { errors: { path: string }[] }).errors).toEqual([
    { path: '/address/postalCode', message: expect.stringContaining('cannot be geocoded') },
  ]);

  const missing = await fetch(sourceUrl(id), { headers });
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as { type: string }).type).toMatch(/source-not-found$/);
});
