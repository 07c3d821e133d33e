import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { InvocationContext } from '@azure/functions';
import { AsyncLocalContextManager } from '../../../shared/adapters/telemetry/async-local-context-manager';
import {
  JsonLinesSpanExporter,
  readTraceSpans,
} from '../../../shared/adapters/telemetry/json-lines-span-exporter';
import { ConfigError, loadTelemetrySettings } from '../../../shared/config';
import { withInvocationTelemetry } from '../../../shared/http/invocation-telemetry';
import { log, logLine } from '../../../shared/telemetry/log';
import {
  contextOf,
  currentTraceId,
  currentTraceparent,
  inSpan,
  SpanKind,
  traceFields,
} from '../../../shared/telemetry/tracing';

const finished = new InMemorySpanExporter();

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(finished)] })
  );
});

afterEach(() => finished.reset());

afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('the trace context a message carries', () => {
  it('is nothing outside a span, so an untraced message stays as it was', () => {
    expect(currentTraceparent()).toBeUndefined();
    expect(traceFields()).toEqual({});
    expect(currentTraceId()).toBeUndefined();
  });

  it("is the active span's W3C traceparent, and a span that continues it is that span's child", async () => {
    const carried = await inSpan('intake', {}, (span) => {
      const traceparent = currentTraceparent()!;
      expect(traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      expect(traceFields()).toEqual({ traceparent });
      return Promise.resolve(traceparent);
    });
    // Later, elsewhere (a queue consumer): no active span, only the carried text.
    await context.with(ROOT_CONTEXT, () =>
      inSpan('consumer', { kind: SpanKind.CONSUMER, parent: carried }, () => Promise.resolve())
    );
    const [intake, consumer] = finished.getFinishedSpans();
    const [, traceId, spanId] = traceparentPattern.exec(carried)!;
    expect(intake!.spanContext()).toMatchObject({ traceId, spanId });
    expect(consumer!.spanContext().traceId).toBe(traceId);
    expect(consumer!.parentSpanContext?.spanId).toBe(spanId);
    expect(consumer!.kind).toBe(SpanKind.CONSUMER);
  });

  it('a missing or malformed traceparent starts a new trace', async () => {
    for (const parent of [undefined, '', 'not-a-traceparent', `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`]) {
      await context.with(ROOT_CONTEXT, () => inSpan('fresh', { parent }, () => Promise.resolve()));
    }
    const spans = finished.getFinishedSpans();
    expect(spans).toHaveLength(4);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(4);
  });

  it('contextOf continues the carried trace on top of what is active', () => {
    const traceparent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    expect(currentTraceId(contextOf(traceparent, ROOT_CONTEXT))).toBe('a'.repeat(32));
    expect(contextOf(undefined, ROOT_CONTEXT)).toBe(ROOT_CONTEXT);
  });

  it('marks a span whose work throws as failed and throws on', async () => {
    await expect(inSpan('failing', {}, () => Promise.reject(new Error('provider down')))).rejects.toThrow(
      'provider down'
    );
    const [span] = finished.getFinishedSpans();
    expect(span!.status).toEqual({ code: 2, message: 'provider down' });
  });
});

describe('a log line', () => {
  it('is JSON: level, message as the arguments format, then the fields', () => {
    const line = logLine('warning', ['%d of %d intakes failed', 1, 3], {
      orderId: 'o-1',
      instanceId: 'order:o-1:j',
      traceId: 'a'.repeat(32),
    });
    expect(JSON.parse(line)).toEqual({
      level: 'warning',
      message: '1 of 3 intakes failed',
      orderId: 'o-1',
      instanceId: 'order:o-1:j',
      traceId: 'a'.repeat(32),
    });
    expect(line.startsWith('{"level":"warning","message":')).toBe(true);
  });

  it("carries an error's stack, and its message when nothing else was said", () => {
    const err = new Error('boom');
    expect(JSON.parse(logLine('error', ['request failed', err], {}))).toEqual({
      level: 'error',
      message: 'request failed',
      error: err.stack,
    });
    expect(JSON.parse(logLine('error', [err], {})).message).toBe('boom');
  });

  it('of an invocation says the function, the invocation and what the work in progress knows', async () => {
    const lines: { level: string; text: string }[] = [];
    const invocation = new InvocationContext({
      functionName: 'runJourneyStep',
      invocationId: 'inv-1',
      logHandler: (level, ...args) => lines.push({ level, text: String(args[0]) }),
    });
    const handler = withInvocationTelemetry(invocation, (_input: unknown, ctx: InvocationContext) =>
      inSpan('journey.step X', { fields: { orderId: 'o-1', instanceId: 'order:o-1:j' } }, async () => {
        ctx.warn('slow provider', 3);
        await Promise.resolve();
        log('information', 'from a use case');
      }).then(() => ctx.log('done'))
    );
    await handler(undefined, invocation);

    const parsed = lines.map((line) => ({ level: line.level, ...(JSON.parse(line.text) as object) }));
    const [traceId] = finished.getFinishedSpans().map((s) => s.spanContext().traceId);
    expect(parsed).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: 'slow provider 3',
        orderId: 'o-1',
        instanceId: 'order:o-1:j',
        traceId,
        spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
        function: 'runJourneyStep',
        invocationId: 'inv-1',
      }),
      expect.objectContaining({ level: 'information', message: 'from a use case', orderId: 'o-1', traceId }),
      // After the span: the invocation's own fields only.
      { level: 'information', message: 'done', function: 'runJourneyStep', invocationId: 'inv-1' },
    ]);
  });
});

