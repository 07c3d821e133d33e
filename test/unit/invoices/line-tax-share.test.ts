import fc from 'fast-check';
import { lineTaxShare } from '../../../shared/domain/invoices/line-tax-share';

describe('lineTaxShare', () => {
  it('splits a line tax by quantity, rounding each cumulative amount', () => {
    const line = { quantity: 3, tax: 100 };
    expect([lineTaxShare(line, 0, 1), lineTaxShare(line, 1, 1), lineTaxShare(line, 2, 1)]).toEqual([
      33, 34, 33,
    ]);
    expect(lineTaxShare(line, 0, 3)).toBe(100);
    expect(lineTaxShare({ quantity: 2 }, 0, 1)).toBe(0);
  });

  it('shares of a line billed in any parts add up to the line tax', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }),
        (tax, parts) => {
          const line = { quantity: parts.reduce((sum, part) => sum + part, 0), tax };
          let billed = 0;
          let total = 0;
          for (const part of parts) {
            total += lineTaxShare(line, billed, part);
            billed += part;
          }
          expect(total).toBe(tax);
        }
      )
    );
  });
});
