import fc from 'fast-check';
import {
  changesFromRows,
  checkImportHeader,
  type ParsedRow,
} from '../../../shared/domain/inventory/imports/import-rows';

const row = (n: number, values: Record<string, unknown>): ParsedRow => ({ row: n, values });

describe('checkImportHeader', () => {
  it('accepts the columns in any order and case', () => {
    expect(checkImportHeader(['SKU', 'sourceid', 'Measure', 'quantity', 'id', 'MODE'])).toEqual([]);
    expect(checkImportHeader(['sku', 'sourceId', 'measure', 'quantity'])).toEqual([]);
  });

  it('names unknown, repeated and missing columns on the header row', () => {
    expect(checkImportHeader(['sku', 'sku', 'measure', 'qty', 'mod'])).toEqual([
      { row: 1, column: 'sku', message: 'is named more than once' },
      { row: 1, column: 'qty', message: expect.stringContaining('is not a known column') },
      { row: 1, column: 'mod', message: expect.stringContaining('is not a known column') },
      { row: 1, column: 'sourceId', message: 'is required but missing' },
      { row: 1, column: 'quantity', message: 'is required but missing' },
    ]);
  });
});

describe('changesFromRows', () => {
  it('turns good rows into changes and reports each bad row with its column', () => {
    const { changes, errors } = changesFromRows(
      [
        row(2, { id: 'e1', sku: 'A', sourceId: 'W1', measure: 'onhand', quantity: '5' }),
        row(3, { id: '', sku: 'B', sourceId: 'W1', measure: 'onhand', quantity: '-2.5', mode: 'Delta' }),
        row(4, { id: 'e3', sku: '', sourceId: 'W1', measure: 'onhand', quantity: '1' }),
        row(5, { id: 'e4', sku: 'A', sourceId: 'W/1', measure: 'on hand', quantity: 'ten', mode: 'add' }),
        row(6, { id: 'e5', sku: 'C', sourceId: 'W2', measure: 'onhand', quantity: 7, mode: 'set' }),
        row(7, { id: 'e6', sku: 'C', sourceId: 'W2', measure: 'onhand', quantity: -1, mode: 'SET' }),
        row(8, { id: 'e1', sku: 'A', sourceId: 'W1', measure: 'onhand', quantity: 1 }),
        row(9, { id: 1001, sku: 42, sourceId: 'W1', measure: 'ordered', quantity: 1e3 }),
      ],
      'file-abc'
    );
    expect(changes).toEqual([
      { id: 'e1', sku: 'A', sourceId: 'W1', measure: 'onhand', quantity: 5, mode: 'delta', row: 2 },
      {
        id: 'file-abc-3',
        sku: 'B',
        sourceId: 'W1',
        measure: 'onhand',
        quantity: -2.5,
        mode: 'delta',
        row: 3,
      },
      { id: 'e5', sku: 'C', sourceId: 'W2', measure: 'onhand', quantity: 7, mode: 'set', row: 6 },
      { id: '1001', sku: '42', sourceId: 'W1', measure: 'ordered', quantity: 1000, mode: 'delta', row: 9 },
    ]);
    expect(errors).toEqual([
      { row: 4, column: 'sku', message: 'is required' },
      { row: 5, column: 'sourceId', message: expect.stringContaining('without / \\ ? #') },
      { row: 5, column: 'measure', message: expect.any(String) },
      { row: 5, column: 'mode', message: 'must be delta or set' },
      { row: 5, column: 'quantity', message: 'must be a number' },
      { row: 7, column: 'quantity', message: 'must not be negative when mode is set' },
      { row: 8, column: 'id', message: 'repeats the id of row 2' },
    ]);
  });

  it('refuses numbers a person would not mean and keys objects may carry unknown', () => {
    const bad = ['', ' ', '1,5', '0x10', 'Infinity', 'NaN', '1e999', null, true, {}];
    const { changes, errors } = changesFromRows(
      bad.map((quantity, i) => row(i + 1, { sku: 'A', sourceId: 'W', measure: 'onhand', quantity })),
      'f'
    );
    expect(changes).toEqual([]);
    expect(errors.map((e) => e.column)).toEqual(bad.map(() => 'quantity'));
    const extra = changesFromRows(
      [row(1, { sku: 'A', sourceId: 'W', measure: 'onhand', quantity: 1, price: 3 })],
      'f'
    );
    expect(extra.errors).toEqual([{ row: 1, column: 'price', message: 'is not a known column' }]);
  });

  it('derives the same ids from the same file and row, and every good row yields one change', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            sku: fc.constantFrom('A', 'B', '', 'x/y'),
            quantity: fc.oneof(fc.integer({ min: -100, max: 100 }).map(String), fc.constant('bad')),
          }),
          { maxLength: 40 }
        ),
        (specs) => {
          const rows = specs.map((s, i) =>
            row(i + 2, { sku: s.sku, sourceId: 'W', measure: 'onhand', quantity: s.quantity })
          );
          const first = changesFromRows(rows, 'k');
          const again = changesFromRows(rows, 'k');
          expect(again).toEqual(first);
          const rowsWithErrors = new Set(first.errors.map((e) => e.row));
          expect(first.changes.length + rowsWithErrors.size).toBe(rows.length);
          expect(new Set(first.changes.map((c) => c.id)).size).toBe(first.changes.length);
        }
      )
    );
  });
});
