import { ReplayCache } from '../../durable/replay-cache';

describe('ReplayCache', () => {
  it('drops the least recently used entry beyond its capacity', () => {
    const cache = new ReplayCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replaces a value in place and forgets deleted keys', () => {
    const cache = new ReplayCache<string>(3);
    cache.set('a', 'one');
    cache.set('a', 'two');
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe('two');
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
