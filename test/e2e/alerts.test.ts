import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { startSmtpCatcher, type SmtpCatcher } from '../../infra/local/smtp-catcher';
import { apiClient, type Json } from '../support/api-client';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// Alerts over HTTP on the local host: a rule, an order that never reaches fulfillment (no journey is
// published, so it stays `new`), evaluations as of chosen instants, the alert's email delivered by
// SMTP to the test's own server, and acknowledging it. The host has its own services: its timer
// evaluates every minute, and must find only this test's orders.
const key = 'alerts-key';
let host: HostProcess;
let smtp: SmtpCatcher;
const { call, ok } = apiClient(() => host.url, key);

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-alerts-'));
  host = await startHostProcess(
    {
      ...ownServicesEnv(dataDir),
      OPENIOM_FUNCTIONS_KEY: key,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      SMTP_FROM: 'alerts@shop.example',
    },
    90_000
  );
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await smtp?.close();
});

const minutesAfter = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

it('raises one alert for an order stuck before fulfillment, mails it once, and keeps it quiet once acknowledged', async () => {
  const refused = await call('PUT', '/api/v1/alert-rules/stuck-orders', {
    name: 'Orders stuck before fulfillment',
    kind: 'orderNotSentToFulfillment',
    after: { weeks: 1 },
    recipients: ['not-an-address'],
  });
  expect(refused.status).toBe(400);
  expect((refused.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
    '/after/weeks',
    '/recipients/0',
  ]);

  const rule = {
    name: 'Orders stuck before fulfillment',
    kind: 'orderNotSentToFulfillment',
    after: { minutes: 5 },
    recipients: ['ops@shop.example'],
    severity: 'critical',
  };
  const created = await call('PUT', '/api/v1/alert-rules/stuck-orders', rule);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ id: 'stuck-orders', enabled: true, ...rule });
  expect((await call('PUT', '/api/v1/alert-rules/stuck-orders', rule)).status).toBe(200);
  expect(await ok('GET', '/api/v1/alert-rules/stuck-orders')).toMatchObject(rule);
  expect(((await ok('GET', '/api/v1/alert-rules')).items as Json[]).map((r) => r.id)).toEqual([
    'stuck-orders',
  ]);

  const { orderId } = (await ok('POST', '/api/v1/orders', {
    externalId: 'STUCK-1',
    currency: 'USD',
    customer: { email: 'ann@example.com' },
    shipTo: { postalCode: '10001', country: 'US' },
    lines: [{ sku: 'SHOE', quantity: 1 }],
  })) as { orderId: string };
  const order = await waitFor(
    async () => {
      const answer = await call('GET', `/api/v1/orders/${orderId}`);
      return answer.status === 200 ? answer.body : undefined;
    },
    { what: `order ${orderId} to be created`, timeoutMs: 30_000 }
  );
  expect(order.state).toBe('new');
  const createdAt = order.createdAt as string;

  const early = await ok('POST', '/api/v1/alerts/evaluate', { at: minutesAfter(createdAt, 4) });
  expect(early).toMatchObject({ rules: 1, raised: [], failed: [] });

  const due = await ok('POST', '/api/v1/alerts/evaluate', { at: minutesAfter(createdAt, 6) });
  const raised = due.raised as Json[];
  expect(raised).toHaveLength(1);
  expect(raised[0]).toMatchObject({
    ruleId: 'stuck-orders',
    entityType: 'order',
    entityId: orderId,
    state: 'open',
  });
  const alertId = raised[0]!.id as string;

  expect((await ok('POST', '/api/v1/alerts/evaluate', { at: minutesAfter(createdAt, 10) })).raised).toEqual(
    []
  );
  const open = await ok('GET', '/api/v1/alerts?state=open&ruleId=stuck-orders');
  expect((open.items as Json[]).map((a) => a.id)).toEqual([alertId]);

  // The email: one outbox message, delivered once by SMTP.
  const sent = await waitFor(
    async () => {
      const items = (await ok('GET', `/api/v1/outbox?orderId=${alertId}`)).items as Json[];
      return items.length === 1 && items[0]!.status === 'sent' ? items : undefined;
    },
    { what: 'the alert email to be sent', timeoutMs: 60_000 }
  );
  expect(sent[0]).toMatchObject({ templateId: 'alert-raised', to: 'ops@shop.example' });
  const mails = smtp.mails.filter((m) => m.to.includes('ops@shop.example'));
  expect(mails.map((m) => m.subject)).toEqual([
    `[critical] Orders stuck before fulfillment: Order ${orderId}`,
  ]);

  const ack = await ok('POST', `/api/v1/alerts/${alertId}/acknowledge`, {
    by: 'ann',
    note: 'calling the DC',
  });
  expect(ack).toMatchObject({ id: alertId, state: 'acknowledged', acknowledgedBy: 'ann' });
  // No body at all, and again: the same alert, unchanged.
  expect(await ok('POST', `/api/v1/alerts/${alertId}/acknowledge`)).toEqual(ack);

  expect((await ok('POST', '/api/v1/alerts/evaluate', { at: minutesAfter(createdAt, 60) })).raised).toEqual(
    []
  );
  expect((await ok('GET', '/api/v1/alerts?state=open')).items).toEqual([]);
  expect(
    ((await ok('GET', `/api/v1/alerts?entityId=${orderId}`)).items as Json[]).map((a) => a.state)
  ).toEqual(['acknowledged']);
  expect((await ok('GET', `/api/v1/outbox?orderId=${alertId}`)).items).toHaveLength(1);

  expect((await call('POST', '/api/v1/alerts/alert-nope/acknowledge', {})).status).toBe(404);
  expect((await call('GET', '/api/v1/alerts?state=closed')).status).toBe(400);
  expect((await call('DELETE', '/api/v1/alert-rules/stuck-orders')).status).toBe(204);
  expect((await call('GET', '/api/v1/alert-rules/stuck-orders')).status).toBe(404);
  // Its alerts stay listed.
  expect((await ok('GET', `/api/v1/alerts?ruleId=stuck-orders`)).items).toHaveLength(1);
});
