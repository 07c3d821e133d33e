import path from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TokenCredential } from '@azure/identity';
import type { TraceReader } from '../../ports/traces';
import { AsyncLocalContextManager } from './async-local-context-manager';
import { JsonLinesSpanExporter, readTraceSpans } from './json-lines-span-exporter';

/** What startup set up: how to read a trace back (local file only) and how to flush at shutdown. */
export interface StartedTracing {
  reader?: TraceReader;
  shutdown(): Promise<void>;
}

/** The span file under a data directory. */
export function spanFileOf(dataDir: string): string {
  return path.resolve(dataDir, 'traces', 'spans.jsonl');
}

/**
 * Local tracing: spans are batched (a write per batch, at most a second late) to a JSON-lines file
 * that `GET /api/v1/traces/{traceId}` reads back; reading flushes the batch first.
 */
export function startFileTracing(file: string): StartedTracing {
  const processor = new BatchSpanProcessor(new JsonLinesSpanExporter(file), {
    scheduledDelayMillis: 1000,
    maxQueueSize: 8192,
    maxExportBatchSize: 512,
  });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  registerGlobals();
  trace.setGlobalTracerProvider(provider);
  return {
    reader: {
      spansOf: async (traceId) => {
        await processor.forceFlush();
        return readTraceSpans(file, traceId);
      },
    },
    shutdown: () => provider.shutdown(),
  };
}

/** No spans, but log fields still follow async work. */
export function startWithoutTracing(): StartedTracing {
  registerGlobals();
  return { shutdown: () => Promise.resolve() };
}

/**
 * Application Insights through Microsoft's OpenTelemetry distro. Loaded only here (it takes about
 * 0.4 s to load); it sets up its own context manager, W3C propagation and exporters.
 */
export function startAzureMonitor(connectionString: string, credential?: TokenCredential): StartedTracing {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const distro = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  distro.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString, ...(credential ? { credential } : {}) },
  });
  return { shutdown: () => distro.shutdownAzureMonitor() };
}

function registerGlobals(): void {
  context.setGlobalContextManager(new AsyncLocalContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
