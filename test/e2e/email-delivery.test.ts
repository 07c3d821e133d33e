import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from '../../infra/local/smtp-catcher';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { apiClient, type Json } from '../support/api-client';
import { waitFor } from '../support/wait-for';

// Emails of the default journeys delivered by SMTP on the local host: an SMTP server of the test's
// own (the local catcher) receives them; each arrives once however often its step is asked again.
const key = 'email-delivery-key';
let host: HostProcess;
const { call, ok } = apiClient(() => host.url, key);
let smtp: SmtpCatcher;
const busyAddress = 'busy@example.com';
const unknownAddress = 'nobody@example.com';

interface OutboxItem {
  id: string;
  templateId: string;
  status: string;
  sentAt?: string;
  messageId?: string;
  attempts?: number;
  statusReason?: string;
}

const outbox = async (orderId: string) =>
  (await ok('GET', `/api/v1/outbox?orderId=${orderId}`)).items as OutboxItem[];

interface OrderView {
  state: string;
  fulfillmentOrders: { id: string }[];
  journey: { status: string; step: string | null } | null;
}

async function orderWhere(orderId: string, holds: (order: OrderView) => boolean, what: string) {
  return waitFor(
    async () => {
      const order = (await ok('GET', `/api/v1/orders/${orderId}`)) as unknown as OrderView;
      return holds(order) ? order : undefined;
    },
    { what: `order ${orderId} ${what}`, timeoutMs: 90_000 }
  ).catch(async (err: Error) => {
    const order = await call('GET', `/api/v1/orders/${orderId}`);
    throw new Error(
      `${err.message}\n${JSON.stringify(order.body)}\noutbox: ${JSON.stringify(await outbox(orderId))}\n${host.stderr().slice(-4000)}`
    );
  });
}

async function postOrder(externalId: string, email: string): Promise<string> {
  const accepted = await ok('POST', '/api/v1/orders', {
    externalId,
    currency: 'USD',
    customer: { email, name: 'Ada <Lovelace>' },
    shipTo: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' },
    lines: [{ sku: 'MAIL-SKU', quantity: 2, unitPrice: 1000 }],
  });
  return accepted.orderId as string;
}

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

/** Waits until `count` mails went to `address`, then a little longer, and answers them all. */
async function mailsArrive(address: string, count: number): Promise<CaughtMail[]> {
  await waitFor(async () => Promise.resolve(mailsTo(address).length >= count ? true : undefined), {
    what: `${count} mails to ${address} (got ${mailsTo(address)
      .map((m) => m.subject)
      .join(', ')})`,
    timeoutMs: 60_000,
  });
  // Anything sent twice would arrive within the queue's next polls.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  return mailsTo(address);
}

beforeAll(async () => {
  // Mail to these two is refused: for now (4xx, every time) and for good (5xx).
  smtp = await startSmtpCatcher({
    answer: (mail) =>
      mail.to.includes(busyAddress)
        ? { code: 451, message: 'Mailbox busy, try later' }
        : mail.to.includes(unknownAddress)
          ? { code: 550, message: 'No such user here' }
          : undefined,
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-email-delivery-'));
  host = await startHostProcess(
    {
      ...ownServicesEnv(dataDir),
      OPENIOM_FUNCTIONS_KEY: key,
      OPENIOM_SEED_JOURNEYS: 'true',
      SMTP_URL: `smtp://tester:smtp-pass-42@127.0.0.1:${smtp.port}`,
      SMTP_FROM: 'orders@shop.example',
    },
    90_000
  );
  await ok('PUT', '/api/v1/products/MAIL-SKU', { name: 'MAIL-SKU' });
  await ok('PUT', '/api/v1/sources/WH-MAIL', {
    name: 'New York',
    type: 'warehouse',
    address: { postalCode: '10001', city: 'New York', country: 'US' },
    online: true,
  });
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku: 'MAIL-SKU', sourceId: 'WH-MAIL', measure: 'onhand', quantity: 100 },
  ]);
}, 200_000);

