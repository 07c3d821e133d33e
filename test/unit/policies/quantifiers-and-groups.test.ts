import { holds } from './policy-fixtures';

const order = {
  lines: [
    { sku: 'A-1', quantity: 2, serials: [{ scanned: true }, { scanned: true }] },
    { sku: 'B-7', quantity: 0, serials: [{ scanned: false }] },
    { sku: 'A-3', quantity: 5 },
  ],
  tags: ['vip', 'b2b'],
  currency: 'USD',
};

describe('[any] / [all] over lists', () => {
  it('[any] holds when some element satisfies the condition', () => {
    expect(holds({ path: 'lines[any].sku', operator: 'equals', value: 'B-7' }, order)).toBe(true);
    expect(holds({ path: 'lines[any].sku', operator: 'equals', value: 'Z-9' }, order)).toBe(false);
  });

  it('[all] holds when every element does', () => {
    expect(holds({ path: 'lines[all].sku', operator: 'containsData' }, order)).toBe(true);
    expect(holds({ path: 'lines[all].quantity', operator: 'greaterThan', value: 0 }, order)).toBe(false);
    expect(holds({ path: 'lines[all].quantity', operator: 'greaterThanOrEqual', value: 0 }, order)).toBe(
      true
    );
  });

  it('over an empty list: [any] is false, [all] is vacuously true', () => {
    const empty = { lines: [] };
    expect(holds({ path: 'lines[any].quantity', operator: 'greaterThan', value: 0 }, empty)).toBe(false);
    expect(holds({ path: 'lines[all].quantity', operator: 'greaterThan', value: 0 }, empty)).toBe(true);
    expect(holds({ path: 'lines[all].sku', operator: 'doesNotContainData' }, empty)).toBe(true);
  });

  it('a missing or non-list collection counts as empty', () => {
    for (const entity of [{}, { lines: null }, { lines: 'A-1' }, { lines: { sku: 'A-1' } }]) {
      expect(holds({ path: 'lines[any].sku', operator: 'equals', value: 'A-1' }, entity)).toBe(false);
      expect(holds({ path: 'lines[all].sku', operator: 'equals', value: 'A-1' }, entity)).toBe(true);
    }
  });

  it('a field missing on an element is missing for that element only', () => {
    expect(holds({ path: 'lines[any].serials', operator: 'doesNotContainData' }, order)).toBe(true);
    expect(holds({ path: 'lines[all].serials', operator: 'containsData' }, order)).toBe(false);
  });

  it('nests quantifiers', () => {
    expect(holds({ path: 'lines[any].serials[all].scanned', operator: 'equals', value: true }, order)).toBe(
      true
    );
    // Line 1 has an unscanned serial; line 2 has none at all, which is vacuously "all scanned".
    expect(holds({ path: 'lines[all].serials[all].scanned', operator: 'equals', value: true }, order)).toBe(
      false
    );
    expect(holds({ path: 'lines[all].serials[any].scanned', operator: 'equals', value: true }, order)).toBe(
      false
    );
  });

  it('applies to the elements themselves when the quantifier ends the path', () => {
    expect(holds({ path: 'tags[any]', operator: 'equals', value: 'vip' }, order)).toBe(true);
    expect(holds({ path: 'tags[all]', operator: 'in', value: ['vip', 'b2b', 'gold'] }, order)).toBe(true);
    expect(holds({ path: 'tags[all]', operator: 'beginsWith', value: 'v' }, order)).toBe(false);
  });

  it('reads a list field without a quantifier as missing', () => {
    expect(holds({ path: 'lines.sku', operator: 'containsData' }, order)).toBe(false);
  });
});

describe('AND / OR groups', () => {
  const usd = { path: 'currency', operator: 'equals', value: 'USD' } as const;
  const eur = { path: 'currency', operator: 'equals', value: 'EUR' } as const;
  const vip = { path: 'tags[any]', operator: 'equals', value: 'vip' } as const;

  it('all is AND, any is OR', () => {
    expect(holds({ all: [usd, vip] }, order)).toBe(true);
    expect(holds({ all: [usd, eur] }, order)).toBe(false);
    expect(holds({ any: [eur, vip] }, order)).toBe(true);
    expect(holds({ any: [eur, { path: 'tags[any]', operator: 'equals', value: 'gold' }] }, order)).toBe(
      false
    );
  });

  it('nests', () => {
    expect(holds({ all: [{ any: [eur, usd] }, { any: [eur, { all: [vip, usd] }] }] }, order)).toBe(true);
    expect(holds({ any: [{ all: [eur, vip] }, { all: [usd, { any: [eur] }] }] }, order)).toBe(false);
  });
});

describe('several [all] conditions over one list in an all group (checked in one pass)', () => {
  const rule = {
    all: [
      { path: 'currency', operator: 'equals', value: 'USD' },
      { path: 'lines[all].sku', operator: 'beginsWith', value: 'A' },
      { path: 'tags[all]', operator: 'in', value: ['vip', 'b2b'] },
      { path: 'lines[all].quantity', operator: 'greaterThan', value: 0 },
      { path: 'lines[all]', operator: 'containsData' },
    ],
  } as const;

  it('holds only when every element satisfies every condition', () => {
    const good = {
      ...order,
      lines: [
        { sku: 'A-1', quantity: 1 },
        { sku: 'A-2', quantity: 3 },
      ],
    };
    expect(holds(rule, good)).toBe(true);
    // One element breaks one condition, another element breaks the other: both must fail the group.
    expect(
      holds(rule, {
        ...good,
        lines: [
          { sku: 'A-1', quantity: 0 },
          { sku: 'B-2', quantity: 3 },
        ],
      })
    ).toBe(false);
    expect(
      holds(rule, {
        ...good,
        lines: [
          { sku: 'A-1', quantity: 1 },
          { sku: 'B-2', quantity: 3 },
        ],
      })
    ).toBe(false);
    expect(holds(rule, { ...good, lines: [{ sku: 'A-1', quantity: 1 }, null] })).toBe(false);
    expect(holds(rule, { ...good, tags: ['vip', 'retail'] })).toBe(false);
  });

  it('treats a missing or non-list collection as empty, as each condition alone does', () => {
    for (const lines of [undefined, null, 'A-1', { sku: 'A-1' }, []]) {
      expect(holds(rule, { ...order, lines })).toBe(true);
    }
  });
});