describe('the local span file', () => {
  it('holds one JSON line per span with its parent, times, status and attributes; a trace reads back', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'openiom-spans-')), 'traces', 'spans.jsonl');
    const processor = new BatchSpanProcessor(new JsonLinesSpanExporter(file));
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('test');
    const root = tracer.startSpan('POST /api/v1/orders', { kind: SpanKind.SERVER });
    const child = tracer.startSpan(
      'order.create',
      { attributes: { 'openiom.order_id': 'o-1' } },
      trace.setSpan(ROOT_CONTEXT, root)
    );
    child.end();
    root.end();
    tracer.startSpan('another trace').end();
    await processor.forceFlush();

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    const { traceId, spanId } = root.spanContext();
    const spans = await readTraceSpans(file, traceId);
    expect(spans.map((s) => s.name).sort()).toEqual(['POST /api/v1/orders', 'order.create']);
    const created = spans.find((s) => s.name === 'order.create')!;
    expect(created).toEqual({
      traceId,
      spanId: child.spanContext().spanId,
      parentSpanId: spanId,
      name: 'order.create',
      kind: 'internal',
      start: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      end: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      durationMs: expect.any(Number),
      status: { code: 'unset' },
      attributes: { 'openiom.order_id': 'o-1' },
    });
    expect(spans.find((s) => s.name === 'POST /api/v1/orders')).not.toHaveProperty('parentSpanId');
    expect(await readTraceSpans(path.join(path.dirname(file), 'none.jsonl'), traceId)).toEqual([]);
  });

  it('moves a full file aside and still reads the trace from both', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'openiom-spans-')), 'spans.jsonl');
    const exporter = new JsonLinesSpanExporter(file, 100);
    const processor = new SimpleSpanProcessor(exporter);
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('test');
    const root = tracer.startSpan('first');
    root.end();
    tracer.startSpan('second', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
    await processor.forceFlush();
    await exporter.forceFlush();
    expect(existsSync(file.replace(/\.jsonl$/, '.1.jsonl'))).toBe(true);
    const spans = await readTraceSpans(file, root.spanContext().traceId);
    expect(spans.map((s) => s.name)).toEqual(['first', 'second']);
  });
});

describe('telemetry settings', () => {
  it('write a span file under the data directory unless Application Insights is named or traces are off', () => {
    expect(loadTelemetrySettings({})).toEqual({ traceDataDir: '.data' });
    expect(loadTelemetrySettings({ OPENIOM_DATA_DIR: '/srv/data' })).toEqual({ traceDataDir: '/srv/data' });
    expect(loadTelemetrySettings({ OPENIOM_TRACES: 'off' })).toEqual({});
    expect(
      loadTelemetrySettings({
        APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x',
        AZURE_CLIENT_ID: 'client',
        OPENIOM_TRACES: 'file',
      })
    ).toEqual({ appInsightsConnectionString: 'InstrumentationKey=x', azureClientId: 'client' });
    expect(() => loadTelemetrySettings({ OPENIOM_TRACES: 'console' })).toThrow(ConfigError);
  });
});