afterAll(async () => {
  await host?.stop();
  await smtp?.close();
});

it('sends one confirmation and one shipment email with the tracking link, however often the shipment is reported', async () => {
  const address = 'ada@example.com';
  const orderId = await postOrder('MAIL-1', address);
  const waiting = await orderWhere(
    orderId,
    (o) =>
      o.fulfillmentOrders.length > 0 &&
      o.journey?.status === 'waiting' &&
      o.journey.step === 'Wait for shipment',
    'to wait for shipment'
  );
  const [confirmation] = await mailsArrive(address, 1);
  expect(confirmation!.subject).toBe('Order MAIL-1 confirmed');

  const fo = waiting.fulfillmentOrders[0]!;
  const shipped = {
    id: `ship-${fo.id}`,
    type: 'shipped',
    tracking: { carrier: 'UPS', number: '1ZMAIL0001' },
  };
  await ok('POST', `/api/v1/fulfillment-orders/${fo.id}/events`, shipped);
  await ok('POST', `/api/v1/fulfillment-orders/${fo.id}/events`, shipped);
  await orderWhere(orderId, (o) => o.journey?.status === 'completed', 'to complete');
  // Asking the finished journey to run again is refused and changes nothing.
  expect((await call('POST', `/api/v1/orders/${orderId}/reprocess`)).status).toBe(409);
  await ok('POST', `/api/v1/fulfillment-orders/${fo.id}/events`, shipped);

  const mails = await mailsArrive(address, 2);
  expect(mails.map((m) => m.subject)).toEqual(['Order MAIL-1 confirmed', 'Order MAIL-1 has shipped']);
  const shipment = mails[1]!;
  const link = 'https://www.ups.com/track?tracknum=1ZMAIL0001';
  expect(shipment.text).toContain(`UPS tracking number 1ZMAIL0001 (${link})`);
  expect(shipment.html).toContain(
    '<a href="https:&#x2F;&#x2F;www.ups.com&#x2F;track?tracknum&#x3D;1ZMAIL0001">'
  );
  expect(shipment.html).toContain('Hello Ada &lt;Lovelace&gt;,');
  expect(shipment.from).toBe('orders@shop.example');
  expect(new Set(mails.map((m) => m.messageId)).size).toBe(2);

  const items = await outbox(orderId);
  expect(items).toEqual([
    expect.objectContaining({ templateId: 'order-confirmation', status: 'sent', attempts: 1 }),
    expect.objectContaining({ templateId: 'order-shipped', status: 'sent', attempts: 1 }),
  ]);
  expect(items.map((i) => i.messageId)).toEqual(mails.map((m) => m.messageId));
  expect(items.every((i) => typeof i.sentAt === 'string')).toBe(true);
  expect(JSON.stringify(items)).not.toContain('smtp-pass-42');
  expect(host.stderr()).not.toContain('smtp-pass-42');
  expect(host.stdout).toMatch(new RegExp(`^email: smtp://127\\.0\\.0\\.1:${smtp.port}$`, 'm'));
  expect(host.stdout).not.toContain('smtp-pass-42');
}, 200_000);

it('sends the cancellation email once when an order is cancelled', async () => {
  const address = 'grace@example.com';
  const orderId = await postOrder('MAIL-2', address);
  await orderWhere(
    orderId,
    (o) => o.fulfillmentOrders.length > 0 && o.journey?.status === 'waiting',
    'to wait for shipment'
  );
  await ok('POST', `/api/v1/orders/${orderId}/cancel`);
  await call('POST', `/api/v1/orders/${orderId}/cancel`);
  const mails = await mailsArrive(address, 2);
  expect(mails.map((m) => m.subject)).toEqual(['Order MAIL-2 confirmed', 'Order MAIL-2 cancelled']);
  expect(mails[1]!.text).toContain('- 2 x MAIL-SKU');
  expect((await outbox(orderId)).map((i) => [i.templateId, i.status])).toEqual([
    ['order-confirmation', 'sent'],
    ['order-cancelled', 'sent'],
  ]);
}, 200_000);

