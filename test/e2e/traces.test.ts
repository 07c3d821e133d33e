import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { apiClient } from '../support/api-client';
import {
  avataxInstanceFor,
  startAvalaraServer,
  type AvalaraServer,
} from '../support/provider-servers/avalara-server';
import { waitFor } from '../support/wait-for';

// One order's trace on the local host (docs/telemetry.md): the intake request, the queue consumer,
// the journey start, each journey step, and the step's call to AvaTax share one trace id with the
// right parents; AvaTax receives the call's `traceparent`; the trace is read back over the API and
// is in the host's span file. The host has a data directory of its own, so the file is its own.
const key = 'traces-key';
const feedSecret = `feed-webhook-secret-${randomUUID()}`;
let host: HostProcess;
let dataDir: string;
let avalara: AvalaraServer;
const { call, ok } = apiClient(() => host.url, key);

interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  status: { code: string };
  attributes: Record<string, unknown>;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-traces-'));
  [host, avalara] = await Promise.all([
    startHostProcess({ ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key }, 90_000),
    startAvalaraServer({ licenseKey: `avatax-license-${randomUUID()}`, companyCode: 'OPENIOM-TRACES' }),
  ]);
  await ok('PUT', '/api/v1/provider-instances/avatax', avataxInstanceFor(avalara));
  await ok('PUT', '/api/v1/provider-instances/feed', {
    provider: 'generic-json',
    active: true,
    secrets: { webhookSecret: feedSecret },
  });
  await ok('PUT', '/api/v1/journeys/traced-orders', {
    type: 'order',
    name: 'Orders with tax',
    steps: [
      {
        name: 'Validate order header',
        action: 'validateOrderHeader',
        inputEvents: ['New Order'],
        successEvent: 'Validation of Order Header has Succeeded',
      },
      {
        name: 'Calculate tax',
        action: 'custom',
        inputEvents: ['Validation of Order Header has Succeeded'],
        providerAction: { instanceId: 'avatax', action: 'calculateTax' },
        successEvent: 'Tax Calculated',
      },
      { kind: 'exit', name: 'Complete', inputEvents: ['Tax Calculated'] },
    ],
  });
  await ok('POST', '/api/v1/journeys/traced-orders/publish');
}, 200_000);

afterAll(async () => {
  await host?.stop();
  await avalara?.close();
});

const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  return { traceId, callerSpanId, traceparent: `00-${traceId}-${callerSpanId}-01` };
};

const orderBody = (externalId: string) => ({
  externalId,
  currency: 'USD',
  customer: { email: 'buyer@example.com', name: 'Jane Doe' },
  shipTo: { line1: '400 Broad St', city: 'Louisville', state: 'KY', postalCode: '40202', country: 'US' },
  lines: [{ sku: 'TRACE-SKU', quantity: 2, unitPrice: 1000 }],
});

async function completedOrder(orderId: string, status = 'completed') {
  return waitFor(
    async () => {
      const found = await call('GET', `/api/v1/orders/${orderId}`);
      const journey = found.body.journey as { status: string } | null | undefined;
      return journey?.status === status ? found.body : undefined;
    },
    { what: `order ${orderId}'s journey to be ${status}`, timeoutMs: 90_000 }
  ).catch(async (err: Error) => {
    const timeline = await call('GET', `/api/v1/orders/${orderId}/timeline`);
    throw new Error(`${err.message}\n${JSON.stringify(timeline.body)}\n${host.stderr().slice(-4000)}`);
  });
}

/** The trace's spans, and its one span of a name. */
async function traceOf(traceId: string) {
  const spans = (await ok('GET', `/api/v1/traces/${traceId}`)).spans as SpanView[];
  expect(spans.every((span) => span.traceId === traceId)).toBe(true);
  const one = (name: string) => {
    const named = spans.filter((span) => span.name === name);
    expect(named.map((span) => span.name)).toEqual([name]);
    return named[0]!;
  };
  return { spans, one };
}

