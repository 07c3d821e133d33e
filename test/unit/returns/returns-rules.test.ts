import fc from 'fast-check';
import { ValidationError } from '../../../shared/domain/errors';
import { addLineQuantities } from '../../../shared/domain/invoices/bill-line';
import { buildCreditNote } from '../../../shared/domain/invoices/credit-note';
import {
  checkReturnLines,
  raiseOnReturn,
  returnableQuantities,
  returnedQuantities,
  withDispositions,
  type OrderReturn,
} from '../../../shared/domain/returns/order-return';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';
import { TransitionNotAllowedError } from '../../../shared/domain/states/transition-not-allowed-error';

const order = {
  orderId: 'O1',
  currency: 'USD',
  lines: [
    { lineId: '1', sku: 'MUG', quantity: 2, unitPrice: 1250, tax: 205, state: 'completed' },
    { lineId: '2', sku: 'CAP', quantity: 1, unitPrice: 900, state: 'completed' },
  ],
};
const now = new Date('2026-12-02T10:00:00Z');

function aReturn(overrides: Partial<OrderReturn> = {}): OrderReturn {
  return {
    id: 'R1',
    type: 'return',
    orderId: 'O1',
    state: 'received',
    lines: [{ lineId: '1', sku: 'MUG', quantity: 1, reason: 'broken' }],
    returnLocation: { sourceId: 'WH1' },
    origin: 'api',
    appliedEventIds: [],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...overrides,
  };
}

function issuesOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.errors;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('returnable quantities', () => {
  it('are shipped minus returned by returns that are not cancelled', () => {
    const returned = returnedQuantities([
      aReturn({ lines: [{ lineId: '1', sku: 'MUG', quantity: 1, reason: 'x' }] }),
      aReturn({ state: 'cancelled', lines: [{ lineId: '1', sku: 'MUG', quantity: 1, reason: 'x' }] }),
    ]);
    expect(returned).toEqual({ '1': 1 });
    expect(returnableQuantities({ '1': 2, '2': 0 }, returned)).toEqual({ '1': 1, '2': 0 });
  });

  it('refuse more than shipped and not yet returned, naming the path', () => {
    expect(
      issuesOf(() =>
        checkReturnLines(order, { '1': 1 }, [
          { lineId: '1', quantity: 2, reason: 'too many' },
          { lineId: '9', quantity: 1, reason: 'no such line' },
          { lineId: '2', quantity: 1, reason: 'never shipped' },
        ])
      )
    ).toEqual([
      { path: '/lines/0/quantity', message: 'is more than the 1 shipped and not yet returned' },
      { path: '/lines/1/lineId', message: 'is not a line of order O1' },
      { path: '/lines/2/quantity', message: 'is more than the 0 shipped and not yet returned' },
    ]);
    expect(checkReturnLines(order, { '1': 2 }, [{ lineId: '1', quantity: 1, reason: 'broken' }])).toEqual([
      { lineId: '1', sku: 'MUG', quantity: 1, reason: 'broken' },
    ]);
  });
});

describe('dispositions', () => {
  it('restock the lines an inspection does not name, keep an earlier word, refuse unknown lines', () => {
    const r = aReturn({
      lines: [
        { lineId: '1', sku: 'MUG', quantity: 1, reason: 'x' },
        { lineId: '2', sku: 'CAP', quantity: 1, reason: 'y', disposition: 'writeOff' },
      ],
    });
    expect(withDispositions(r, []).map((l) => l.disposition)).toEqual(['restock', 'writeOff']);
    expect(withDispositions(r, [{ lineId: '1', disposition: 'writeOff' }])[0]!.disposition).toBe('writeOff');
    expect(issuesOf(() => withDispositions(r, [{ lineId: '7', disposition: 'restock' }]))).toEqual([
      { path: '/lines/0/lineId', message: 'is not a line of return R1' },
    ]);
  });
});

describe('return states', () => {
  const config = outOfBoxConfig();
  it('move received → inspected → completed; a refund before the inspection keeps it completed', () => {
    const inspected = raiseOnReturn(aReturn(), { id: 'e1', name: 'Return Inspected' }, config, now);
    expect(inspected.orderReturn.state).toBe('inspected');
    expect(inspected.timeline[0]).toMatchObject({
      id: 'O1:event:e1',
      entityType: 'return',
      entityId: 'R1',
      fromState: 'received',
      toState: 'inspected',
    });
    const refunded = raiseOnReturn(inspected.orderReturn, { id: 'e2', name: 'Return Refunded' }, config, now);
    expect(refunded.orderReturn.state).toBe('completed');
    const late = raiseOnReturn(refunded.orderReturn, { id: 'e3', name: 'Return Inspected' }, config, now);
    expect(late.orderReturn.state).toBe('completed');
    // Restocking moves no state; it is still an event of the return.
    expect(
      raiseOnReturn(late.orderReturn, { id: 'e4', name: 'Return Restocked' }, config, now).orderReturn.state
    ).toBe('completed');
  });

  it('refuse a refund before the goods arrive and a cancel after', () => {
    expect(() =>
      raiseOnReturn(aReturn({ state: 'in progress' }), { id: 'e', name: 'Return Refunded' }, config, now)
    ).toThrow(TransitionNotAllowedError);
    expect(() => raiseOnReturn(aReturn(), { id: 'e', name: 'Return Cancelled' }, config, now)).toThrow(
      TransitionNotAllowedError
    );
  });
});

describe('credit notes', () => {
  it('credit quantity × unit price plus the line tax share', () => {
    const note = buildCreditNote(
      order,
      {},
      {
        key: 'k',
        returnId: 'R1',
        quantities: [
          { lineId: '1', quantity: 1 },
          { lineId: '2', quantity: 1 },
        ],
      },
      now
    );
    expect(note).toMatchObject({
      id: 'credit-note:k',
      type: 'creditNote',
      returnId: 'R1',
      currency: 'USD',
      subtotal: 2150,
      taxTotal: 103,
      total: 2253,
    });
    expect(note.lines.map((l) => [l.lineId, l.amount, l.tax])).toEqual([
      ['1', 1250, 103],
      ['2', 900, 0],
    ]);
  });

  it('credit exactly the line tax when a line is credited in parts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }),
        (tax, parts) => {
          const quantity = parts.reduce((sum, part) => sum + part, 0);
          const single = {
            ...order,
            lines: [{ lineId: '1', sku: 'MUG', quantity, unitPrice: 100, tax, state: 'x' }],
          };
          let credited = {};
          let total = 0;
          parts.forEach((part, i) => {
            const note = buildCreditNote(
              single,
              credited,
              { key: `k${i}`, quantities: [{ lineId: '1', quantity: part }] },
              now
            );
            credited = addLineQuantities(credited, note);
            total += note.taxTotal;
          });
          expect(total).toBe(tax);
        }
      )
    );
  });
});
