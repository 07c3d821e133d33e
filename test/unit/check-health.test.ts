import { checkHealth, sharedWhileRunning } from '../../shared/app/health/check-health';
import type { HealthProbe } from '../../shared/ports/health-probe';

const ok = (name: string): HealthProbe => ({ name, check: () => Promise.resolve() });
const failing = (name: string, message: string): HealthProbe => ({
  name,
  check: () => Promise.reject(new Error(message)),
});
const hanging = (name: string): HealthProbe => ({ name, check: () => new Promise<void>(() => undefined) });

describe('checkHealth', () => {
  it('is ok when every probe answers', async () => {
    const report = await checkHealth([ok('a'), ok('b')]);
    expect(report).toEqual({
      ok: true,
      checks: [
        { name: 'a', ok: true },
        { name: 'b', ok: true },
      ],
    });
  });

  it('is ok with no probes', async () => {
    expect(await checkHealth([])).toEqual({ ok: true, checks: [] });
  });

  it('reports each failing probe with its reason and keeps the order', async () => {
    const report = await checkHealth([ok('a'), failing('b', 'connection refused'), ok('c')]);
    expect(report.ok).toBe(false);
    expect(report.checks).toEqual([
      { name: 'a', ok: true },
      { name: 'b', ok: false, error: 'connection refused' },
      { name: 'c', ok: true },
    ]);
  });

  it('treats a synchronous throw as a failure, not a crash', async () => {
    const throwsSync: HealthProbe = {
      name: 'sync',
      check: () => {
        throw new Error('boom');
      },
    };
    const report = await checkHealth([throwsSync]);
    expect(report.checks).toEqual([{ name: 'sync', ok: false, error: 'boom' }]);
  });

  it('fails a hanging probe after the timeout without waiting for it', async () => {
    const started = Date.now();
    const report = await checkHealth([hanging('slow'), ok('fast')], { timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toEqual({ name: 'slow', ok: false, error: 'no answer within 50 ms' });
    expect(report.checks[1]).toEqual({ name: 'fast', ok: true });
  });

  it('runs probes concurrently', async () => {
    // Each probe waits until all four have started: sequential execution would time out.
    let started = 0;
    let releaseAll: () => void = () => undefined;
    const allStarted = new Promise<void>((resolve) => (releaseAll = resolve));
    const gated = (name: string): HealthProbe => ({
      name,
      check: () => {
        if (++started === 4) releaseAll();
        return allStarted;
      },
    });
    const report = await checkHealth([gated('a'), gated('b'), gated('c'), gated('d')], { timeoutMs: 1000 });
    expect(report.ok).toBe(true);
    expect(started).toBe(4);
  });
});

describe('sharedWhileRunning', () => {
  it('gives callers that come while a run is in flight that run, and starts anew after it', async () => {
    let runs = 0;
    let finish: (value: number) => void = () => undefined;
    const shared = sharedWhileRunning(() => {
      runs++;
      return new Promise<number>((resolve) => (finish = resolve));
    });
    const first = shared();
    const second = shared();
    expect(second).toBe(first);
    expect(runs).toBe(1);
    finish(7);
    await expect(Promise.all([first, second])).resolves.toEqual([7, 7]);
    const third = shared();
    expect(runs).toBe(2);
    finish(8);
    await expect(third).resolves.toBe(8);
  });

  it('shares a failure with the callers waiting for it, and the next call runs again', async () => {
    let runs = 0;
    const shared = sharedWhileRunning(() => {
      runs++;
      if (runs === 1) throw new Error('not configured');
      return Promise.resolve('ok');
    });
    const [a, b] = [shared(), shared()];
    await expect(a).rejects.toThrow('not configured');
    await expect(b).rejects.toThrow('not configured');
    expect(runs).toBe(1);
    await expect(shared()).resolves.toBe('ok');
  });
});
