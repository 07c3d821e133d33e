import type { HostRuntime } from '../host/local-host';
import { describeError } from '../host/logger';
import type { Delivery, DurableSettings, WorkTracker } from './durable-common';
export { httpActivityName } from './history';
import type { ReceivedMessage, TaskHubStore, WorkItem } from './task-hub-store';
import { runWorkItem } from './work-item';

/** The library's DurableHttpRequest, as the CallHttp action carries it. */
export interface DurableHttpRequest {
  method: string;
  uri: string;
  content?: string;
  headers?: Record<string, string | string[]>;
  tokenSource?: unknown;
  asynchronousPatternEnabled?: boolean;
}

/** The library's DurableHttpResponse. */
export interface DurableHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  content: string;
}

export interface HttpCallRunnerOptions {
  store: TaskHubStore;
  settings: DurableSettings;
  runtime: Pick<HostRuntime, 'logger'>;
  tracker: WorkTracker;
  deliver: (delivery: Delivery) => void;
}

/** How long one HTTP call may take (the extension's default HTTP timeout is 100 s). */
const callTimeoutMs = 100_000;

/**
 * Performs `context.df.callHttp` requests: each is a work item (so a host killed meanwhile makes
 * the call again), its response goes to the instance as the task's result. With the asynchronous
 * pattern the host polls, as the extension's HTTP activity does: the library would poll too on a
 * 202 with a Location, but by sending the first request again rather than a GET of the Location.
 */
export class HttpCallRunner {
  constructor(private readonly options: HttpCallRunnerOptions) {}

  start(item: ReceivedMessage<WorkItem>): void {
    const { tracker, runtime } = this.options;
    const work = this.#run(item).catch((err) =>
      runtime.logger.log('error', `[durable] HTTP call of ${item.body.instanceId}: ${describeError(err)}`)
    );
    tracker.track(work);
  }

  #run(item: ReceivedMessage<WorkItem>): Promise<void> {
    return runWorkItem(this.options, item, () =>
      callWithPolling(JSON.parse(item.body.input) as DurableHttpRequest)
    );
  }
}

/** Default wait between polls without a Retry-After, as the extension's default. */
const defaultPollMs = 30_000;

/** The request, then while the answer is a 202 with a Location, a GET of it after Retry-After. */
export async function callWithPolling(
  request: DurableHttpRequest,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
): Promise<DurableHttpResponse> {
  let response = await performHttpCall(request);
  while (request.asynchronousPatternEnabled !== false && response.statusCode === 202) {
    const location = response.headers.location;
    if (!location) break;
    const retryAfter = Number(response.headers['retry-after']);
    await sleep(Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : defaultPollMs);
    const uri = new URL(location, request.uri).toString();
    response = await performHttpCall({ method: 'GET', uri, headers: request.headers });
  }
  return response;
}

/** One HTTP request as the extension makes it: redirects are not followed, the body is text. */
export async function performHttpCall(request: DurableHttpRequest): Promise<DurableHttpResponse> {
  if (request.tokenSource)
    throw new Error('The local host does not acquire managed identity tokens for callHttp (tokenSource).');
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers ?? {}))
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  const method = (request.method || 'GET').toUpperCase();
  let response: Response;
  try {
    response = await fetch(request.uri, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : request.content,
      redirect: 'manual',
      signal: AbortSignal.timeout(callTimeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    throw new Error(`${method} ${request.uri} failed: ${describeError(err).split('\n')[0]}${detail}`);
  }
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => (responseHeaders[name] = value));
  return { statusCode: response.status, headers: responseHeaders, content: await response.text() };
}
