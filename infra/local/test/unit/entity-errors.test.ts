import { keepingErrorMessages } from '../../durable/entity-errors';

describe('errors thrown by entity operations', () => {
  it('serialize with their name and message while an entity function runs, and as before elsewhere', async () => {
    const inside = await keepingErrorMessages(async () => {
      await Promise.resolve();
      return JSON.stringify(new RangeError('too big'));
    });
    expect(JSON.parse(inside)).toEqual({ name: 'RangeError', message: 'too big' });

    const outside = Object.assign(new Error('kept out'), { code: 7 });
    expect(JSON.stringify(outside)).toBe('{"code":7}');
    expect(JSON.stringify(new Error('plain'))).toBe('{}');
  });
});
