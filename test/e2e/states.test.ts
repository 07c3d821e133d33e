import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// Custom states change how the whole app moves orders, so this host gets services of its own.
const key = 'states-key';
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-states-'));
let host: HostProcess;

const custom = {
  states: [{ entityType: 'order', name: 'awaiting payment', timelinePosition: 1.5 }],
  transitions: [
    { entityType: 'order', event: 'New Order', sourceState: 'new', targetState: 'awaiting payment' },
    {
      entityType: 'order',
      event: 'Validation of Order Header has Succeeded',
      sourceState: 'awaiting payment',
      targetState: 'in progress',
      targetReason: 'order validation succeeded',
    },
  ],
};

async function putStates(body: unknown, extra: Record<string, string> = {}) {
  const res = await fetch(`${host.url}/api/v1/states`, {
    method: 'PUT',
    headers: { ...headers, ...extra },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function newOrder(externalId: string): Promise<string> {
  const res = await fetch(`${host.url}/api/v1/orders`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      externalId,
      currency: 'USD',
      customer: {},
      shipTo: { postalCode: '98052', country: 'US' },
      lines: [{ sku: 'A', quantity: 1 }],
    }),
  });
  const { orderId } = (await res.json()) as { orderId: string };
  await waitFor(
    async () => (await fetch(`${host.url}/api/v1/orders/${orderId}`, { headers })).status === 200,
    {
      what: 'the order',
    }
  );
  return orderId;
}

async function stateOf(orderId: string): Promise<string> {
  return (
    (await (await fetch(`${host.url}/api/v1/orders/${orderId}`, { headers })).json()) as { state: string }
  ).state;
}

beforeAll(async () => {
  host = await startHostProcess({
    AzureWebJobsStorage: '',
    COSMOS_ENDPOINT: '',
    COSMOS_KEY: '',
    OPENIOM_DATA_DIR: dataDir,
    OPENIOM_FUNCTIONS_KEY: key,
  });
}, 90_000);

afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('shows the out-of-box framework, read-only', async () => {
  const res = await fetch(`${host.url}/api/v1/states`, { headers });
  expect(res.status).toBe(200);
  const config = (await res.json()) as {
    enabled: boolean;
    states: { entityType: string; name: string; readOnly: boolean }[];
  };
  expect(config.enabled).toBe(true);
  expect(config.states).toContainEqual(
    expect.objectContaining({ entityType: 'order', name: 'in progress', readOnly: true })
  );
});

it('refuses rows that name unknown states or change out-of-box ones, storing nothing', async () => {
  const unknown = await putStates({
    transitions: [{ entityType: 'order', event: 'New Order', sourceState: 'new', targetState: 'teleported' }],
  });
  expect(unknown.status).toBe(400);
  expect((unknown.body.errors as { path: string }[]).map((e) => e.path)).toContain(
    '/transitions/0/targetState'
  );
  const readOnly = await putStates({
    deleted: [{ kind: 'state', entityType: 'order', name: 'in progress' }],
  });
  expect(readOnly.status).toBe(400);
  const shape = await putStates({ states: [{ entityType: 'order' }] });
  expect(shape.status).toBe(400);
  const now = (await (await fetch(`${host.url}/api/v1/states`, { headers })).json()) as {
    states: { name: string }[];
  };
  expect(now.states.some((s) => s.name === 'teleported' || s.name === 'awaiting payment')).toBe(false);
});

it('applies custom states and transitions to new orders and raised events', async () => {
  const saved = await putStates(custom);
  expect(saved.status).toBe(200);
  expect(saved.etag).toBeTruthy();
  const orderId = await newOrder(`states-${Date.now()}`);
  expect(await stateOf(orderId)).toBe('awaiting payment');
  const raised = await fetch(`${host.url}/api/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'Validation of Order Header has Succeeded',
      entityType: 'order',
      entityId: orderId,
    }),
  });
  expect(raised.status).toBe(201);
  expect(await stateOf(orderId)).toBe('in progress');

  const stale = await putStates({ ...custom, enabled: false }, { 'if-match': '"not-the-etag"' });
  expect(stale.status).toBe(412);
});

it('can be switched off: events are recorded but never change state', async () => {
  const current = await fetch(`${host.url}/api/v1/states`, { headers });
  const off = await putStates({ ...custom, enabled: false }, { 'if-match': current.headers.get('etag')! });
  expect(off.status).toBe(200);
  const orderId = await newOrder(`states-off-${Date.now()}`);
  expect(await stateOf(orderId)).toBe('new');
  const raised = await fetch(`${host.url}/api/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'Validation of Order Header has Failed',
      entityType: 'order',
      entityId: orderId,
    }),
  });
  expect(raised.status).toBe(201);
  expect(await stateOf(orderId)).toBe('new');
  const timeline = (await (
    await fetch(`${host.url}/api/v1/orders/${orderId}/timeline`, { headers })
  ).json()) as {
    items: { name: string }[];
  };
  expect(timeline.items.map((e) => e.name)).toContain('Validation of Order Header has Failed');
});
