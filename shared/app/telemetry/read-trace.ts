import { NotFoundError, ValidationError } from '../../domain/errors';
import type { RecordedSpan, TraceReader } from '../../ports/traces';

export interface ReadTraceDeps {
  /** Absent when spans are not kept here (Application Insights, or tracing off). */
  reader?: TraceReader;
}

export interface TraceAnswer {
  traceId: string;
  spans: RecordedSpan[];
}

/**
 * One trace as recorded locally: every span of it, oldest first. An id that is not a W3C trace id
 * (32 lowercase hex digits, not all zero) is refused; a trace with no span here is not found.
 */
export async function readTrace(deps: ReadTraceDeps, traceId: string): Promise<TraceAnswer> {
  if (!/^[0-9a-f]{32}$/.test(traceId) || /^0+$/.test(traceId)) {
    throw new ValidationError('Not a trace id.', [
      { path: '/traceId', message: 'must be 32 lowercase hex digits, not all zero' },
    ]);
  }
  if (deps.reader === undefined) {
    throw new NotFoundError(
      'Spans are not kept by this app: with APPLICATIONINSIGHTS_CONNECTION_STRING set they are in Application Insights (operation id = trace id); OPENIOM_TRACES=off keeps none.',
      { code: 'trace-not-found' }
    );
  }
  const spans = await deps.reader.spansOf(traceId);
  if (spans.length === 0) {
    throw new NotFoundError(`No span of trace ${traceId} is recorded here.`, { code: 'trace-not-found' });
  }
  return { traceId, spans };
}
