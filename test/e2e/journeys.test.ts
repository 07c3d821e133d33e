import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';

// Journey definitions on the local host (docs/journeys.md, docs/api.md `/api/v1/journeys`).
const key = 'journeys-key';
let host: HostProcess;
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const run = Date.now().toString(36);

const journeyUrl = (id: string, suffix = '') =>
  `${host.url}/api/v1/journeys/${encodeURIComponent(id)}${suffix}`;

interface Answer {
  errors: { path: string; message: string }[];
  items: { id: string; version: number; status: string }[];
  [key: string]: unknown;
}

async function call(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...extraHeaders },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Answer };
}

/** Creates and (unless `publish` is false) publishes a filter policy about `entityType`. */
async function policy(id: string, entityType: string, publish = true) {
  const created = await call('POST', `${host.url}/api/v1/policies`, {
    id,
    name: id,
    kind: 'filter',
    entityType,
    criticality: 'critical',
    rule: { path: 'currency', operator: 'equals', value: 'USD' },
  });
  expect(created.status).toBe(201);
  if (publish) expect((await call('POST', `${host.url}/api/v1/policies/${id}/publish`)).status).toBe(200);
}

/** Validate the header, then a condition on a policy, then reserve or exit. */
function journey(
  name: string,
  usPolicy: string
): { name: string; type: string; steps: Record<string, unknown>[] } {
  return {
    name,
    type: 'order',
    steps: [
      {
        name: 'Validate header',
        action: 'validateOrderHeader',
        inputEvents: ['New Order'],
        successEvent: 'Header ok',
      },
      {
        kind: 'condition',
        name: 'US?',
        inputEvents: ['Header ok'],
        filterPolicyId: usPolicy,
        trueEvent: 'Is US',
        falseEvent: 'Not US',
      },
      { name: 'Reserve', action: 'softReserveInventory', inputEvents: ['Is US'], successEvent: 'Reserved' },
      { kind: 'exit', name: 'Done', inputEvents: ['Reserved', 'Not US'] },
    ],
  };
}

beforeAll(async () => {
  // Its own services: a journey published here would otherwise run the orders of other tests' hosts.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-journeys-'));
  host = await startHostProcess({ ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key });
  await policy(`${run}-us`, 'order');
  await policy(`${run}-draft`, 'order', false);
  await policy(`${run}-fo`, 'fulfillmentOrder');
});

afterAll(async () => {
  await host?.stop();
});

it('drafts, publishes, edits into v2 while v1 stays published, publishes v2 and archives v1', async () => {
  const id = `${run}-main`;
  const created = await call('PUT', journeyUrl(id), journey('Main', `${run}-us`));
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ id, version: 1, status: 'draft', startEvent: 'New Order' });
  expect((created.body.steps as { kind: string }[]).map((s) => s.kind)).toEqual([
    'step',
    'condition',
    'step',
    'exit',
  ]);

  const replaced = await call('PUT', journeyUrl(id), { ...journey('Main draft 2', `${run}-us`) });
  expect(replaced.status).toBe(200);
  expect(replaced.body).toMatchObject({ version: 1, status: 'draft', name: 'Main draft 2' });
  const stale = await call('PUT', journeyUrl(id), journey('x', `${run}-us`), {
    'if-match': created.headers.get('etag')!,
  });
  expect(stale.status).toBe(412);

  const published = await call('POST', journeyUrl(id, '/publish'));
  expect(published.status).toBe(200);
  expect(published.body).toMatchObject({ id, version: 1, status: 'published' });
  const noDraft = await call('POST', journeyUrl(id, '/publish'));
  expect(noDraft.status).toBe(409);
  expect(noDraft.headers.get('content-type')).toBe('application/problem+json');

  const edited = await call('PUT', journeyUrl(id), journey('Main v2', `${run}-us`));
  expect(edited.status).toBe(201);
  expect(edited.body).toMatchObject({ version: 2, status: 'draft', name: 'Main v2' });
  const both = await call('GET', journeyUrl(id));
  expect(both.body).toMatchObject({ version: 2, status: 'draft', publishedVersion: 1 });
  expect(both.body.versions).toEqual([
    expect.objectContaining({ version: 1, status: 'published' }),
    expect.objectContaining({ version: 2, status: 'draft' }),
  ]);
  const inForce = await call('GET', `${host.url}/api/v1/journeys?status=published&type=order`);
  expect(inForce.body.items.filter((j) => j.id === id)).toEqual([
    expect.objectContaining({ version: 1, status: 'published', name: 'Main draft 2' }),
  ]);

  expect((await call('POST', journeyUrl(id, '/publish'))).body).toMatchObject({
    version: 2,
    status: 'published',
  });
  const after = await call('GET', journeyUrl(id));
  expect(after.body).toMatchObject({ version: 2, status: 'published', publishedVersion: 2 });
  expect(after.body.versions).toEqual([
    expect.objectContaining({ version: 1, status: 'archived' }),
    expect.objectContaining({ version: 2, status: 'published' }),
  ]);
  expect((await call('GET', journeyUrl(id, '?version=1'))).body).toMatchObject({
    version: 1,
    name: 'Main draft 2',
  });

  const unpublished = await call('POST', journeyUrl(id, '/unpublish'));
  expect(unpublished.body).toMatchObject({ version: 2, status: 'archived' });
  expect((await call('GET', journeyUrl(id))).body.publishedVersion).toBeNull();
});

