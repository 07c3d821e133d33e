import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';
import { checkedFetch } from '../support/openapi-contract';

// Every answer of the app is checked against its OpenAPI description.
const api = checkedFetch();

// Direct intake on the local host, as a client would use it: POST an order, follow statusUrl.
const key = 'orders-key';
let host: HostProcess;
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const run = Date.now().toString(36);

function anOrder(
  externalId: string,
  lines: { lineId?: string; sku: string; quantity: number; unitPrice?: number }[] = [
    { sku: 'SKU-1', quantity: 2, unitPrice: 1999 },
  ]
) {
  return {
    externalId,
    channel: 'web',
    currency: 'USD',
    customer: { email: 'ada@example.com', name: 'Ada' },
    shipTo: { line1: '1 Main St', city: 'Redmond', state: 'WA', postalCode: '98052', country: 'US' },
    lines,
  };
}

async function post(body: unknown, extraHeaders: Record<string, string> = {}) {
  return api(`${host.url}/api/v1/orders`, {
    method: 'POST',
    headers: { ...headers, ...extraHeaders },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function ordersWithExternalId(externalId: string): Promise<{ orderId: string }[]> {
  const res = await api(`${host.url}/api/v1/orders?externalId=${encodeURIComponent(externalId)}`, {
    headers,
  });
  return ((await res.json()) as { items: { orderId: string }[] }).items;
}

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-orders-')),
    OPENIOM_MAX_ORDER_LINES: '5',
  });
});

afterAll(async () => {
  await host?.stop();
});

it('accepts an order with 202, then shows it created with its state, lines and timeline', async () => {
  const res = await post(anOrder(`${run}-a`));
  expect(res.status).toBe(202);
  const accepted = (await res.json()) as { orderId: string; duplicate: boolean; statusUrl: string };
  expect(accepted).toMatchObject({ duplicate: false, statusUrl: `/api/v1/orders/${accepted.orderId}` });

  const order = await waitFor(
    async () => {
      const r = await api(`${host.url}${accepted.statusUrl}`, { headers });
      return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : undefined;
    },
    { what: 'the order to be created' }
  );
  expect(order).toMatchObject({
    orderId: accepted.orderId,
    externalId: `${run}-a`,
    currency: 'USD',
    state: expect.any(String),
    lines: [{ lineId: '1', sku: 'SKU-1', quantity: 2, unitPrice: 1999, state: expect.any(String) }],
    fulfillmentOrders: [],
  });
  const timeline = await (await api(`${host.url}${accepted.statusUrl}/timeline`, { headers })).json();
  expect(timeline).toMatchObject({
    items: [{ kind: 'event', name: 'New Order', entityId: accepted.orderId }],
  });

  const byState = await api(`${host.url}/api/v1/orders?state=${String(order.state)}&top=1`, { headers });
  expect(((await byState.json()) as { items: unknown[] }).items).toHaveLength(1);
});

it('answers 20 concurrent duplicates with one order id and creates the order once', async () => {
  const body = anOrder(`${run}-dup`);
  const answers = await Promise.all(
    Array.from({ length: 20 }, async () => (await post(body, { 'idempotency-key': `${run}-dup-key` })).json())
  );
  const ids = new Set(answers.map((a) => (a as { orderId: string }).orderId));
  expect(ids.size).toBe(1);
  expect(answers.filter((a) => !(a as { duplicate: boolean }).duplicate)).toHaveLength(1);
  const created = await waitFor(
    async () => {
      const items = await ordersWithExternalId(`${run}-dup`);
      return items.length > 0 ? items : undefined;
    },
    { what: 'the order' }
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await ordersWithExternalId(`${run}-dup`)).toHaveLength(1);
  expect(created[0]!.orderId).toBe([...ids][0]);
  const later = (await (await post(body, { 'idempotency-key': `${run}-dup-key` })).json()) as Record<
    string,
    unknown
  >;
  expect(later).toMatchObject({ orderId: [...ids][0], duplicate: true });
});

describe('bad input is refused with every offending path, and nothing is stored', () => {
  const cases: [string, () => Promise<Response>, number, string[]][] = [
    ['malformed JSON', () => post('{"externalId":'), 400, ['']],
    [
      'wrong content type',
      () =>
        api(`${host.url}/api/v1/orders`, {
          method: 'POST',
          headers: { 'x-functions-key': key, 'content-type': 'text/plain' },
          body: JSON.stringify(anOrder(`${run}-ct`)),
        }),
      415,
      [],
    ],
    [
      'missing and wrong-typed fields',
      () =>
        post({
          externalId: `${run}-bad1`,
          currency: 'USD',
          customer: {},
          shipTo: { country: 'US' },
          lines: [{ sku: 'A', quantity: '2' }],
        }),
      400,
      ['/shipTo/postalCode', '/lines/0/quantity'],
    ],
    [
      'zero and negative quantities',
      () =>
        post(
          anOrder(`${run}-bad2`, [
            { sku: 'A', quantity: 0 },
            { sku: 'B', quantity: -3 },
          ])
        ),
      400,
      ['/lines/0/quantity', '/lines/1/quantity'],
    ],
    ['unknown currency', () => post({ ...anOrder(`${run}-bad3`), currency: 'XYZ' }), 400, ['/currency']],
    [
      'too many lines',
      () =>
        post(
          anOrder(
            `${run}-bad4`,
            Array.from({ length: 6 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }))
          )
        ),
      400,
      ['/lines'],
    ],
    [
      'repeated line ids',
      () =>
        post(
          anOrder(`${run}-bad5`, [
            { lineId: 'x', sku: 'A', quantity: 1 },
            { lineId: 'x', sku: 'B', quantity: 1 },
          ])
        ),
      400,
      ['/lines/1/lineId'],
    ],
  ];

  it.each(cases)('%s', async (_name, send, status, paths) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { status: number; errors?: { path: string }[] };
    expect(problem.status).toBe(status);
    for (const p of paths) expect(problem.errors?.map((e) => e.path)).toContain(p);
  });

  it('leaves no order behind for any of them', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const suffix of ['ct', 'bad1', 'bad2', 'bad3', 'bad4', 'bad5']) {
      expect(await ordersWithExternalId(`${run}-${suffix}`)).toEqual([]);
    }
  });
});

it('answers 404 problem+json for an unknown order and 401 without the key', async () => {
  const missing = await api(`${host.url}/api/v1/orders/nope`, { headers });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ status: 404 });
  expect((await api(`${host.url}/api/v1/orders/nope`)).status).toBe(401);
});
