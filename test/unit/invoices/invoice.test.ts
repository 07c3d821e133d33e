import { ValidationError } from '../../../shared/domain/errors';
import { addLineQuantities } from '../../../shared/domain/invoices/bill-line';
import { buildInvoice, quantitiesToBill } from '../../../shared/domain/invoices/invoice';

const order = {
  orderId: 'O1',
  currency: 'EUR',
  lines: [
    { lineId: '1', sku: 'SHOE', quantity: 2, unitPrice: 4999, state: 'new' },
    { lineId: '2', sku: 'GIFT', quantity: 1, state: 'new' },
    { lineId: '3', sku: 'ROPE', quantity: 2.5, unitPrice: 333, state: 'new' },
  ],
};
const now = new Date('2026-03-01T10:00:00.000Z');

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err.errors;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('quantitiesToBill', () => {
  it('bills every line in full when nothing was billed', () => {
    expect(quantitiesToBill(order, {})).toEqual([
      { lineId: '1', quantity: 2 },
      { lineId: '2', quantity: 1 },
      { lineId: '3', quantity: 2.5 },
    ]);
  });

  it('bills only what earlier invoices left, leaving out lines billed in full', () => {
    expect(quantitiesToBill(order, { '1': 1, '2': 1 })).toEqual([
      { lineId: '1', quantity: 1 },
      { lineId: '3', quantity: 2.5 },
    ]);
    expect(quantitiesToBill(order, { '1': 2, '2': 1, '3': 2.5 })).toEqual([]);
  });

  it('takes requested quantities up to what is left', () => {
    expect(quantitiesToBill(order, { '1': 1 }, [{ lineId: '1', quantity: 1 }])).toEqual([
      { lineId: '1', quantity: 1 },
    ]);
  });

  it('refuses, with paths, more than is left, unknown lines and repeated lines', () => {
    expect(
      issuesOf(() =>
        quantitiesToBill(order, { '1': 1 }, [
          { lineId: '1', quantity: 2 },
          { lineId: '9', quantity: 1 },
          { lineId: '2', quantity: 1 },
          { lineId: '2', quantity: 1 },
        ])
      )
    ).toEqual([
      { path: '/lines/0/quantity', message: 'is more than the 1 left to bill' },
      { path: '/lines/1/lineId', message: 'is not a line of order O1' },
      { path: '/lines/3/lineId', message: 'repeats an earlier line' },
    ]);
  });
});

describe('buildInvoice', () => {
  it('prices the lines in minor units, a line without price at 0, and totals them', () => {
    const invoice = buildInvoice(
      order,
      { key: 'k1', fulfillmentOrderId: 'FO1', quantities: quantitiesToBill(order, {}) },
      now
    );
    expect(invoice).toEqual({
      id: 'invoice:k1',
      type: 'invoice',
      orderId: 'O1',
      fulfillmentOrderId: 'FO1',
      currency: 'EUR',
      lines: [
        { lineId: '1', sku: 'SHOE', quantity: 2, unitPrice: 4999, amount: 9998, tax: 0 },
        { lineId: '2', sku: 'GIFT', quantity: 1, unitPrice: 0, amount: 0, tax: 0 },
        { lineId: '3', sku: 'ROPE', quantity: 2.5, unitPrice: 333, amount: 833, tax: 0 },
      ],
      subtotal: 10831,
      taxTotal: 0,
      total: 10831,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('adds each line its share of the order line tax, given what was billed before', () => {
    const taxed = { ...order, lines: order.lines.map((line) => ({ ...line, tax: 100 })) };
    const invoice = buildInvoice(
      taxed,
      { key: 'k2', quantities: [{ lineId: '1', quantity: 1 }], billed: { '1': 1 } },
      now
    );
    expect(invoice.lines.map((line) => line.tax)).toEqual([50]);
    expect([invoice.subtotal, invoice.taxTotal, invoice.total]).toEqual([4999, 50, 5049]);
    const first = buildInvoice(taxed, { key: 'k3', quantities: [{ lineId: '3', quantity: 1 }] }, now);
    const rest = buildInvoice(
      taxed,
      { key: 'k4', quantities: [{ lineId: '3', quantity: 1.5 }], billed: { '3': 1 } },
      now
    );
    expect(first.taxTotal + rest.taxTotal).toBe(100);
  });

  it('has no fulfillmentOrderId unless given', () => {
    expect(
      buildInvoice(order, { key: 'k', quantities: [{ lineId: '2', quantity: 1 }] }, now)
    ).not.toHaveProperty('fulfillmentOrderId');
  });
});

it('adds an invoice to the billed quantities, so the next bill takes only the rest', () => {
  const first = buildInvoice(order, { key: 'a', quantities: [{ lineId: '1', quantity: 1 }] }, now);
  const billed = addLineQuantities({ '3': 1 }, first);
  expect(billed).toEqual({ '1': 1, '3': 1 });
  expect(quantitiesToBill(order, billed)).toEqual([
    { lineId: '1', quantity: 1 },
    { lineId: '2', quantity: 1 },
    { lineId: '3', quantity: 1.5 },
  ]);
});