it('refuses a bad journey at publish with errors naming each step, and stays a draft', async () => {
  const id = `${run}-bad`;
  const body = journey('Bad', `${run}-draft`);
  body.steps[2] = { ...body.steps[2]!, inputEvents: ['Is Canada'] };
  body.steps.push(
    { name: 'Ping', action: 'custom', inputEvents: ['Pong'], successEvent: 'Ping' },
    {
      name: 'Pong',
      action: 'custom',
      inputEvents: ['Ping'],
      successEvent: 'Pong',
      filterPolicyId: `${run}-fo`,
    },
    { name: 'Lost', action: 'custom', inputEvents: ['Header ok'], filterPolicyId: `${run}-none` }
  );
  expect((await call('PUT', journeyUrl(id), body)).status).toBe(201);

  const refused = await call('POST', journeyUrl(id, '/publish'));
  expect(refused.status).toBe(400);
  expect(refused.headers.get('content-type')).toBe('application/problem+json');
  expect(refused.body.errors).toEqual([
    { path: '/steps/1/filterPolicyId', message: `"US?": policy ${run}-draft is not published (it is draft)` },
    { path: '/steps/2/inputEvents/0', message: expect.stringMatching(/^"Reserve": input event "Is Canada"/) },
    { path: '/steps/4', message: expect.stringMatching(/^"Ping": is unreachable/) },
    {
      path: '/steps/5/filterPolicyId',
      message: expect.stringMatching(new RegExp(`^"Pong": policy ${run}-fo is about fulfillmentOrder`)),
    },
    { path: '/steps/5', message: expect.stringMatching(/^"Pong": is unreachable/) },
    { path: '/steps/6/filterPolicyId', message: `"Lost": policy ${run}-none does not exist` },
  ]);
  expect((await call('GET', journeyUrl(id))).body).toMatchObject({ status: 'draft', publishedVersion: null });
});

it('refuses bad bodies and ids with problem+json paths, and unknown journeys with 404', async () => {
  const bad = await call('PUT', journeyUrl(`${run}-shape`), {
    name: 'Shape',
    type: 'order',
    steps: [
      { name: 'X', action: 'teleport', inputEvents: ['New Order'] },
      { kind: 'exit', name: 'E', action: 'custom' },
    ],
  });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e) => e.path)).toEqual(['/steps/0/action']);
  const wrongKind = await call('PUT', journeyUrl(`${run}-shape`), {
    name: 'Shape',
    type: 'order',
    steps: [{ kind: 'exit', name: 'E', action: 'custom' }],
  });
  expect(wrongKind.body.errors).toEqual([
    { path: '/steps/0/action', message: 'is not a field of a node of kind exit' },
  ]);

  const missing = await call('GET', journeyUrl(`${run}-nope`));
  expect(missing.status).toBe(404);
  expect(missing.body).toMatchObject({ type: expect.stringMatching(/journey-not-found$/) });
  expect((await call('POST', journeyUrl(`${run}-nope`, '/publish'))).status).toBe(404);
  const longId = await call('GET', journeyUrl('x'.repeat(101)));
  expect(longId.status).toBe(400);
  expect(longId.body.errors.map((e) => e.path)).toEqual(['/journeyId']);
  expect((await call('GET', journeyUrl(`${run}-main`, '?version=0'))).status).toBe(400);
});
