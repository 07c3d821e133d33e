import fc from 'fast-check';
import { isMonthKey, lastMonths, monthKey } from '../../../shared/domain/meter/month-key';
import { emptyMonth, orderUsage } from '../../../shared/domain/meter/order-usage';

describe('monthKey', () => {
  it('is the UTC year and month of the instant', () => {
    expect(monthKey('2026-11-27T10:00:00.000Z')).toBe('2026-11');
    expect(monthKey(new Date('2026-01-01T00:00:00.000Z'))).toBe('2026-01');
  });

  it('uses UTC at month edges, whatever the offset of the timestamp', () => {
    expect(monthKey('2026-11-30T23:59:59.999Z')).toBe('2026-11');
    expect(monthKey('2026-12-01T00:00:00.000Z')).toBe('2026-12');
    // 1 December 01:00 in Berlin is still 30 November in UTC.
    expect(monthKey('2026-12-01T01:00:00+02:00')).toBe('2026-11');
    expect(monthKey('2026-12-31T23:30:00-01:00')).toBe('2027-01');
  });

  it('refuses what is not a timestamp', () => {
    expect(() => monthKey('not a date')).toThrow(/Not a timestamp/);
  });

  it('always yields a well-formed key that sorts like time', () => {
    const instant = fc.date({
      min: new Date('1970-01-01Z'),
      max: new Date('9999-12-31Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        expect(isMonthKey(monthKey(a))).toBe(true);
        if (a.getTime() <= b.getTime()) expect(monthKey(a) <= monthKey(b)).toBe(true);
      })
    );
  });
});

describe('isMonthKey', () => {
  it.each(['2026-01', '2026-12', '0001-06'])('accepts %s', (key) => expect(isMonthKey(key)).toBe(true));
  it.each(['2026-1', '2026-13', '2026-00', '26-01', '2026-01-01', '2026/01', ' 2026-01', ''])(
    'refuses %j',
    (key) => expect(isMonthKey(key)).toBe(false)
  );
});

describe('lastMonths', () => {
  it('counts back from the month of now, newest first, across the year boundary', () => {
    expect(lastMonths(new Date('2026-02-15T12:00:00Z'), 4)).toEqual([
      '2026-02',
      '2026-01',
      '2025-12',
      '2025-11',
    ]);
  });

  it('gives 12 distinct consecutive months ending with this one', () => {
    const months = lastMonths(new Date('2026-12-31T23:59:59Z'), 12);
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2026-12');
    expect(months[11]).toBe('2026-01');
    expect(new Set(months).size).toBe(12);
  });

  it('is not thrown off by the 31st of a month', () => {
    expect(lastMonths(new Date('2026-03-31T00:00:00Z'), 2)).toEqual(['2026-03', '2026-02']);
  });
});

describe('orderUsage', () => {
  it('counts every line of the order in the month it was created', () => {
    const order = { orderId: 'o-1', createdAt: '2026-11-30T23:59:59.000Z', lines: [{}, {}, {}] };
    expect(orderUsage(order)).toEqual({ orderId: 'o-1', month: '2026-11', orderLines: 3 });
  });

  it('counts quantities as nothing: a line of 10 units is one order line', () => {
    const order = { orderId: 'o-2', createdAt: '2026-01-05T00:00:00Z', lines: [{ quantity: 10 }] };
    expect(orderUsage(order).orderLines).toBe(1);
  });

  it('starts a month at zero', () => {
    expect(emptyMonth('2026-04')).toEqual({ month: '2026-04', orderLines: 0, orders: 0 });
  });
});
