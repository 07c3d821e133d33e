import { randomUUID } from 'node:crypto';
import { queueEmail } from '../../shared/app/email/queue-email';
import { getOutbox, queueEmailDeps } from '../../shared/app/email/wiring';
import { createInvoice } from '../../shared/app/invoices/create-invoice';
import { createInvoiceDeps, getInvoiceRepository } from '../../shared/app/invoices/wiring';
import { getOrderRepository } from '../../shared/app/orders/wiring';
import { getCosmosDatabase, setClock } from '../../shared/app/platform/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { newOrder, type Order, type OrderIntake } from '../../shared/domain/orders/order';

// queueEmail and createInvoice through the deps their wiring builds, against the embedded Cosmos
// server the Jest global setup starts.

let now = new Date('2026-03-02T09:00:00.000Z');
const saved = { ...process.env };

beforeAll(() => {
  process.env = { ...saved, COSMOS_DATABASE: `it-email-invoices-${randomUUID()}` };
  resetConfigForTests();
  resetRegistry();
  setClock({ now: () => now });
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

async function storedOrder(customer: OrderIntake['customer'] = { email: 'ann@example.com', name: 'Ann' }) {
  const orderId = randomUUID();
  const order = newOrder(
    {
      externalId: `WEB-${orderId.slice(0, 8)}`,
      currency: 'USD',
      customer,
      shipTo: { postalCode: '10001', country: 'US' },
      lines: [
        { sku: 'SHOE', quantity: 3, unitPrice: 2500 },
        { sku: 'GIFT', quantity: 1 },
      ],
    },
    { orderId, intakeKey: orderId },
    now
  );
  expect(await (await getOrderRepository()).createWithTimeline(order, [])).toBe('created');
  return order;
}

function caught(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err
  );
}

describe('queueEmail', () => {
  it('queues the rendered email once per key', async () => {
    const order = await storedOrder();
    const input = {
      key: `${order.orderId}:confirm`,
      orderId: order.orderId,
      templateId: 'order-confirmation',
      model: { order },
    };
    const first = await queueEmail(await queueEmailDeps(), input);
    expect(first).toEqual({
      id: `outbox:${order.orderId}:confirm`,
      type: 'outbox',
      orderId: order.orderId,
      templateId: 'order-confirmation',
      to: 'ann@example.com',
      subject: `Order ${order.externalId} confirmed`,
      text: expect.stringContaining('- 3 x SHOE'),
      html: expect.stringContaining('<li>3 x SHOE</li>'),
      status: 'queued',
      queuedAt: now.toISOString(),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });

    // The same key later, even with another model, answers the stored message and writes nothing.
    now = new Date(now.getTime() + 60_000);
    const again = await queueEmail(await queueEmailDeps(), { ...input, to: 'other@example.com' });
    expect(again).toEqual(first);
    expect(await (await getOutbox()).listByOrder(order.orderId)).toEqual([first]);

    // Concurrent calls with one new key store one message and all answer it.
    const racing = await Promise.all(
      [1, 2, 3].map(async () =>
        queueEmail(await queueEmailDeps(), {
          ...input,
          key: `${order.orderId}:shipped`,
          templateId: 'order-shipped',
        })
      )
    );
    expect(new Set(racing.map((message) => JSON.stringify(message))).size).toBe(1);
    expect((await (await getOutbox()).listByOrder(order.orderId)).map((message) => message.id)).toEqual([
      first.id,
      `outbox:${order.orderId}:shipped`,
    ]);
  });

  it('refuses an email without an address and writes nothing', async () => {
    const order = await storedOrder({ name: 'No Mail' });
    const err = await caught(async () =>
      queueEmail(await queueEmailDeps(), {
        key: `${order.orderId}:confirm`,
        orderId: order.orderId,
        templateId: 'order-confirmation',
        model: { order },
      })
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toMatch(/No address/);
    expect(await (await getOutbox()).listByOrder(order.orderId)).toEqual([]);
  });

  it('answers NotFoundError for an unknown template', async () => {
    const order = await storedOrder();
    const err = await caught(async () =>
      queueEmail(await queueEmailDeps(), {
        key: `${order.orderId}:x`,
        orderId: order.orderId,
        templateId: 'no-such-template',
        model: { order },
      })
    );
    expect(err).toBeInstanceOf(NotFoundError);
    expect(await (await getOutbox()).listByOrder(order.orderId)).toEqual([]);
  });
});

describe('createInvoice', () => {
  const billedOf = (invoice: { lines: { lineId: string; quantity: number }[] } | null) =>
    invoice?.lines.map((line) => [line.lineId, line.quantity]);

  it('bills what is left, once per key, and nothing when all is billed', async () => {
    const order: Order = await storedOrder();
    const first = await createInvoice(await createInvoiceDeps(), {
      key: `${order.orderId}:fo1`,
      orderId: order.orderId,
      fulfillmentOrderId: 'FO1',
      lines: [{ lineId: '1', quantity: 2 }],
    });
    expect(first).toMatchObject({
      id: `invoice:${order.orderId}:fo1`,
      fulfillmentOrderId: 'FO1',
      currency: 'USD',
      lines: [{ lineId: '1', sku: 'SHOE', quantity: 2, unitPrice: 2500, amount: 5000 }],
      total: 5000,
    });

    // Same key: the stored invoice, nothing billed twice.
    expect(
      await createInvoice(await createInvoiceDeps(), { key: `${order.orderId}:fo1`, orderId: order.orderId })
    ).toEqual(first);

    // More than is left is refused with the path of the line.
    const err = await caught(async () =>
      createInvoice(await createInvoiceDeps(), {
        key: `${order.orderId}:too-much`,
        orderId: order.orderId,
        lines: [{ lineId: '1', quantity: 2 }],
      })
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors).toEqual([
      { path: '/lines/0/quantity', message: 'is more than the 1 left to bill' },
    ]);

    // Without lines: the rest of every line, the unpriced one at 0.
    const rest = await createInvoice(await createInvoiceDeps(), {
      key: `${order.orderId}:rest`,
      orderId: order.orderId,
    });
    expect(rest?.lines).toEqual([
      { lineId: '1', sku: 'SHOE', quantity: 1, unitPrice: 2500, amount: 2500, tax: 0 },
      { lineId: '2', sku: 'GIFT', quantity: 1, unitPrice: 0, amount: 0, tax: 0 },
    ]);
    expect(rest?.total).toBe(2500);

    expect(
      await createInvoice(await createInvoiceDeps(), {
        key: `${order.orderId}:nothing`,
        orderId: order.orderId,
      })
    ).toBeNull();
    const invoices = await getInvoiceRepository();
    expect((await invoices.listByOrder(order.orderId)).map((invoice) => invoice.id).sort()).toEqual(
      [first!.id, rest!.id].sort()
    );
    expect((await invoices.billed(order.orderId)).billed).toEqual({ '1': 3, '2': 1 });
  });

  it('never bills a unit twice when invoices of one order are created at once', async () => {
    const order = await storedOrder();
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (key) =>
        createInvoice(await createInvoiceDeps(), { key: `${order.orderId}:${key}`, orderId: order.orderId })
      )
    );
    const billed = results.flatMap((invoice) => billedOf(invoice) ?? []);
    expect(billed.sort()).toEqual([
      ['1', 3],
      ['2', 1],
    ]);
    expect(results.filter((invoice) => invoice === null)).toHaveLength(3);
  });

  it('answers NotFoundError for an unknown order', async () => {
    const err = await caught(async () =>
      createInvoice(await createInvoiceDeps(), { key: 'k-unknown', orderId: 'no-such-order' })
    );
    expect(err).toBeInstanceOf(NotFoundError);
  });
});
