import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';

// Policies as versioned configuration on the local host (docs/policies.md, docs/api.md `/api/v1/policies`).
const key = 'policies-key';
let host: HostProcess;
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const run = Date.now().toString(36);

const policiesUrl = () => `${host.url}/api/v1/policies`;
const policyUrl = (id: string, suffix = '') => `${policiesUrl()}/${encodeURIComponent(id)}${suffix}`;

/** What the tests read from answers: a policy view, a list, a problem or an evaluation. */
interface Answer {
  items: { id: string }[];
  errors: { path: string; message: string }[];
  createdAt?: string;
  [key: string]: unknown;
}

async function call(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...extraHeaders },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Answer };
}

/** An execution-free filter policy on orders: US orders whose every line has a positive quantity. */
function usOrders(id: string, name = 'US orders only') {
  return {
    id,
    name,
    kind: 'filter',
    entityType: 'order',
    criticality: 'critical',
    rule: {
      all: [
        { path: 'shipTo.country', operator: 'equals', value: 'US' },
        { path: 'lines[all].quantity', operator: 'greaterThan', value: 0 },
      ],
    },
  };
}

const order = (country: string) => ({
  orderId: 'o-1',
  currency: 'USD',
  shipTo: { postalCode: '10001', country },
  lines: [
    { lineId: '1', sku: 'A', quantity: 2 },
    { lineId: '2', sku: 'B', quantity: 1 },
  ],
});

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-policies-')),
  });
});

afterAll(async () => {
  await host?.stop();
});

it('runs a policy through its versions: create, publish, edit into v2, publish v2, evaluate, unpublish', async () => {
  const id = `${run}-us-only`;

  const created = await call('POST', policiesUrl(), usOrders(id));
  expect(created.status).toBe(201);
  expect(created.headers.get('location')).toBe(`/api/v1/policies/${encodeURIComponent(id)}`);
  expect(created.headers.get('etag')).toMatch(/^".+"$/);
  expect(created.body).toEqual({
    ...usOrders(id),
    version: 1,
    status: 'draft',
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
  });

  const duplicate = await call('POST', policiesUrl(), usOrders(id, 'again'));
  expect(duplicate.status).toBe(409);
  expect(duplicate.headers.get('content-type')).toBe('application/problem+json');
  expect(duplicate.body).toMatchObject({ status: 409, type: expect.stringContaining('policy-exists') });

  // Nothing is published yet: evaluating needs an explicit version.
  expect((await call('POST', policyUrl(id, '/evaluate'), { entity: order('US') })).status).toBe(404);
  const draftRun = await call('POST', policyUrl(id, '/evaluate?version=1'), { entity: order('US') });
  expect(draftRun.status).toBe(200);
  expect(draftRun.body).toMatchObject({ passed: true, version: 1 });

  const published = await call('POST', policyUrl(id, '/publish'));
  expect(published.status).toBe(200);
  expect(published.body).toMatchObject({ id, version: 1, status: 'published' });

  const again = await call('POST', policyUrl(id, '/publish'));
  expect(again.status).toBe(409);
  expect(again.headers.get('content-type')).toBe('application/problem+json');
  expect(again.body).toMatchObject({
    status: 409,
    type: expect.stringContaining('invalid-policy-transition'),
    currentStatus: 'published',
    transition: 'publish',
    detail: expect.stringContaining('published'),
  });

  // Editing the published version makes draft v2; v1 stays published and in force.
  const v1Etag = (await call('GET', policyUrl(id))).headers.get('etag')!;
  const editedBody = {
    ...usOrders(id, 'US or CA orders'),
    rule: { any: [usOrders(id).rule, { path: 'shipTo.country', operator: 'equals', value: 'CA' }] },
  };
  const edited = await call('PUT', policyUrl(id), editedBody, { 'if-match': v1Etag });
  expect(edited.status).toBe(201);
  expect(edited.headers.get('location')).toBe(`/api/v1/policies/${encodeURIComponent(id)}?version=2`);
  expect(edited.body).toMatchObject({ id, version: 2, status: 'draft', name: 'US or CA orders' });
  const v2Etag = edited.headers.get('etag')!;

  expect((await call('GET', policyUrl(id))).body).toMatchObject({ version: 2, status: 'draft' });
  expect((await call('GET', policyUrl(id, '?version=1'))).body).toMatchObject({
    version: 1,
    status: 'published',
    name: 'US orders only',
  });
  const inForce = await call('GET', `${policiesUrl()}?status=published`);
  expect(inForce.body.items.filter((p) => p.id === id)).toEqual([
    expect.objectContaining({ version: 1, status: 'published' }),
  ]);

  // The published v1 decides, with an explanation naming the failing condition.
  const caOrder = await call('POST', policyUrl(id, '/evaluate'), { entity: order('CA') });
  expect(caOrder.status).toBe(200);
  expect(caOrder.body).toMatchObject({
    passed: false,
    version: 1,
    explanation: {
      type: 'all',
      passed: false,
      decidedBy: [
        expect.objectContaining({
          type: 'condition',
          path: 'shipTo.country',
          witness: { path: 'shipTo.country', actual: 'CA' },
          text: expect.stringContaining('CA'),
        }),
      ],
    },
  });
  expect((await call('POST', policyUrl(id, '/evaluate'), { entity: order('US') })).body).toMatchObject({
    passed: true,
    explanation: { passed: true, text: expect.any(String) },
  });

  // A stale If-Match is refused; the draft is then replaced in place with the current one.
  expect((await call('PUT', policyUrl(id), editedBody, { 'if-match': v1Etag })).status).toBe(412);
  const renamed = await call(
    'PUT',
    policyUrl(id),
    { ...editedBody, name: 'North America' },
    { 'if-match': v2Etag }
  );
  expect(renamed.status).toBe(200);
  expect(renamed.body).toMatchObject({ version: 2, status: 'draft', name: 'North America' });
  expect(renamed.body.createdAt).toBe(edited.body.createdAt);

  // Publishing v2 archives v1.
  const v2 = await call('POST', policyUrl(id, '/publish'));
  expect(v2.status).toBe(200);
  expect(v2.body).toMatchObject({ version: 2, status: 'published' });
  expect((await call('GET', policyUrl(id, '?version=1'))).body).toMatchObject({ status: 'archived' });
  expect((await call('POST', policyUrl(id, '/evaluate'), { entity: order('CA') })).body).toMatchObject({
    passed: true,
    version: 2,
  });

  const listed = await call('GET', policiesUrl());
  expect(listed.status).toBe(200);
  expect(listed.body.items.filter((p) => p.id === id)).toEqual([
    expect.objectContaining({ version: 2, status: 'published' }),
  ]);

  const unpublished = await call('POST', policyUrl(id, '/unpublish'));
  expect(unpublished.status).toBe(200);
  expect(unpublished.body).toMatchObject({ version: 2, status: 'archived' });
  expect((await call('POST', policyUrl(id, '/evaluate'), { entity: order('US') })).status).toBe(404);

  const twice = await call('POST', policyUrl(id, '/unpublish'));
  expect(twice.status).toBe(409);
  expect(twice.body).toMatchObject({ currentStatus: 'archived', transition: 'unpublish' });
});

