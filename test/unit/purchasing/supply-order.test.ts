import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import {
  cancelSupplyOrder,
  openQuantity,
  purchaseOrderFromInput,
  purchaseOrderInputOf,
  receiptMovements,
  receiveSupplyOrder,
  transferOrderFromInput,
  type PurchaseOrderInput,
  type SupplyOrder,
} from '../../../shared/domain/purchasing/supply-order';
import { scheduleEntriesOf } from '../../../shared/domain/purchasing/supply-order-schedule';

const now = new Date('2026-03-02T09:00:00.000Z');
const later = new Date('2026-03-03T10:00:00.000Z');

const poInput: PurchaseOrderInput = {
  supplier: 'Acme',
  sourceId: 'W1',
  expectedDate: '2026-03-05',
  lines: [
    { lineId: '1', sku: 'A', quantity: 10 },
    { lineId: '2', sku: 'B', quantity: 4, expectedDate: '2026-03-07' },
  ],
};

function issuesOf(act: () => unknown): { path: string; message: string }[] {
  try {
    act();
  } catch (err) {
    if (err instanceof ValidationError) return [...err.errors];
    throw err;
  }
  throw new Error('expected a ValidationError');
}

/** The code of the domain error `act` throws. */
function codeOf(act: () => unknown): string {
  try {
    act();
  } catch (err) {
    if (err instanceof ConflictError) return err.code;
    throw err;
  }
  throw new Error('expected a ConflictError');
}

function receive(order: SupplyOrder, id: string, lines: { lineId: string; quantity: number }[]) {
  return receiveSupplyOrder(order, { id, lines }, later);
}

describe('purchase orders', () => {
  const po = purchaseOrderFromInput('PO-1', poInput, undefined, now);

  it('starts open with every line open for its ordered quantity', () => {
    expect(po).toMatchObject({ kind: 'purchaseOrder', id: 'PO-1', state: 'open', receipts: [] });
    expect(po.lines.map((l) => [l.lineId, l.state, l.received, openQuantity(l)])).toEqual([
      ['1', 'open', 0, 10],
      ['2', 'open', 0, 4],
    ]);
    expect(purchaseOrderInputOf(po)).toEqual(poInput);
  });

  it('feeds ATP one supply entry per open line at the receiving source, on the line date or the order date', () => {
    expect(scheduleEntriesOf(po)).toEqual([
      {
        id: 'po:PO-1:1',
        sku: 'A',
        sourceId: 'W1',
        kind: 'supply',
        quantity: 10,
        date: '2026-03-05',
        reference: 'PO-1',
        link: { kind: 'purchaseOrder', id: 'PO-1', lineId: '1' },
      },
      {
        id: 'po:PO-1:2',
        sku: 'B',
        sourceId: 'W1',
        kind: 'supply',
        quantity: 4,
        date: '2026-03-07',
        reference: 'PO-1',
        link: { kind: 'purchaseOrder', id: 'PO-1', lineId: '2' },
      },
    ]);
  });

  it('receives partially, then fully: open quantities, line and order states, schedule entries follow', () => {
    const first = receive(po, 'R1', [{ lineId: '1', quantity: 6 }]);
    expect(first.duplicate).toBe(false);
    expect(first.order.state).toBe('partially received');
    expect(first.order.lines.map((l) => [l.state, l.received, openQuantity(l)])).toEqual([
      ['partially received', 6, 4],
      ['open', 0, 4],
    ]);
    expect(scheduleEntriesOf(first.order).map((e) => [e.id, e.quantity])).toEqual([
      ['po:PO-1:1', 4],
      ['po:PO-1:2', 4],
    ]);
    expect(receiptMovements(first.order, first.receipt)).toEqual([
      { lineId: '1', sku: 'A', sourceId: 'W1', direction: 'in', quantity: 6 },
    ]);

    const second = receive(first.order, 'R2', [
      { lineId: '1', quantity: 4 },
      { lineId: '2', quantity: 4 },
    ]);
    expect(second.order.state).toBe('received');
    expect(second.order.lines.every((l) => l.state === 'received' && openQuantity(l) === 0)).toBe(true);
    expect(scheduleEntriesOf(second.order)).toEqual([]);
    expect(second.order.receipts.map((r) => r.id)).toEqual(['R1', 'R2']);
  });

  it('takes the same receipt id again as a duplicate, and refuses it with other lines', () => {
    const first = receive(po, 'R1', [{ lineId: '1', quantity: 6 }]);
    const again = receive(first.order, 'R1', [{ lineId: '1', quantity: 6 }]);
    expect(again.duplicate).toBe(true);
    expect(again.order).toBe(first.order);
    expect(codeOf(() => receive(first.order, 'R1', [{ lineId: '1', quantity: 5 }]))).toBe(
      'receipt-id-reused'
    );
  });

  it('refuses more than is open, unknown lines and a line named twice, each at its path', () => {
    const first = receive(po, 'R1', [{ lineId: '1', quantity: 6 }]);
    expect(
      issuesOf(() =>
        receive(first.order, 'R2', [
          { lineId: '2', quantity: 1 },
          { lineId: '1', quantity: 5 },
          { lineId: '9', quantity: 1 },
          { lineId: '2', quantity: 1 },
        ])
      )
    ).toEqual([
      { path: '/lines/1/quantity', message: 'is more than the open quantity 4' },
      { path: '/lines/2/lineId', message: 'is not a line of the order' },
      { path: '/lines/3/lineId', message: 'is named twice in the receipt' },
    ]);
  });

  it('lets a PUT change open lines but not below, or away from, what was received', () => {
    const { order } = receive(po, 'R1', [{ lineId: '1', quantity: 6 }]);
    const changed = purchaseOrderFromInput(
      'PO-1',
      {
        ...poInput,
        lines: [
          { lineId: '1', sku: 'A', quantity: 6 },
          { lineId: '3', sku: 'C', quantity: 2 },
        ],
      },
      order,
      later
    );
    // Line 1 ordered as received closes; line 2 (nothing received) may go; line 3 is new.
    expect(changed.lines.map((l) => [l.lineId, l.state, l.received])).toEqual([
      ['1', 'received', 6],
      ['3', 'open', 0],
    ]);
    expect(changed.state).toBe('partially received');
    expect(changed.createdAt).toBe(po.createdAt);
    expect(changed.receipts).toHaveLength(1);

    expect(
      issuesOf(() =>
        purchaseOrderFromInput(
          'PO-1',
          {
            ...poInput,
            sourceId: 'W2',
            lines: [
              { lineId: '1', sku: 'Z', quantity: 5 },
              { lineId: '1', sku: 'A', quantity: 1 },
            ],
          },
          order,
          later
        )
      )
    ).toEqual([
      { path: '/sourceId', message: "cannot change from 'W1': units were received there" },
      { path: '/lines/0/sku', message: "cannot change from 'A': units were received" },
      { path: '/lines/0/quantity', message: 'must not be below the 6 received' },
      { path: '/lines/1/lineId', message: 'repeats an earlier line id' },
      { path: '/lines/1/quantity', message: 'must not be below the 6 received' },
    ]);
    expect(
      issuesOf(() => purchaseOrderFromInput('PO-1', { ...poInput, lines: [poInput.lines[1]!] }, order, later))
    ).toEqual([
      {
        path: '/lines',
        message: 'must keep line 1: it has 6 received (order it as received to close it)',
      },
    ]);
  });

  it('cancels what is open and keeps what was received; a received or cancelled order takes nothing more', () => {
    const { order } = receive(po, 'R1', [{ lineId: '1', quantity: 6 }]);
    const cancelled = cancelSupplyOrder(order, later);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.lines.map((l) => [l.state, l.received, openQuantity(l)])).toEqual([
      ['cancelled', 6, 0],
      ['cancelled', 0, 0],
    ]);
    expect(scheduleEntriesOf(cancelled)).toEqual([]);
    expect(cancelSupplyOrder(cancelled, later)).toBe(cancelled);
    expect(codeOf(() => receive(cancelled, 'R2', [{ lineId: '2', quantity: 1 }]))).toBe(
      'supply-order-closed'
    );
    expect(codeOf(() => purchaseOrderFromInput('PO-1', poInput, cancelled, later))).toBe(
      'supply-order-closed'
    );
    const received = receive(order, 'R2', [
      { lineId: '1', quantity: 4 },
      { lineId: '2', quantity: 4 },
    ]).order;
    expect(codeOf(() => cancelSupplyOrder(received, later))).toBe('supply-order-closed');
  });

  it('refuses a date that is no calendar day', () => {
    expect(
      issuesOf(() =>
        purchaseOrderFromInput('PO-2', { ...poInput, expectedDate: '2026-02-30' }, undefined, now)
      )
    ).toEqual([{ path: '/expectedDate', message: 'is not a calendar date' }]);
  });
});

