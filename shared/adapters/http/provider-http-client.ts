import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type {
  ProviderHttp,
  ProviderRequest,
  ProviderResponse,
  RetryDelay,
} from '../../ports/provider-plugins';
import { inSpan, SpanKind, SpanStatusCode, traceFields, type Span } from '../../telemetry/tracing';

export interface ProviderHttpOptions {
  /** One attempt's limit, connecting to the last byte. */
  timeoutMs?: number;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** The first backoff; each later one doubles, with jitter, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const bodyExcerptChars = 500;

/**
 * The one HTTP client of provider calls, on Node's fetch. Each provider signals "come back later"
 * its own way (Shopify `Retry-After: 2.0`, BigCommerce `X-Rate-Limit-Time-Reset-Ms`), so the wait
 * is the provider's RetryDelay; without one, 429 honours `Retry-After` and 429/5xx and network
 * failures back off exponentially. Generic retry libraries (undici's RetryAgent, async-retry) know
 * only Retry-After or only exceptions, so the loop is kept here, small.
 */
export class ProviderHttpClient implements ProviderHttp {
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: ProviderHttpOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxAttempts = options.maxAttempts ?? 6;
    this.#baseDelayMs = options.baseDelayMs ?? 250;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * One provider call, retries included, is one client span (`HTTP <method> <host>`); every attempt
   * carries its `traceparent`, so the provider's side can join the trace.
   */
  request(request: ProviderRequest, retryDelay?: RetryDelay): Promise<ProviderResponse> {
    const method = request.method ?? 'GET';
    const url = withoutQuery(request.url);
    return inSpan(
      `HTTP ${method} ${hostOf(url)}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'url.full': url } },
      (span) => this.#withRetries(request, retryDelay, span)
    );
  }

  async #withRetries(
    request: ProviderRequest,
    retryDelay: RetryDelay | undefined,
    span: Span
  ): Promise<ProviderResponse> {
    const what = `${request.method ?? 'GET'} ${withoutQuery(request.url)}`;
    for (let attempt = 1; ; attempt++) {
      let response: ProviderResponse;
      span.setAttribute('http.request.resend_count', attempt - 1);
      try {
        response = await this.#once(request);
      } catch (err) {
        if (attempt >= this.#maxAttempts) {
          throw new ProviderCallError(`${what} failed: ${describe(err)}`, undefined);
        }
        await this.#sleep(this.#backoff(attempt));
        continue;
      }
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 200 && response.status < 300) return response;
      const delay = retryDelay?.(response, attempt) ?? this.#defaultDelay(response, attempt);
      if (delay === undefined || attempt >= this.#maxAttempts) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${response.status}` });
        throw new ProviderCallError(
          `${what} answered ${response.status}${attempt > 1 ? ` after ${attempt} attempts` : ''}.`,
          response.status,
          response.text.slice(0, bodyExcerptChars)
        );
      }
      await this.#sleep(Math.min(delay, this.#maxDelayMs));
    }
  }

  async #once(request: ProviderRequest): Promise<ProviderResponse> {
    const response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers: { accept: 'application/json', ...request.headers, ...traceFields() },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  #defaultDelay(response: ProviderResponse, attempt: number): number | undefined {
    if (response.status === 429) return retryAfterMs(response) ?? this.#backoff(attempt);
    if (response.status >= 500 || response.status === 408) return this.#backoff(attempt);
    return undefined;
  }

  #backoff(attempt: number): number {
    const exponential = this.#baseDelayMs * 2 ** (attempt - 1);
    return Math.min(this.#maxDelayMs, exponential / 2 + Math.random() * (exponential / 2));
  }
}

/** `Retry-After` in seconds (decimals allowed, as Shopify sends "2.0") or an HTTP date, in ms. */
export function retryAfterMs(response: ProviderResponse): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
