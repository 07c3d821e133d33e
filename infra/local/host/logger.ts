import type { RpcLogLevel } from './core-types';

const order: Record<RpcLogLevel, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

export interface HostLogger {
  log(level: RpcLogLevel, message: string): void;
}

export function parseLogLevel(value: string | undefined, fallback: RpcLogLevel): RpcLogLevel {
  const normalized = value?.toLowerCase() === 'info' ? 'information' : value?.toLowerCase();
  return normalized && normalized in order ? (normalized as RpcLogLevel) : fallback;
}

/** Writes host and function logs at or above `minimum` to stderr (stdout is kept for the ready line). */
export function consoleLogger(minimum: RpcLogLevel): HostLogger {
  return {
    log(level, message) {
      if (order[level] < order[minimum] || minimum === 'none') return;
      process.stderr.write(`${new Date().toISOString()} ${level.padEnd(11)} ${message}\n`);
    },
  };
}

export function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
