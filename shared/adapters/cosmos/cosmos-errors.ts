import { ConflictError, NotFoundError, PreconditionFailedError, ThrottledError } from '../../domain/errors';

/**
 * Cosmos SDK failures → domain errors (docs/architecture.md: adapters translate 404/409/412).
 *
 * The SDK throws `ErrorResponse` objects whose `code` is the HTTP status (a number); network
 * failures carry string codes like `ECONNREFUSED`. We duck-type on `code` rather than `instanceof`
 * so that errors from any SDK copy (or a test fake) translate the same way. Anything we do not
 * recognise is rethrown untouched so its details reach the logs, never a client.
 */

interface CosmosErrorShape {
  code?: unknown;
  retryAfterInMs?: unknown;
  retryAfterInMilliseconds?: unknown;
  headers?: unknown;
}

function shape(err: unknown): CosmosErrorShape | undefined {
  return typeof err === 'object' && err !== null ? err : undefined;
}

/** The HTTP status of an SDK error, or undefined for non-HTTP failures. */
export function cosmosStatusOf(err: unknown): number | undefined {
  const code = shape(err)?.code;
  return typeof code === 'number' ? code : undefined;
}

function positiveNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function headerValue(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') return (getter as (n: string) => unknown).call(headers, name);
  return (headers as Record<string, unknown>)[name];
}

/** The delay the server asked for on a 429, from the SDK's parsed field or the raw header. */
export function retryAfterMsOf(err: unknown): number | undefined {
  const e = shape(err);
  if (e === undefined) return undefined;
  return (
    positiveNumber(e.retryAfterInMs) ??
    positiveNumber(e.retryAfterInMilliseconds) ??
    positiveNumber(headerValue(e.headers, 'x-ms-retry-after-ms'))
  );
}

/**
 * Map an SDK error to a domain error; returns the input unchanged when there is no mapping.
 * `what` names the target (e.g. `orders/ord-1`) for a readable message without SDK internals.
 */
export function translateCosmosError(err: unknown, what = 'document'): unknown {
  switch (cosmosStatusOf(err)) {
    case 404:
      return new NotFoundError(`${what} not found`, { cause: err });
    case 409:
      return new ConflictError(`${what} already exists`, { cause: err });
    case 412:
      return new PreconditionFailedError(`${what} was changed concurrently (ETag mismatch)`, { cause: err });
    case 429:
      return new ThrottledError(`Cosmos DB is throttling requests for ${what}`, retryAfterMsOf(err) ?? 1000, {
        cause: err,
      });
    default:
      return err;
  }
}

export interface CosmosRetryOptions {
  /** Names the target in error messages. */
  what?: string;
  /** Total attempts including the first; 429s beyond this become ThrottledError. Default 4. */
  maxAttempts?: number;
  /** Cap on one wait, so a huge server hint cannot park a function invocation. Default 5000. */
  maxDelayMs?: number;
  /** Injectable for tests; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_MAX_DELAY_MS = 5000;
/** Used when a 429 carries no delay hint: 100, 200, 400 ms ... */
const FALLBACK_BASE_DELAY_MS = 100;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run one Cosmos operation: retry 429s after the server's delay (bounded), translate failures into
 * domain errors. The operation must be safe to repeat — a 429 means the server did not apply it.
 */
export async function withCosmosErrors<T>(
  operation: () => Promise<T>,
  options: CosmosRetryOptions = {}
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const sleep = options.sleep ?? realSleep;

  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (cosmosStatusOf(err) === 429 && attempt < maxAttempts) {
        const hinted = retryAfterMsOf(err) ?? FALLBACK_BASE_DELAY_MS * 2 ** (attempt - 1);
        await sleep(Math.min(hinted, maxDelayMs));
        continue;
      }
      throw translateCosmosError(err, options.what);
    }
  }
}