describe('transfer orders', () => {
  const to = transferOrderFromInput(
    'TO-1',
    {
      fromSourceId: 'W1',
      toSourceId: 'W2',
      shipDate: '2026-03-03',
      expectedDate: '2026-03-05',
      lines: [{ lineId: '1', sku: 'A', quantity: 5 }],
    },
    undefined,
    now
  );

  it('is supply at the destination on arrival and demand at the source on the ship date', () => {
    expect(scheduleEntriesOf(to).map((e) => [e.id, e.sourceId, e.kind, e.quantity, e.date])).toEqual([
      ['to:TO-1:1:in', 'W2', 'supply', 5, '2026-03-05'],
      ['to:TO-1:1:out', 'W1', 'demand', 5, '2026-03-03'],
    ]);
  });

  it('moves received units from the source to the destination', () => {
    const { order, receipt } = receive(to, 'R1', [{ lineId: '1', quantity: 2 }]);
    expect(receiptMovements(order, receipt)).toEqual([
      { lineId: '1', sku: 'A', sourceId: 'W2', direction: 'in', quantity: 2 },
      { lineId: '1', sku: 'A', sourceId: 'W1', direction: 'out', quantity: 2 },
    ]);
    expect(scheduleEntriesOf(order).map((e) => e.quantity)).toEqual([3, 3]);
  });

  it('needs two sources and an arrival no earlier than the shipment', () => {
    expect(
      issuesOf(() =>
        transferOrderFromInput(
          'TO-2',
          {
            fromSourceId: 'W1',
            toSourceId: 'W1',
            shipDate: '2026-03-05',
            expectedDate: '2026-03-04',
            lines: [{ lineId: '1', sku: 'A', quantity: 1 }],
          },
          undefined,
          now
        )
      )
    ).toEqual([
      { path: '/toSourceId', message: 'must differ from fromSourceId' },
      { path: '/expectedDate', message: 'must not be before shipDate' },
    ]);
  });
});
