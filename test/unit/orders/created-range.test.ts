import { createdRange } from '../../../shared/domain/orders/created-range';
import { ValidationError } from '../../../shared/domain/errors';

describe('createdRange', () => {
  it('takes a date as its whole UTC day, both ends inclusive', () => {
    expect(createdRange('2026-12-01', '2026-12-02')).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      before: '2026-12-03T00:00:00.000Z',
    });
  });

  it('takes a date-time exactly, in its zone, the end inclusive to the millisecond', () => {
    expect(createdRange('2026-12-01T10:00:00+02:00', '2026-12-01T12:30:00.250Z')).toEqual({
      from: '2026-12-01T08:00:00.000Z',
      before: '2026-12-01T12:30:00.251Z',
    });
    expect(createdRange(undefined, undefined)).toEqual({});
    expect(createdRange('2026-12-01', undefined)).toEqual({ from: '2026-12-01T00:00:00.000Z' });
  });

  it('names each parameter that is not a date', () => {
    let thrown: unknown;
    try {
      createdRange('yesterday', '2026-02-30T10:00:00');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).errors.map((issue) => issue.path)).toEqual([
      '/createdFrom',
      '/createdTo',
    ]);
    expect(() => createdRange('2026-13-45', undefined)).toThrow(ValidationError);
  });
});
