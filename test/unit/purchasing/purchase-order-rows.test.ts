import {
  checkPurchaseOrderHeader,
  purchaseOrdersFromRows,
  rowErrorOf,
} from '../../../shared/domain/purchasing/purchase-order-rows';

const row = (n: number, values: Record<string, unknown>) => ({ row: n, values });
const header = { purchaseOrderId: 'PO-1', supplier: 'Acme', sourceId: 'W1', expectedDate: '2026-03-05' };

describe('purchase order file rows', () => {
  it('groups rows into orders with the header repeated, a blank repeating it, spreadsheet cells coerced', () => {
    const { orders, failed, errors } = purchaseOrdersFromRows([
      row(2, { ...header, lineId: '1', sku: 'A', quantity: '10' }),
      row(3, {
        purchaseOrderId: 'PO-2',
        sourceId: 'W2',
        expectedDate: '2026-03-06T00:00:00.000Z',
        lineId: 1,
        sku: 'B',
        quantity: 3,
      }),
      row(4, {
        ...header,
        supplier: '',
        lineId: '2',
        sku: 'C',
        quantity: 2.5,
        lineExpectedDate: '2026-03-08',
      }),
    ]);
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
    expect(orders).toEqual([
      {
        id: 'PO-1',
        rows: [2, 4],
        input: {
          supplier: 'Acme',
          sourceId: 'W1',
          expectedDate: '2026-03-05',
          lines: [
            { lineId: '1', sku: 'A', quantity: 10 },
            { lineId: '2', sku: 'C', quantity: 2.5, expectedDate: '2026-03-08' },
          ],
        },
      },
      {
        id: 'PO-2',
        rows: [3],
        input: {
          sourceId: 'W2',
          expectedDate: '2026-03-06',
          lines: [{ lineId: '1', sku: 'B', quantity: 3 }],
        },
      },
    ]);
  });

  it('leaves out an order with a bad row, naming the row and column, and keeps the others', () => {
    const { orders, failed, errors } = purchaseOrdersFromRows([
      row(2, { ...header, lineId: '1', sku: 'A', quantity: 'ten' }),
      row(3, { ...header, sourceId: 'W9', lineId: '2', sku: 'B', quantity: 1 }),
      row(4, {
        ...header,
        purchaseOrderId: 'PO-2',
        lineId: '1',
        sku: 'A',
        quantity: 1,
        expectedDate: '05/03/2026',
      }),
      row(5, { ...header, purchaseOrderId: 'PO-3', lineId: '1', sku: 'A', quantity: 1 }),
      row(6, { sku: 'A', quantity: 1 }),
    ]);
    expect(orders.map((o) => o.id)).toEqual(['PO-3']);
    expect(failed).toEqual(['PO-1', 'PO-2']);
    expect(errors).toEqual([
      { row: 2, column: 'quantity', message: 'must be a number' },
      { row: 2, column: 'purchaseOrderId', message: 'purchase order PO-1 was not imported: fix rows 2, 3' },
      { row: 3, column: 'sourceId', message: "differs from row 2 of the same purchase order ('W1')" },
      { row: 4, column: 'expectedDate', message: 'must be a date (YYYY-MM-DD)' },
      { row: 4, column: 'purchaseOrderId', message: 'purchase order PO-2 was not imported: fix row 4' },
      { row: 6, column: 'purchaseOrderId', message: 'is required' },
      { row: 6, column: 'lineId', message: 'is required' },
    ]);
  });

  it('takes the header from any row of the order, and fails an order that never gives it', () => {
    const { orders, failed, errors } = purchaseOrdersFromRows([
      row(2, { purchaseOrderId: 'PO-1', lineId: '1', sku: 'A', quantity: 1 }),
      row(3, {
        purchaseOrderId: 'PO-1',
        sourceId: 'W1',
        expectedDate: '2026-03-05',
        lineId: '2',
        sku: 'A',
        quantity: 1,
      }),
      row(4, { purchaseOrderId: 'PO-2', sourceId: 'W1', lineId: '1', sku: 'A', quantity: 1 }),
    ]);
    expect(orders.map((o) => [o.id, o.input.sourceId, o.input.expectedDate, o.rows])).toEqual([
      ['PO-1', 'W1', '2026-03-05', [2, 3]],
    ]);
    expect(failed).toEqual(['PO-2']);
    expect(errors).toEqual([
      { row: 4, column: 'expectedDate', message: 'is required on at least one row of the order' },
      { row: 4, column: 'purchaseOrderId', message: 'purchase order PO-2 was not imported: fix row 4' },
    ]);
  });

  it('places an issue of the order input on the row of its line, or the first row for the header', () => {
    const group = {
      id: 'PO-1',
      rows: [2, 5],
      input: { sourceId: 'W1', expectedDate: '2026-03-05', lines: [] },
    };
    expect(rowErrorOf(group, { path: '/lines/1/quantity', message: 'm' })).toEqual({
      row: 5,
      column: 'quantity',
      message: 'm',
    });
    expect(rowErrorOf(group, { path: '/lines/0/expectedDate', message: 'm' })).toEqual({
      row: 2,
      column: 'lineExpectedDate',
      message: 'm',
    });
    expect(rowErrorOf(group, { path: '/sourceId', message: 'm' })).toEqual({
      row: 2,
      column: 'sourceId',
      message: 'm',
    });
  });

  it('refuses a header with an unknown, repeated or missing column', () => {
    expect(
      checkPurchaseOrderHeader(['purchaseOrderId', 'SKU', 'sku', 'qty', 'sourceId', 'expectedDate', 'lineId'])
    ).toEqual([
      { row: 1, column: 'sku', message: 'is named more than once' },
      { row: 1, column: 'qty', message: expect.stringContaining('is not a known column') },
      { row: 1, column: 'quantity', message: 'is required but missing' },
    ]);
  });
});