it("shares one trace from the intake request through the journey's steps to the provider call", async () => {
  // The caller's own trace: the intake continues it.
  const { traceId, callerSpanId, traceparent } = newTraceparent();
  const accepted = await fetch(`${host.url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'x-functions-key': key, 'content-type': 'application/json', traceparent },
    body: JSON.stringify(orderBody(`traced-${Date.now()}`)),
  });
  expect(accepted.status).toBe(202);
  const { orderId } = (await accepted.json()) as { orderId: string };
  const order = await completedOrder(orderId);
  expect(order.traceId).toBe(traceId);

  const { spans, one } = await traceOf(traceId);

  const intake = one('POST /api/v1/orders');
  expect(intake).toMatchObject({ kind: 'server', parentSpanId: callerSpanId });
  expect(intake.attributes['http.response.status_code']).toBe(202);
  const created = one('order.create');
  expect(created).toMatchObject({ kind: 'consumer', parentSpanId: intake.spanId });
  expect(created.attributes['openiom.order_id']).toBe(orderId);
  const started = one('journey.start');
  expect(started.parentSpanId).toBe(created.spanId);
  const instanceId = `order:${orderId}:traced-orders`;
  expect(started.attributes['openiom.instance_id']).toBe(instanceId);

  const validate = one('journey.step Validate order header');
  const tax = one('journey.step Calculate tax');
  for (const step of [validate, tax]) {
    expect(step.parentSpanId).toBe(started.spanId);
    expect(step.attributes).toMatchObject({
      'openiom.order_id': orderId,
      'openiom.instance_id': instanceId,
      'openiom.outcome': 'succeeded',
    });
  }

  const avataxHost = new URL(avalara.url).host;
  const providerCall = one(`HTTP POST ${avataxHost}`);
  expect(providerCall).toMatchObject({ kind: 'client', parentSpanId: tax.spanId });
  expect(providerCall.attributes['http.response.status_code']).toBe(201);
  const taxCalls = avalara.requests.filter((r) => r.path === '/api/v2/transactions/create');
  expect(taxCalls.map((r) => r.headers.traceparent)).toEqual([`00-${traceId}-${providerCall.spanId}-01`]);

  // Readable locally: the same spans are lines of the host's span file.
  const file = path.join(dataDir, 'traces', 'spans.jsonl');
  expect(existsSync(file)).toBe(true);
  const inFile = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(traceId))
    .map((line) => (JSON.parse(line) as SpanView).spanId);
  expect(new Set(inFile)).toEqual(new Set(spans.map((span) => span.spanId)));
});

it('continues the trace of a provider webhook through its inbound message to the order and its steps', async () => {
  const { traceId, callerSpanId, traceparent } = newTraceparent();
  const externalId = `feed-${Date.now()}`;
  const body = JSON.stringify(orderBody(externalId));
  const sent = await fetch(`${host.url}/api/providers/feed/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-Openiom-Signature': `sha256=${createHmac('sha256', feedSecret).update(body).digest('hex')}`,
      'X-Openiom-Delivery-Id': externalId,
      traceparent,
    },
    body,
  });
  expect(sent.status).toBe(202);
  const orderId = await waitFor(
    async () => {
      const found = await ok('GET', `/api/v1/orders?externalId=${externalId}`);
      return (found.items as { orderId: string }[])[0]?.orderId;
    },
    { what: `the order of webhook ${externalId}`, timeoutMs: 60_000 }
  );
  expect((await completedOrder(orderId)).traceId).toBe(traceId);

  const { one } = await traceOf(traceId);
  const webhook = one('POST /api/providers/{instanceId}/webhook');
  expect(webhook).toMatchObject({ kind: 'server', parentSpanId: callerSpanId });
  const inbound = one('provider.inbound');
  expect(inbound).toMatchObject({ kind: 'consumer', parentSpanId: webhook.spanId });
  expect(inbound.attributes).toMatchObject({
    'openiom.provider_instance': 'feed',
    'openiom.outcome': 'created',
  });
  const created = one('order.create');
  expect(created.parentSpanId).toBe(inbound.spanId);
  const started = one('journey.start');
  expect(started.parentSpanId).toBe(created.spanId);
  const tax = one('journey.step Calculate tax');
  expect(tax.parentSpanId).toBe(started.spanId);
  expect(one(`HTTP POST ${new URL(avalara.url).host}`).parentSpanId).toBe(tax.spanId);
});

it('logs a failed step as a JSON line with the order, the instance and the trace, and marks its spans failed', async () => {
  avalara.faults.refuse('Address not found');
  try {
    const accepted = await ok('POST', '/api/v1/orders', orderBody(`refused-${Date.now()}`));
    const orderId = accepted.orderId as string;
    const order = await completedOrder(orderId, 'failed');
    const traceId = order.traceId as string;

    const line = await waitFor(
      () =>
        host
          .stderr()
          .split('\n')
          .filter((l) => l.includes('[runJourneyStep] {'))
          .map((l) => JSON.parse(l.slice(l.indexOf('{'))) as Record<string, string>)
          .find((fields) => fields.orderId === orderId),
      { what: `the log line of order ${orderId}'s failed step`, timeoutMs: 10_000 }
    );
    expect(line).toEqual({
      level: 'warning',
      message: expect.stringMatching(/^step Calculate tax failed: .*Address not found/),
      function: 'runJourneyStep',
      invocationId: expect.any(String),
      orderId,
      instanceId: `order:${orderId}:traced-orders`,
      traceId,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });

    const { one } = await traceOf(traceId);
    const tax = one('journey.step Calculate tax');
    expect(tax).toMatchObject({ spanId: line.spanId, status: { code: 'error' } });
    expect(tax.attributes['openiom.outcome']).toBe('failed');
    const refused = one(`HTTP POST ${new URL(avalara.url).host}`);
    expect(refused).toMatchObject({ parentSpanId: tax.spanId, status: { code: 'error' } });
    expect(refused.attributes['http.response.status_code']).toBe(400);
  } finally {
    avalara.faults.accept();
  }
});

it('answers 404 for a trace it has no span of and 400 for what is not a trace id', async () => {
  const unknown = await call('GET', `/api/v1/traces/${randomBytes(16).toString('hex')}`);
  expect(unknown.status).toBe(404);
  const malformed = await call('GET', '/api/v1/traces/not-a-trace');
  expect(malformed.status).toBe(400);
  expect(malformed.body.errors).toEqual([{ path: '/traceId', message: expect.any(String) }]);
});
