import fc from 'fast-check';
import { parseIsoDate } from '../../../shared/domain/policies/parse-iso-date';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('parseIsoDate', () => {
  it('reads date-only as UTC midnight and honours offsets', () => {
    expect(parseIsoDate('2024-03-15')).toBe(Date.UTC(2024, 2, 15));
    expect(parseIsoDate('2024-03-15T10:00Z')).toBe(Date.UTC(2024, 2, 15, 10));
    expect(parseIsoDate('2024-03-15T10:00:05.25Z')).toBe(Date.UTC(2024, 2, 15, 10, 0, 5, 250));
    expect(parseIsoDate('2024-03-15T10:00:00.123456789+01:30')).toBe(Date.UTC(2024, 2, 15, 8, 30, 0, 123));
    expect(parseIsoDate('2024-03-15T01:00:00-05:00')).toBe(Date.UTC(2024, 2, 15, 6));
    expect(parseIsoDate('0024-03-01')).toBe(Date.parse('0024-03-01'));
  });

  it.each([
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-1-01',
    '2024-01-01T10:00:00',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:60Z',
    '2024-01-01T10:00:00.Z',
    '2024-01-01T10:00:00+0100',
    '2024-01-01T10:00:00Zz',
    '2024-01-01 10:00:00Z',
    '20240101',
    '2024-01-01x',
    'abcd-ef-gh',
  ])('refuses %s', (text) => {
    expect(parseIsoDate(text)).toBeNaN();
  });

  it('agrees with Date.parse on every valid date and date-time', () => {
    const valid = fc
      .record({
        date: fc.date({
          min: new Date(Date.UTC(1, 0, 1)),
          max: new Date(Date.UTC(9999, 11, 31)),
          noInvalidDate: true,
        }),
        form: fc.constantFrom('date', 'minutes', 'seconds', 'millis'),
        offset: fc.option(fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), { nil: undefined }),
      })
      .map(({ date, form, offset }) => {
        const d = date.toISOString().slice(0, 23); // YYYY-MM-DDThh:mm:ss.mmm
        if (form === 'date') return d.slice(0, 10);
        // Fractions of 1 to 3 digits ('.1', '.12', '.123'), which Date.parse reads the same way.
        const fraction = form === 'millis' ? d.slice(0, 20 + (date.getUTCMilliseconds() % 3) + 1) : d;
        const time = form === 'minutes' ? d.slice(0, 16) : form === 'seconds' ? d.slice(0, 19) : fraction;
        if (offset === undefined) return `${time}Z`;
        const abs = Math.abs(offset);
        return `${time}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
      });
    fc.assert(
      fc.property(valid, (text) => {
        expect(parseIsoDate(text)).toBe(Date.parse(text));
      }),
      { numRuns: 2000 }
    );
  });

  it('on any string, is NaN or what Date.parse says', () => {
    const chars = fc.constantFrom(...'0123456789-:.TZ+z '.split(''));
    const noisy = fc.oneof(
      fc.string({ unit: chars, maxLength: 30 }),
      fc
        .constantFrom('2024-01-01', '2024-01-01T10:00:00Z')
        .chain((base) =>
          fc
            .tuple(fc.nat({ max: base.length - 1 }), chars)
            .map(([i, c]) => base.slice(0, i) + c + base.slice(i + 1))
        )
    );
    fc.assert(
      fc.property(noisy, (text) => {
        const parsed = parseIsoDate(text);
        if (!Number.isNaN(parsed)) expect(parsed).toBe(Date.parse(text));
      }),
      { numRuns: 3000 }
    );
  });
});
