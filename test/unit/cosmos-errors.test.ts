import {
  retryAfterMsOf,
  translateCosmosError,
  withCosmosErrors,
} from '../../shared/adapters/cosmos/cosmos-errors';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ThrottledError,
} from '../../shared/domain/errors';

/** An error shaped like the SDK's ErrorResponse. */
function sdkError(code: number | string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(
    new Error(`SDK error ${code}: {"code":"...","message":"internal detail"}`),
    { code },
    extra
  );
}

describe('translateCosmosError', () => {
  it.each([
    [404, NotFoundError, 'not-found'],
    [409, ConflictError, 'conflict'],
    [412, PreconditionFailedError, 'precondition-failed'],
    [429, ThrottledError, 'throttled'],
  ])('maps %i to %p', (status, type, code) => {
    const original = sdkError(status);
    const translated = translateCosmosError(original, 'orders/ord-1');
    expect(translated).toBeInstanceOf(type);
    expect((translated as ConflictError).code).toBe(code);
    expect((translated as Error).message).toContain('orders/ord-1');
    expect((translated as Error).message).not.toContain('internal detail');
    expect((translated as Error).cause).toBe(original);
  });

  it('leaves other errors untouched', () => {
    for (const err of [
      sdkError(400),
      sdkError(500),
      sdkError('ECONNREFUSED'),
      new Error('x'),
      'str',
      undefined,
    ]) {
      expect(translateCosmosError(err)).toBe(err);
    }
  });

  it('carries the server delay on a 429', () => {
    expect(
      (translateCosmosError(sdkError(429, { retryAfterInMs: 250 })) as ThrottledError).retryAfterMs
    ).toBe(250);
  });
});

describe('retryAfterMsOf', () => {
  it('reads the parsed field, the legacy field, or the raw header', () => {
    expect(retryAfterMsOf(sdkError(429, { retryAfterInMs: 10 }))).toBe(10);
    expect(retryAfterMsOf(sdkError(429, { retryAfterInMilliseconds: 20 }))).toBe(20);
    expect(retryAfterMsOf(sdkError(429, { headers: { 'x-ms-retry-after-ms': '30' } }))).toBe(30);
    expect(retryAfterMsOf(sdkError(429, { headers: new Map([['x-ms-retry-after-ms', '40']]) }))).toBe(40);
    expect(retryAfterMsOf(sdkError(429))).toBeUndefined();
    expect(retryAfterMsOf(sdkError(429, { retryAfterInMs: -1 }))).toBeUndefined();
  });
});

describe('withCosmosErrors', () => {
  function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
    const waits: number[] = [];
    return { waits, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
  }

  /** An operation that fails with the given errors in turn, then returns 'done'. */
  function scripted(...failures: Error[]): { op: () => Promise<string>; calls: () => number } {
    let calls = 0;
    return {
      calls: () => calls,
      op: () => {
        const failure = failures[calls++];
        return failure === undefined ? Promise.resolve('done') : Promise.reject(failure);
      },
    };
  }

  it('returns the result when the operation succeeds', async () => {
    const { sleep, waits } = recordingSleep();
    await expect(withCosmosErrors(() => Promise.resolve(42), { sleep })).resolves.toBe(42);
    expect(waits).toEqual([]);
  });

  it('retries 429s after the server-specified delay, then succeeds', async () => {
    const { sleep, waits } = recordingSleep();
    const { op, calls } = scripted(
      sdkError(429, { retryAfterInMs: 15 }),
      sdkError(429, { headers: { 'x-ms-retry-after-ms': '25' } })
    );
    await expect(withCosmosErrors(op, { sleep })).resolves.toBe('done');
    expect(calls()).toBe(3);
    expect(waits).toEqual([15, 25]);
  });

  it('backs off exponentially when the server gives no delay, capped by maxDelayMs', async () => {
    const { sleep, waits } = recordingSleep();
    const { op } = scripted(sdkError(429), sdkError(429), sdkError(429, { retryAfterInMs: 60_000 }));
    await withCosmosErrors(op, { sleep, maxAttempts: 4, maxDelayMs: 1000 });
    expect(waits).toEqual([100, 200, 1000]);
  });

  it('gives up after maxAttempts with a ThrottledError carrying the last delay', async () => {
    const { sleep, waits } = recordingSleep();
    const { op, calls } = scripted(...Array.from({ length: 10 }, () => sdkError(429, { retryAfterInMs: 7 })));
    const failure = withCosmosErrors(op, { sleep, maxAttempts: 3, what: 'inventory/sku-1' });
    await expect(failure).rejects.toBeInstanceOf(ThrottledError);
    await expect(failure).rejects.toMatchObject({ retryAfterMs: 7, code: 'throttled' });
    expect(calls()).toBe(3);
    expect(waits).toEqual([7, 7]);
  });

  it('does not retry other statuses and translates them', async () => {
    const { sleep, waits } = recordingSleep();
    const { op, calls } = scripted(sdkError(412));
    await expect(withCosmosErrors(op, { sleep })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('rethrows unknown failures unchanged', async () => {
    const network = sdkError('ECONNRESET');
    await expect(withCosmosErrors(() => Promise.reject(network))).rejects.toBe(network);
  });
});