it('a shipment email step that failed and is reprocessed sends its email once', async () => {
  // A journey version whose shipment email names a template nobody has stored yet: the step fails.
  const current = (await ok('GET', '/api/v1/journeys/default-order')) as {
    steps: Json[];
    name: string;
    type: string;
  };
  const steps = current.steps.map((step) =>
    step.name === 'Send shipment email' ? { ...step, emailTemplateId: 'shipped-late' } : step
  );
  await ok('PUT', '/api/v1/journeys/default-order', { name: current.name, type: current.type, steps });
  await ok('POST', '/api/v1/journeys/default-order/publish');

  const address = 'katherine@example.com';
  const orderId = await postOrder('MAIL-3', address);
  const waiting = await orderWhere(
    orderId,
    (o) =>
      o.fulfillmentOrders.length > 0 &&
      o.journey?.status === 'waiting' &&
      o.journey.step === 'Wait for shipment',
    'to wait for shipment'
  );
  const fo = waiting.fulfillmentOrders[0]!;
  await ok('POST', `/api/v1/fulfillment-orders/${fo.id}/events`, {
    id: `ship-${fo.id}`,
    type: 'shipped',
    tracking: { carrier: 'Local courier', number: 'LC-7', url: 'https://courier.example/t/LC-7' },
  });
  await orderWhere(
    orderId,
    (o) => o.journey?.status === 'failed' && o.journey.step === 'Send shipment email',
    'to fail at the shipment email'
  );

  await ok('PUT', '/api/v1/email-templates/shipped-late', {
    subject: 'Order {{order.externalId}} is on its way',
    text: '{{#shipments}}{{carrier}} {{trackingNumber}}: {{url}}{{/shipments}}',
    html: '{{#shipments}}<a href="{{url}}">{{trackingNumber}}</a>{{/shipments}}',
  });
  expect((await call('POST', `/api/v1/orders/${orderId}/reprocess`)).status).toBe(202);
  await orderWhere(orderId, (o) => o.journey?.status === 'completed', 'to complete');

  const mails = await mailsArrive(address, 2);
  expect(mails.map((m) => m.subject)).toEqual(['Order MAIL-3 confirmed', 'Order MAIL-3 is on its way']);
  expect(mails[1]!.text?.trim()).toBe('Local courier LC-7: https://courier.example/t/LC-7');
  expect((await outbox(orderId)).map((i) => [i.templateId, i.status])).toEqual([
    ['order-confirmation', 'sent'],
    ['shipped-late', 'sent'],
  ]);
}, 200_000);

it('a mail refused for good is failed at once; one refused for now is failed after the last delivery; both show in the outbox', async () => {
  const rejected = await postOrder('MAIL-4', unknownAddress);
  const busy = await postOrder('MAIL-5', busyAddress);
  const failedItem = async (orderId: string) =>
    waitFor(
      async () => {
        const items = await outbox(orderId);
        return items[0]?.status === 'failed' ? items[0] : undefined;
      },
      { what: `the confirmation of ${orderId} to be failed`, timeoutMs: 120_000 }
    );
  const rejectedItem = await failedItem(rejected);
  expect(rejectedItem).toMatchObject({
    templateId: 'order-confirmation',
    attempts: 1,
    statusReason: expect.stringMatching(
      new RegExp(`^rejected by smtp://127\\.0\\.0\\.1:${smtp.port}: .*550`)
    ),
  });
  const busyItem = await failedItem(busy);
  expect(busyItem).toMatchObject({
    templateId: 'order-confirmation',
    attempts: 5,
    statusReason: expect.stringMatching(/^gave up after 5 deliveries: .*451/),
  });
  expect(mailsTo(unknownAddress)).toEqual([]);
  expect(mailsTo(busyAddress)).toEqual([]);
  expect(JSON.stringify([rejectedItem, busyItem])).not.toContain('smtp-pass-42');
  expect(host.stderr()).not.toContain('smtp-pass-42');
}, 200_000);
