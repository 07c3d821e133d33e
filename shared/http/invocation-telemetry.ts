import { context } from '@opentelemetry/api';
import type { FunctionHandler, InvocationContext } from '@azure/functions';
import { logLine, withLogSink, type LogSink } from '../telemetry/log';
import { logFieldsOf, withLogFields } from '../telemetry/tracing';

const methodLevels = [
  ['log', 'information'],
  ['info', 'information'],
  ['warn', 'warning'],
  ['error', 'error'],
  ['debug', 'debug'],
  ['trace', 'trace'],
] as const;

/**
 * The one logging path of the app: every line written through an invocation's context
 * (`context.log/warn/error/...`) or the use cases' `log()` becomes a JSON line with the function,
 * the invocation id and what the work in progress knows (orderId, instanceId, traceId, spanId).
 * Runs the handler in that context so the fields follow its async work.
 */
export function withInvocationTelemetry(
  invocation: InvocationContext,
  handler: FunctionHandler
): FunctionHandler {
  const host = {
    information: invocation.info.bind(invocation),
    warning: invocation.warn.bind(invocation),
    error: invocation.error.bind(invocation),
    debug: invocation.debug.bind(invocation),
    trace: invocation.trace.bind(invocation),
  };
  const sink: LogSink = (level, line) => host[level](line);
  const writable = invocation as unknown as Record<string, (...args: unknown[]) => void>;
  for (const [method, level] of methodLevels) {
    writable[method] = (...args: unknown[]) => sink(level, logLine(level, args, logFieldsOf()));
  }
  const invocationContext = withLogSink(
    sink,
    withLogFields({ function: invocation.functionName, invocationId: invocation.invocationId })
  );
  return (trigger: unknown, invocation: InvocationContext): ReturnType<FunctionHandler> =>
    context.with(invocationContext, (): ReturnType<FunctionHandler> => handler(trigger, invocation));
}
