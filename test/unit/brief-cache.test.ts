import { BriefCache } from '../../shared/app/brief-cache';

function at(ms: number) {
  const clock = { ms, now: () => new Date(clock.ms) };
  return clock;
}

/** A stored value and a cache of it that counts its reads. */
function cached(ttlMs = 1000) {
  const stored = { value: 'v1', reads: 0 };
  const clock = at(0);
  const cache = new BriefCache(
    () => {
      stored.reads += 1;
      return Promise.resolve(stored.value);
    },
    clock,
    ttlMs
  );
  return { stored, clock, cache };
}

describe('BriefCache', () => {
  it('reads once within the time to live, concurrent callers included', async () => {
    const { stored, clock, cache } = cached();
    await Promise.all([cache.get(), cache.get(), cache.get()]);
    clock.ms = 999;
    stored.value = 'v2';
    expect(await cache.get()).toBe('v1');
    expect(stored.reads).toBe(1);
  });

  it('reads again once the time to live has passed', async () => {
    const { stored, clock, cache } = cached();
    await cache.get();
    stored.value = 'v2';
    clock.ms = 1000;
    expect(await cache.get()).toBe('v2');
    expect(stored.reads).toBe(2);
  });

  it('forgets the value when this process writes it, even when the write fails', async () => {
    const { stored, cache } = cached(60_000);
    await cache.get();
    await cache.writing(() => Promise.resolve((stored.value = 'v2')));
    expect(await cache.get()).toBe('v2');
    await expect(
      cache.writing(() => {
        stored.value = 'v3';
        return Promise.reject(new Error('timed out'));
      })
    ).rejects.toThrow('timed out');
    expect(await cache.get()).toBe('v3');
    expect(stored.reads).toBe(3);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const cache = new BriefCache(
      () => (fail ? Promise.reject(new Error('down')) : Promise.resolve('up')),
      at(0),
      60_000
    );
    await expect(cache.get()).rejects.toThrow('down');
    fail = false;
    expect(await cache.get()).toBe('up');
  });
});
