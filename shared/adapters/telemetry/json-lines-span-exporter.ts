import { createReadStream } from 'node:fs';
import { appendFile, mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RecordedSpan } from '../../ports/traces';

/** Past this size the file is moved aside (`spans.1.jsonl`, replacing the one before), so it stays bounded. */
const defaultMaxFileBytes = 64 * 1024 * 1024;

/**
 * Writes finished spans as JSON lines (one span per line) to a local file: a batch is one append,
 * after the one before it, never a synchronous write. `forceFlush` resolves once every batch handed
 * over is on disk.
 */
export class JsonLinesSpanExporter implements SpanExporter {
  #writing: Promise<void> = Promise.resolve();
  #bytes: number | undefined;

  constructor(
    readonly file: string,
    private readonly maxFileBytes = defaultMaxFileBytes
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const text = spans.map((span) => `${JSON.stringify(spanRecord(span))}\n`).join('');
    this.#writing = this.#writing
      .then(() => this.#append(text))
      .then(
        () => done({ code: ExportResultCode.SUCCESS }),
        (error: Error) => done({ code: ExportResultCode.FAILED, error })
      );
  }

  forceFlush(): Promise<void> {
    return this.#writing;
  }

  shutdown(): Promise<void> {
    return this.#writing;
  }

  async #append(text: string): Promise<void> {
    if (this.#bytes === undefined) {
      await mkdir(path.dirname(this.file), { recursive: true });
      this.#bytes = await stat(this.file).then(
        (s) => s.size,
        () => 0
      );
    }
    if (this.#bytes > this.maxFileBytes) {
      await rename(this.file, previousFile(this.file)).catch(() => undefined);
      this.#bytes = 0;
    }
    await appendFile(this.file, text);
    this.#bytes += Buffer.byteLength(text);
  }
}

/** The file a full span file is moved to. */
function previousFile(file: string): string {
  return file.replace(/\.jsonl$/, '') + '.1.jsonl';
}

const kindNames: Record<SpanKind, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const statusNames: Record<SpanStatusCode, RecordedSpan['status']['code']> = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
};

/** A finished span as one line of the file. */
export function spanRecord(span: ReadableSpan): RecordedSpan {
  const { traceId, spanId } = span.spanContext();
  const parentSpanId = span.parentSpanContext?.spanId;
  return {
    traceId,
    spanId,
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    name: span.name,
    kind: kindNames[span.kind],
    start: isoOf(span.startTime),
    end: isoOf(span.endTime),
    durationMs: Math.round(hrTimeToMilliseconds(span.duration) * 1000) / 1000,
    status: {
      code: statusNames[span.status.code],
      ...(span.status.message ? { message: span.status.message } : {}),
    },
    attributes: { ...span.attributes },
  };
}

function isoOf(time: HrTime): string {
  return new Date(hrTimeToMilliseconds(time)).toISOString();
}

/** The spans of one trace in the span file (and the one moved aside before it), oldest first. */
export async function readTraceSpans(file: string, traceId: string): Promise<RecordedSpan[]> {
  const spans: RecordedSpan[] = [];
  const needle = `"traceId":"${traceId}"`;
  for (const name of [previousFile(file), file]) {
    const lines = createInterface({ input: createReadStream(name), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (!line.includes(needle)) continue;
        try {
          spans.push(JSON.parse(line) as RecordedSpan);
        } catch {
          // A line cut short by a crash mid-append: the rest of the file is still good.
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return spans.sort((a, b) => a.start.localeCompare(b.start));
}
