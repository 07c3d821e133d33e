import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';

// Products as master data on the local host (docs/api.md `PUT /api/v1/products/{sku}`).
const key = 'products-key';
let host: HostProcess;
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const run = Date.now().toString(36);

const productUrl = (sku: string) => `${host.url}/api/v1/products/${encodeURIComponent(sku)}`;

async function put(sku: string, body: unknown, extraHeaders: Record<string, string> = {}) {
  return fetch(productUrl(sku), {
    method: 'PUT',
    headers: { ...headers, ...extraHeaders },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function get(sku: string) {
  return fetch(productUrl(sku), { headers });
}

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-products-')),
  });
});

afterAll(async () => {
  await host?.stop();
});

it('creates a product (201), reads it back, replaces it with If-Match (200), and refuses a stale If-Match (412)', async () => {
  const sku = `${run}-SHOE 42/EU`.replace('/', '-');
  const first = {
    name: 'Trail shoe',
    unit: 'each',
    weight: { value: 800, unit: 'g' },
    dimensions: { length: 32, width: 20, height: 12, unit: 'cm' },
    preorder: { launchDate: '2026-04-01' },
    allowsAllocation: true,
    substitutes: [`${run}-SHOE-43`],
  };
  const created = await put(sku, first);
  expect(created.status).toBe(201);
  const etag1 = created.headers.get('etag');
  expect(etag1).toMatch(/^".+"$/);
  expect(created.headers.get('location')).toBe(`/api/v1/products/${encodeURIComponent(sku)}`);
  const view = (await created.json()) as Record<string, unknown>;
  expect(view).toEqual({
    sku,
    ...first,
    preorder: { eligible: true, launchDate: '2026-04-01' },
    createdAt: expect.any(String),
    updatedAt: view.createdAt,
  });

  const read = await get(sku);
  expect(read.status).toBe(200);
  expect(read.headers.get('etag')).toBe(etag1);
  expect(await read.json()).toEqual(view);

  const replaced = await put(sku, { name: 'Trail shoe v2', allowsAllocation: false }, { 'if-match': etag1! });
  expect(replaced.status).toBe(200);
  const etag2 = replaced.headers.get('etag');
  expect(etag2).not.toBe(etag1);
  const view2 = (await replaced.json()) as Record<string, unknown>;
  expect(view2).toEqual({
    sku,
    name: 'Trail shoe v2',
    allowsAllocation: false,
    createdAt: view.createdAt,
    updatedAt: expect.any(String),
  });
  expect(Date.parse(view2.updatedAt as string)).toBeGreaterThanOrEqual(Date.parse(view.createdAt as string));

  const stale = await put(sku, { name: 'lost update' }, { 'if-match': etag1! });
  expect(stale.status).toBe(412);
  expect(stale.headers.get('content-type')).toBe('application/problem+json');
  expect(await stale.json()).toMatchObject({ status: 412 });

  const after = await get(sku);
  expect(after.headers.get('etag')).toBe(etag2);
  expect(await after.json()).toEqual(view2);
});

it('round-trips SKUs with spaces, percent signs and non-ASCII letters', async () => {
  for (const sku of [`${run} Schuh Größe 42`, `${run}-100%-wool`, `${run}-靴`]) {
    expect((await put(sku, { name: sku })).status).toBe(201);
    const read = await get(sku);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ sku, name: sku });
  }
});

it('lets exactly one of two editors holding the same ETag write', async () => {
  const sku = `${run}-RACE`;
  const etag = (await put(sku, { name: 'v1' })).headers.get('etag')!;
  const answers = await Promise.all(
    ['editor 1', 'editor 2'].map((name) => put(sku, { name }, { 'if-match': etag }))
  );
  expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
  const winner = answers.find((a) => a.status === 200)!;
  expect(await (await get(sku)).json()).toMatchObject({
    name: ((await winner.json()) as { name: string }).name,
  });
});

it('answers 412 for If-Match on an unknown product and If-None-Match: * on an existing one', async () => {
  expect((await put(`${run}-NEW`, { name: 'x' }, { 'if-match': '*' })).status).toBe(412);
  expect((await get(`${run}-NEW`)).status).toBe(404);
  expect((await put(`${run}-NEW`, { name: 'x' }, { 'if-none-match': '*' })).status).toBe(201);
  expect((await put(`${run}-NEW`, { name: 'y' }, { 'if-none-match': '*' })).status).toBe(412);
});

describe('bad input is refused with every offending path, and nothing is stored', () => {
  const cases: [string, string, unknown, number, string[]][] = [
    ['missing name', 'bad1', { unit: 'each' }, 400, ['/name']],
    ['negative weight', 'bad2', { name: 'x', weight: { value: -1, unit: 'kg' } }, 400, ['/weight/value']],
    [
      'bad launchDate',
      'bad3',
      { name: 'x', preorder: { launchDate: '2026-02-30' } },
      400,
      ['/preorder/launchDate'],
    ],
    ['unknown field', 'bad4', { name: 'x', colour: 'red' }, 400, ['/colour']],
    [
      'self-substitute',
      'bad5',
      { name: 'x', substitutes: ['other', `${run}-bad5`] },
      400,
      ['/substitutes/1'],
    ],
    [
      'several problems at once',
      'bad6',
      { weight: { value: 0, unit: 'stone' }, dimensions: { length: 1, width: 1, height: 1, unit: 'ft' } },
      400,
      ['/name', '/weight/value', '/weight/unit', '/dimensions/unit'],
    ],
    ['malformed JSON', 'bad7', '{"name":', 400, ['']],
  ];

  it.each(cases)('%s', async (_name, suffix, body, status, paths) => {
    const res = await put(`${run}-${suffix}`, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { status: number; errors?: { path: string }[] };
    expect(problem.status).toBe(status);
    for (const p of paths) expect(problem.errors?.map((e) => e.path)).toContain(p);
    expect((await get(`${run}-${suffix}`)).status).toBe(404);
  });

  it.each([
    ['a slash', `${run}/x`],
    ['a backslash', `${run}\\x`],
    ['a question mark', `${run}?x`],
    ['a hash', `${run}#x`],
    ['101 characters', 'x'.repeat(101)],
  ])('a SKU with %s is refused at /sku, together with the body', async (_name, sku) => {
    const res = await put(sku, { unit: 'each' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['/name', '/sku']);
    expect((await get(sku)).status).toBe(400);
  });
});

it('answers 404 problem+json for an unknown product and 401 without the key', async () => {
  const missing = await get(`${run}-nope`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toBe('application/problem+json');
  expect(await missing.json()).toMatchObject({
    status: 404,
    type: expect.stringContaining('product-not-found'),
  });
  expect((await fetch(productUrl(`${run}-nope`))).status).toBe(401);
  const unauthorized = await fetch(productUrl(`${run}-nokey`), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'x' }),
  });
  expect(unauthorized.status).toBe(401);
  expect((await get(`${run}-nokey`)).status).toBe(404);
});
