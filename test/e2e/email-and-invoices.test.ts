import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { queueEmail } from '../../shared/app/email/queue-email';
import { queueEmailDeps } from '../../shared/app/email/wiring';
import { createInvoice } from '../../shared/app/invoices/create-invoice';
import { createInvoiceDeps } from '../../shared/app/invoices/wiring';
import { getOrderRepository } from '../../shared/app/orders/wiring';
import { getCosmosDatabase } from '../../shared/app/platform/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import { newOrder } from '../../shared/domain/orders/order';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';

// Email templates, the outbox and invoices over HTTP on the local host. No journey step queues
// emails or bills yet, so the test calls those use cases itself, against the host's database.

const key = 'email-invoices-key';
const database = `e2e-email-invoices-${randomUUID()}`;
const saved = { ...process.env };
let host: HostProcess;
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };

const templateUrl = (id: string) => `${host.url}/api/v1/email-templates/${encodeURIComponent(id)}`;

async function putTemplate(id: string, body: unknown) {
  return fetch(templateUrl(id), { method: 'PUT', headers, body: JSON.stringify(body) });
}

async function getJson(url: string) {
  const res = await fetch(url, { headers });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

beforeAll(async () => {
  process.env = { ...saved, COSMOS_DATABASE: database };
  resetConfigForTests();
  resetRegistry();
  host = await startHostProcess({
    ...sharedServicesEnv(),
    // Its own Azurite: on the shared one, other files' hosts would take its queue messages (and it
    // theirs) and write them to another database.
    AzureWebJobsStorage: '',
    COSMOS_DATABASE: database,
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-email-invoices-')),
  });
});

afterAll(async () => {
  await host?.stop();
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

describe('email templates', () => {
  it('creates (201), replaces (200) and reads back a user template', async () => {
    const template = { subject: 'Hi {{order.customer.name}}', text: 'Order {{order.externalId}}' };
    const created = await putTemplate('welcome', template);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/email-templates/welcome');
    expect(await created.json()).toEqual({
      id: 'welcome',
      ...template,
      builtIn: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const replaced = await putTemplate('welcome', { ...template, html: '<p>{{order.externalId}}</p>' });
    expect(replaced.status).toBe(200);
    const view = (await replaced.json()) as Record<string, unknown>;
    expect(view).toMatchObject({ id: 'welcome', html: '<p>{{order.externalId}}</p>', builtIn: false });

    expect(await getJson(templateUrl('welcome'))).toMatchObject({ status: 200, body: view });
  });

  it('lists the built-ins with builtIn: true, then the user templates', async () => {
    expect((await putTemplate('zz-last', { subject: 's', text: 't' })).status).toBe(201);
    const list = await getJson(`${host.url}/api/v1/email-templates`);
    expect(list.status).toBe(200);
    const items = list.body.items as { id: string; builtIn: boolean }[];
    expect(items.filter((t) => t.builtIn).map((t) => t.id)).toEqual([
      'alert-raised',
      'fulfillment-order-created',
      'order-cancelled',
      'order-confirmation',
      'order-shipped',
      'return-instructions',
    ]);
    expect(items.slice(0, 3).every((t) => t.builtIn)).toBe(true);
    expect(items.find((t) => t.id === 'zz-last')).toMatchObject({ subject: 's', text: 't', builtIn: false });
  });

  it('reads a built-in, and refuses to overwrite it with 409', async () => {
    const builtIn = await getJson(templateUrl('order-shipped'));
    expect(builtIn).toMatchObject({ status: 200, body: { id: 'order-shipped', builtIn: true } });
    expect(builtIn.body.text).toContain('{{trackingNumber}}');

    // Refused as built in whatever the body, valid or not.
    expect((await putTemplate('order-shipped', { html: '{{#x}}' })).status).toBe(409);
    const refused = await putTemplate('order-shipped', { subject: 's', text: 't' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({
      status: 409,
      type: expect.stringMatching(/built-in-email-template$/),
    });
    expect((await getJson(templateUrl('order-shipped'))).body).toEqual(builtIn.body);
  });

  it('answers 400 with the path and the parser message for a template that does not parse, and stores nothing', async () => {
    const res = await putTemplate('broken', {
      subject: 'ok',
      text: 'ok',
      html: '<ul>{{#lines}}<li>{{sku}}</li></ul>',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({
      status: 400,
      errors: [{ path: '/html', message: expect.stringContaining('Unclosed section "lines"') }],
    });
    expect((await getJson(templateUrl('broken'))).status).toBe(404);
  });

  it('answers 400 with paths for a body or id the schema refuses', async () => {
    const res = await putTemplate('bad id!', { text: 'x', colour: 'red' });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['/colour', '/id', '/subject']);
  });

  it('answers 404 problem+json for an unknown template', async () => {
    const res = await getJson(templateUrl('no-such-template'));
    expect(res).toMatchObject({ status: 404, type: 'application/problem+json' });
  });
});

describe('outbox and invoices', () => {
  async function storedOrder() {
    const orderId = randomUUID();
    const order = newOrder(
      {
        externalId: `WEB-${orderId.slice(0, 8)}`,
        currency: 'USD',
        customer: { email: 'ann@example.com', name: 'Ann' },
        shipTo: { postalCode: '10001', country: 'US' },
        lines: [{ sku: 'SHOE', quantity: 2, unitPrice: 1999 }],
      },
      { orderId, intakeKey: orderId },
      new Date()
    );
    await (await getOrderRepository()).createWithTimeline(order, []);
    return order;
  }

  it('lists the order’s queued emails oldest first', async () => {
    const order = await storedOrder();
    const deps = await queueEmailDeps();
    const first = await queueEmail(deps, {
      key: `${order.orderId}:confirm`,
      orderId: order.orderId,
      templateId: 'order-confirmation',
      model: { order },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await queueEmail(deps, {
      key: `${order.orderId}:shipped`,
      orderId: order.orderId,
      templateId: 'order-shipped',
      model: { order, shipments: [{ carrier: 'UPS', trackingNumber: '1Z1', lines: order.lines }] },
    });
    const res = await getJson(`${host.url}/api/v1/outbox?orderId=${encodeURIComponent(order.orderId)}`);
    expect(res).toEqual({
      status: 200,
      type: expect.stringContaining('application/json'),
      // This host has no SMTP_URL: the queued messages say that nothing sends them.
      body: {
        items: [first, second].map((m) => ({
          ...m,
          statusReason: expect.stringMatching(/SMTP_URL is not set/),
        })),
      },
    });
    expect((await getJson(`${host.url}/api/v1/outbox?orderId=another-order`)).body).toEqual({ items: [] });
  });

  it('answers 400 with path /orderId when the outbox is asked without one', async () => {
    for (const query of ['', '?orderId=']) {
      const res = await getJson(`${host.url}/api/v1/outbox${query}`);
      expect(res).toMatchObject({ status: 400, type: 'application/problem+json' });
      expect((res.body.errors as { path: string }[]).map((e) => e.path)).toEqual(['/orderId']);
    }
  });

  it('lists the order’s invoices, and 404 for an unknown order', async () => {
    const order = await storedOrder();
    const url = `${host.url}/api/v1/orders/${order.orderId}/invoices`;
    expect(await getJson(url)).toMatchObject({ status: 200, body: { items: [] } });
    const invoice = await createInvoice(await createInvoiceDeps(), {
      key: `${order.orderId}:all`,
      orderId: order.orderId,
    });
    expect(invoice?.total).toBe(3998);
    expect(await getJson(url)).toMatchObject({ status: 200, body: { items: [invoice] } });

    const unknown = await getJson(`${host.url}/api/v1/orders/no-such-order/invoices`);
    expect(unknown).toMatchObject({ status: 404, type: 'application/problem+json', body: { status: 404 } });
  });
});
