import fc from 'fast-check';
import { formatValue } from '../../../shared/domain/policies/format-value';

describe('formatValue', () => {
  it('is JSON, cut at 80 characters with an ellipsis', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = JSON.stringify(value);
        const text = formatValue(value);
        if (json.length <= 80) expect(text).toBe(json);
        else expect(text).toBe(`${json.slice(0, 79)}…`);
      }),
      { numRuns: 2000 }
    );
  });

  it('says missing for undefined and survives cycles', () => {
    expect(formatValue(undefined)).toBe('missing');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toMatch(/^\{"a":1,"self":\{"a":1,"self":.*…$/);
  });
});
