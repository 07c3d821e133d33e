import { format } from 'node:util';
import { context, createContextKey, type Context } from '@opentelemetry/api';
import { logFieldsOf } from './tracing';

/** The Functions host's log levels. */
export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error';

/**
 * One log line of the app: a JSON object with `level` and `message`, then what is known of the work
 * it belongs to (`orderId`, `instanceId`, `traceId`, `spanId`, `function`, `invocationId`), and
 * `error` (the stack) when an Error was logged. `args` are what `context.log(...)` was given.
 */
export function logLine(
  level: LogLevel,
  args: readonly unknown[],
  fields: Readonly<Record<string, string>>
): string {
  const errors = args.filter((arg): arg is Error => arg instanceof Error);
  const rest = args.filter((arg) => !(arg instanceof Error));
  const message = rest.length > 0 ? format(...rest) : (errors[0]?.message ?? '');
  const error = errors.map((err) => err.stack ?? err.message).join('\n');
  return JSON.stringify({ level, message, ...fields, ...(error === '' ? {} : { error }) });
}

/** Where an invocation's lines go: the host's logger of that invocation. */
export type LogSink = (level: LogLevel, line: string) => void;

const sinkKey = createContextKey('openiom.log-sink');

/** `base` whose logs go to `sink`. */
export function withLogSink(sink: LogSink, base: Context = context.active()): Context {
  return base.setValue(sinkKey, sink);
}

/** Outside any invocation (startup), lines go to stderr, as the host's own do. */
const stderrSink: LogSink = (_level, line) => {
  process.stderr.write(`${line}\n`);
};

/**
 * Logs from use cases: one structured line through the current invocation's logger, with the
 * order, instance and trace of the work in progress.
 */
export function log(level: LogLevel, message: string, ...args: unknown[]): void {
  const active = context.active();
  const sink = (active.getValue(sinkKey) as LogSink | undefined) ?? stderrSink;
  sink(level, logLine(level, [message, ...args], logFieldsOf(active)));
}