it('refuses a draft that cannot be unpublished, naming its status', async () => {
  const id = `${run}-draft-only`;
  expect((await call('POST', policiesUrl(), usOrders(id))).status).toBe(201);
  const res = await call('POST', policyUrl(id, '/unpublish'));
  expect(res.status).toBe(409);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body).toMatchObject({ currentStatus: 'draft', detail: expect.stringContaining('draft') });
});

describe('bad input is refused with every offending path, and nothing is stored', () => {
  const cases: [string, string, (id: string) => unknown, string[]][] = [
    [
      'missing name and rule',
      'bad1',
      (id) => ({ ...usOrders(id), name: undefined, rule: undefined }),
      ['/name', '/rule'],
    ],
    [
      'unknown operator deep in the rule',
      'bad2',
      (id) => ({
        ...usOrders(id),
        rule: { all: [{ path: 'currency', operator: 'startsWith', value: 'U' }] },
      }),
      ['/rule/all/0/operator'],
    ],
    [
      'server fields',
      'bad3',
      (id) => ({ ...usOrders(id), status: 'published', version: 3 }),
      ['/status', '/version'],
    ],
    [
      'unknown field and bad kind',
      'bad4',
      (id) => ({ ...usOrders(id), kind: 'gate', colour: 'red' }),
      ['/kind', '/colour'],
    ],
    ['malformed JSON', 'bad5', () => '{"id":', ['']],
  ];

  it.each(cases)('%s', async (_name, suffix, body, paths) => {
    const id = `${run}-${suffix}`;
    const res = await call('POST', policiesUrl(), body(id));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    for (const p of paths) expect(res.body.errors.map((e) => e.path)).toContain(p);
    expect((await call('GET', policyUrl(id))).status).toBe(404);
  });

  it('refuses a bad edit with paths and keeps the stored version', async () => {
    const id = `${run}-bad-edit`;
    expect((await call('POST', policiesUrl(), usOrders(id))).status).toBe(201);
    const res = await call('PUT', policyUrl(id), {
      ...usOrders(id),
      entityType: 'fulfillmentOrder',
      rule: { any: [] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['/rule/any']));
    expect((await call('GET', policyUrl(id))).body).toMatchObject(usOrders(id));
    const kindChange = await call('PUT', policyUrl(id), { ...usOrders(id), entityType: 'fulfillmentOrder' });
    expect(kindChange.status).toBe(400);
    expect(kindChange.body.errors).toEqual([
      { path: '/entityType', message: expect.stringContaining('order') },
    ]);
  });

  it('refuses bad query parameters and answers 404 for unknown policies', async () => {
    expect((await call('GET', `${policiesUrl()}?status=live`)).body.errors).toEqual([
      { path: '/status', message: expect.any(String) },
    ]);
    expect((await call('GET', policyUrl(`${run}-us-only`, '?version=0'))).status).toBe(400);
    const missing = await call('GET', policyUrl(`${run}-nope`));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: expect.stringContaining('policy-not-found') });
    expect((await call('PUT', policyUrl(`${run}-nope`), usOrders(`${run}-nope`))).status).toBe(404);
  });
});

it('answers 401 without the function key and stores nothing', async () => {
  const id = `${run}-nokey`;
  const noKey = await fetch(policiesUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(usOrders(id)),
  });
  expect(noKey.status).toBe(401);
  expect((await fetch(policiesUrl())).status).toBe(401);
  expect((await fetch(policyUrl(id, '/publish'), { method: 'POST' })).status).toBe(401);
  expect((await call('GET', policyUrl(id))).status).toBe(404);
});
