import { holds } from './policy-fixtures';

const order = {
  currency: 'USD',
  total: 12050,
  zero: 0,
  no: false,
  empty: '',
  none: null,
  noTags: [],
  tags: ['vip', 'b2b'],
  createdAt: '2024-03-15T10:00:00Z',
  shipTo: { country: 'US', postalCode: '98052' },
  customer: { email: 'ana@example.com' },
};

describe('policy operators', () => {
  describe('equals / notEquals', () => {
    it('compares strings case-sensitively and numbers numerically', () => {
      expect(holds({ path: 'currency', operator: 'equals', value: 'USD' }, order)).toBe(true);
      expect(holds({ path: 'currency', operator: 'equals', value: 'usd' }, order)).toBe(false);
      expect(holds({ path: 'total', operator: 'equals', value: 12050.0 }, order)).toBe(true);
      expect(holds({ path: 'currency', operator: 'notEquals', value: 'EUR' }, order)).toBe(true);
      expect(holds({ path: 'currency', operator: 'notEquals', value: 'USD' }, order)).toBe(false);
    });

    it('never coerces between types', () => {
      expect(holds({ path: 'total', operator: 'equals', value: '12050' }, order)).toBe(false);
      expect(holds({ path: 'zero', operator: 'equals', value: false }, order)).toBe(false);
      expect(holds({ path: 'total', operator: 'notEquals', value: '12050' }, order)).toBe(true);
    });

    it('uses deep equality on lists and objects', () => {
      expect(holds({ path: 'tags', operator: 'equals', value: ['vip', 'b2b'] }, order)).toBe(true);
      expect(holds({ path: 'tags', operator: 'equals', value: ['b2b', 'vip'] }, order)).toBe(false);
      expect(
        holds({ path: 'shipTo', operator: 'equals', value: { postalCode: '98052', country: 'US' } }, order)
      ).toBe(true);
      expect(holds({ path: 'shipTo', operator: 'equals', value: { country: 'US' } }, order)).toBe(false);
      expect(holds({ path: 'shipTo', operator: 'notEquals', value: { country: 'US' } }, order)).toBe(true);
    });

    it('compares ISO dates as instants when both sides are dates', () => {
      expect(
        holds({ path: 'createdAt', operator: 'equals', value: '2024-03-15T11:00:00+01:00' }, order)
      ).toBe(true);
      expect(holds({ path: 'createdAt', operator: 'equals', value: '2024-03-15T10:00:00.000Z' }, order)).toBe(
        true
      );
      // No offset: a plain string, since its instant would depend on the machine's time zone.
      expect(holds({ path: 'createdAt', operator: 'equals', value: '2024-03-15T10:00:00' }, order)).toBe(
        false
      );
    });

    it('is false on missing values, both ways', () => {
      for (const path of ['nothing', 'none', 'shipTo.state', 'customer.email.domain']) {
        expect(holds({ path, operator: 'equals', value: 'x' }, order)).toBe(false);
        expect(holds({ path, operator: 'notEquals', value: 'x' }, order)).toBe(false);
      }
    });

    it('does not read inherited properties', () => {
      expect(holds({ path: 'toString', operator: 'containsData' }, order)).toBe(false);
      expect(holds({ path: 'tags.length', operator: 'equals', value: 2 }, order)).toBe(false);
    });
  });

  describe('orderings', () => {
    it('compares numbers numerically', () => {
      expect(holds({ path: 'total', operator: 'greaterThan', value: 12049 }, order)).toBe(true);
      expect(holds({ path: 'total', operator: 'greaterThan', value: 12050 }, order)).toBe(false);
      expect(holds({ path: 'total', operator: 'greaterThanOrEqual', value: 12050 }, order)).toBe(true);
      expect(holds({ path: 'total', operator: 'lessThan', value: 12051 }, order)).toBe(true);
      expect(holds({ path: 'total', operator: 'lessThan', value: 12050 }, order)).toBe(false);
      expect(holds({ path: 'total', operator: 'lessThanOrEqual', value: 12050 }, order)).toBe(true);
      expect(holds({ path: 'total', operator: 'lessThan', value: 9e99 }, order)).toBe(true);
    });

    it('compares strings by code unit, so case matters', () => {
      expect(holds({ path: 'currency', operator: 'lessThan', value: 'USE' }, order)).toBe(true);
      expect(holds({ path: 'currency', operator: 'greaterThan', value: 'EUR' }, order)).toBe(true);
      // 'U' (0x55) < 'a' (0x61)
      expect(holds({ path: 'currency', operator: 'lessThan', value: 'aaa' }, order)).toBe(true);
      // '98052' vs '100': strings, not numbers
      expect(holds({ path: 'shipTo.postalCode', operator: 'greaterThan', value: '100' }, order)).toBe(true);
    });

    it('compares ISO dates as instants, across offsets', () => {
      expect(holds({ path: 'createdAt', operator: 'greaterThan', value: '2024-03-15' }, order)).toBe(true);
      expect(
        holds({ path: 'createdAt', operator: 'lessThan', value: '2024-03-15T11:30:00+01:00' }, order)
      ).toBe(true);
      // As strings '2024-03-15T10…' > '2024-03-15T09…+…' would hold; as instants 09:00-02:00 is 11:00Z, later.
      expect(
        holds({ path: 'createdAt', operator: 'greaterThan', value: '2024-03-15T09:00:00-02:00' }, order)
      ).toBe(false);
    });

    it('treats impossible dates as plain strings', () => {
      const entity = { due: '2024-02-30' };
      // Rolled over as Date.parse does, it would be 1 March; as a string it sorts before '2024-03…'.
      expect(
        holds({ path: 'due', operator: 'greaterThanOrEqual', value: '2024-03-01T00:00:00Z' }, entity)
      ).toBe(false);
      expect(holds({ path: 'due', operator: 'equals', value: '2024-03-01' }, entity)).toBe(false);
      expect(holds({ path: 'due', operator: 'lessThan', value: '2024-02-30T00:00:00Z' }, entity)).toBe(true);
    });

    it('is false across types, on booleans, and on missing values', () => {
      expect(holds({ path: 'total', operator: 'greaterThan', value: '1' }, order)).toBe(false);
      expect(holds({ path: 'currency', operator: 'lessThan', value: 5 }, order)).toBe(false);
      expect(holds({ path: 'no', operator: 'lessThan', value: 1 }, order)).toBe(false);
      expect(holds({ path: 'tags', operator: 'greaterThan', value: 0 }, order)).toBe(false);
      for (const operator of ['lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual'] as const) {
        expect(holds({ path: 'missing', operator, value: 0 }, order)).toBe(false);
        expect(holds({ path: 'none', operator, value: 'a' }, order)).toBe(false);
      }
    });
  });

  describe('containsData / doesNotContainData', () => {
    it.each([
      ['currency', true],
      ['zero', true],
      ['no', true],
      ['shipTo', true],
      ['tags', true],
      ['empty', false],
      ['none', false],
      ['noTags', false],
      ['missing', false],
      ['shipTo.missing.deeper', false],
    ])('%s contains data: %s', (path, expected) => {
      expect(holds({ path, operator: 'containsData' }, order)).toBe(expected);
      expect(holds({ path, operator: 'doesNotContainData' }, order)).toBe(!expected);
    });
  });

  describe('in', () => {
    it('holds when the value equals one of the list', () => {
      expect(holds({ path: 'currency', operator: 'in', value: ['EUR', 'USD'] }, order)).toBe(true);
      expect(holds({ path: 'currency', operator: 'in', value: ['EUR', 'usd'] }, order)).toBe(false);
      expect(holds({ path: 'total', operator: 'in', value: [1, 12050] }, order)).toBe(true);
      expect(holds({ path: 'total', operator: 'in', value: ['12050'] }, order)).toBe(false);
    });

    it('uses equals semantics for dates and objects in the list', () => {
      expect(
        holds({ path: 'createdAt', operator: 'in', value: ['x', '2024-03-15T12:00:00+02:00'] }, order)
      ).toBe(true);
      expect(holds({ path: 'tags', operator: 'in', value: [['vip', 'b2b']] }, order)).toBe(true);
    });

    it('is false on missing values', () => {
      expect(holds({ path: 'missing', operator: 'in', value: ['x'] }, order)).toBe(false);
      expect(holds({ path: 'none', operator: 'in', value: ['x', 0, false] }, order)).toBe(false);
    });
  });

  describe('beginsWith', () => {
    it('is a case-sensitive prefix test on strings', () => {
      expect(holds({ path: 'customer.email', operator: 'beginsWith', value: 'ana@' }, order)).toBe(true);
      expect(holds({ path: 'customer.email', operator: 'beginsWith', value: 'Ana@' }, order)).toBe(false);
      expect(holds({ path: 'shipTo.postalCode', operator: 'beginsWith', value: '98' }, order)).toBe(true);
      expect(holds({ path: 'total', operator: 'beginsWith', value: '12' }, order)).toBe(false);
      expect(holds({ path: 'missing', operator: 'beginsWith', value: '' }, order)).toBe(false);
    });
  });
});
