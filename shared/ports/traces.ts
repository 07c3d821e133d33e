/** One finished span as the local trace file keeps it and `GET /api/v1/traces/{traceId}` answers it. */
export interface RecordedSpan {
  traceId: string;
  spanId: string;
  /** Absent on a trace's root span. */
  parentSpanId?: string;
  name: string;
  /** `internal`, `server`, `client`, `producer`, `consumer`. */
  kind: string;
  /** ISO 8601 instants. */
  start: string;
  end: string;
  durationMs: number;
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
  attributes: Record<string, unknown>;
}

/** The spans this app recorded, read back by trace id. */
export interface TraceReader {
  /** Every recorded span of the trace, oldest first (spans still buffered are written first). */
  spansOf(traceId: string): Promise<RecordedSpan[]>;
}
