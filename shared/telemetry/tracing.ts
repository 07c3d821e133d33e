import {
  context,
  createContextKey,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export { SpanKind, SpanStatusCode, type Span };

/**
 * Spans and the W3C trace context on `@opentelemetry/api` alone: without a tracer provider (tests,
 * tracing off) every span is a no-op and nothing is carried. The SDK is set up once at startup
 * (shared/adapters/telemetry); nothing here loads it.
 */

/** The propagator is used directly, so carrying the context works whichever SDK (or none) is set up. */
const w3c = new W3CTraceContextPropagator();
const tracerName = 'openiom';

/** What a log line says of the work it belongs to, besides the trace (see log.ts). */
export interface LogFields {
  orderId?: string;
  /** The journey instance (`order:{orderId}:{journeyId}`). */
  instanceId?: string;
  /** The function invoked and its invocation id, set once per invocation. */
  function?: string;
  invocationId?: string;
}

const logFieldsKey = createContextKey('openiom.log-fields');

/**
 * The W3C `traceparent` of the active span, for a queue message or a durable input to carry
 * (undefined when there is no recording trace).
 */
export function currentTraceparent(from: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(from, carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/** `{traceparent}` to spread into a message or input, or nothing when there is no trace to carry. */
export function traceFields(): { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent === undefined ? {} : { traceparent };
}

/**
 * The context a carried `traceparent` continues, on top of `base`; a missing or malformed one
 * leaves `base` as it is (a message from before tracing starts a new trace).
 */
export function contextOf(traceparent: string | undefined, base: Context = context.active()): Context {
  if (traceparent === undefined || traceparent === '') return base;
  return w3c.extract(base, { traceparent }, defaultTextMapGetter);
}

/** The active span's trace id, or undefined when nothing is traced. */
export function currentTraceId(from: Context = context.active()): string | undefined {
  const spanContext = trace.getSpanContext(from);
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** The log fields set on `from` and its parents, with the active span's trace and span ids. */
export function logFieldsOf(from: Context = context.active()): Record<string, string> {
  const fields = { ...((from.getValue(logFieldsKey) as Record<string, string> | undefined) ?? {}) };
  const spanContext = trace.getSpanContext(from);
  if (spanContext && isSpanContextValid(spanContext)) {
    fields.traceId = spanContext.traceId;
    fields.spanId = spanContext.spanId;
  }
  return fields;
}

/** `base` with more log fields (undefined values are left out). */
export function withLogFields(fields: LogFields, base: Context = context.active()): Context {
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined && value !== '');
  if (defined.length === 0) return base;
  const current = (base.getValue(logFieldsKey) as Record<string, string> | undefined) ?? {};
  return base.setValue(logFieldsKey, { ...current, ...Object.fromEntries(defined) });
}

export interface TracedWork {
  kind?: SpanKind;
  /** A carried `traceparent` to continue; without one, the span is a child of the active one. */
  parent?: string | undefined;
  attributes?: Attributes;
  /** Log fields for everything the work logs; orderId and instanceId also become span attributes. */
  fields?: LogFields;
}

/**
 * Runs `work` in a new active span: its end is the work's end, a throw marks it failed. Span names
 * are low-cardinality (`order.create`, `journey.step <node>`, `POST v1/orders`); ids go in attributes.
 */
export function inSpan<T>(name: string, options: TracedWork, work: (span: Span) => Promise<T>): Promise<T> {
  const fields = options.fields ?? {};
  const parent = withLogFields(fields, contextOf(options.parent));
  const attributes: Attributes = { ...options.attributes };
  if (fields.orderId !== undefined) attributes['openiom.order_id'] = fields.orderId;
  if (fields.instanceId !== undefined) attributes['openiom.instance_id'] = fields.instanceId;
  return trace
    .getTracer(tracerName)
    .startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes }, parent, async (span) => {
      try {
        return await work(span);
      } catch (err) {
        span.recordException(err instanceof Error ? err : String(err));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: err instanceof Error ? err.message : String(err),
        });
        throw err;
      } finally {
        span.end();
      }
    });
}

/** Runs `work` with more log fields on everything it logs (no span of its own). */
export function withFields<T>(fields: LogFields, work: () => T): T {
  return context.with(withLogFields(fields), work);
}
