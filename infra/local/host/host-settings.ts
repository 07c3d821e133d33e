import { readFileSync } from 'fs';

/** The parts of host.json the local host honours. */
export interface HostSettings {
  routePrefix: string;
  maxRequestBodySize: number;
  queues: {
    batchSize: number;
    newBatchThreshold: number;
    maxDequeueCount: number;
    visibilityTimeoutMs: number;
    maxPollingIntervalMs: number;
  };
  /** host.json `extensions.queues.messageEncoding`: `base64` (the default) or `none`. */
  queueMessageEncoding: string;
  durableTask: Record<string, unknown>;
  /** host.json `extensions.serviceBus`. */
  serviceBus: {
    maxConcurrentCalls: number;
    /** How long a handler's lock is renewed at most (`maxAutoLockRenewalDuration`). */
    maxAutoLockRenewalDurationMs: number;
  };
}

export function readHostSettings(hostJsonPath: string | undefined): HostSettings {
  const json = hostJsonPath ? (JSON.parse(readFileSync(hostJsonPath, 'utf8')) as HostJson) : {};
  const http = json.extensions?.http ?? {};
  const queues = json.extensions?.queues ?? {};
  const serviceBus = json.extensions?.serviceBus ?? {};
  return {
    routePrefix: typeof http.routePrefix === 'string' ? http.routePrefix : 'api',
    maxRequestBodySize: numberOr(http.maxRequestBodySize, 1024 * 1024),
    queues: {
      batchSize: Math.min(32, numberOr(queues.batchSize, 16)),
      newBatchThreshold: numberOr(queues.newBatchThreshold, Math.floor(numberOr(queues.batchSize, 16) / 2)),
      maxDequeueCount: numberOr(queues.maxDequeueCount, 5),
      visibilityTimeoutMs: timeSpanMs(queues.visibilityTimeout, 0),
      maxPollingIntervalMs: timeSpanMs(queues.maxPollingInterval, 60_000),
    },
    queueMessageEncoding: typeof queues.messageEncoding === 'string' ? queues.messageEncoding : 'base64',
    durableTask: json.extensions?.durableTask ?? {},
    serviceBus: {
      maxConcurrentCalls: numberOr(serviceBus.maxConcurrentCalls, 16),
      maxAutoLockRenewalDurationMs: timeSpanMs(serviceBus.maxAutoLockRenewalDuration, 5 * 60_000),
    },
  };
}

interface HostJson {
  extensions?: {
    http?: { routePrefix?: unknown; maxRequestBodySize?: unknown };
    queues?: Record<string, unknown>;
    durableTask?: Record<string, unknown>;
    serviceBus?: Record<string, unknown>;
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** `hh:mm:ss[.fff]` (the TimeSpan format host.json uses) or a number of milliseconds. */
export function timeSpanMs(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return fallback;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
  if (!match) throw new Error(`"${value}" is not a TimeSpan (hh:mm:ss).`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return Math.round(
    ((Number(days) * 24 + Number(hours)) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000
  );
}
