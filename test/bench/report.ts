/** Turns the measured figures into checks against the targets, a Markdown report and JSON. */
import os from 'os';
import type { HttpFigures, HttpLoadSettings } from './http-load';
import type { QueueFigures, QueueLoadSettings } from './queue-load';
import type { DurableFigures } from './durable-load';
import { durableMarkdown, formatDurableValue, formatRatio } from './durable-report';
import type { IntakeFigures } from './intake-load';
import type { PolicyEvalBenchResult } from './policy-eval';
import { intakeMarkdown, policyMarkdown } from './intake-report';

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
  os: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export interface Check {
  measure: string;
  host: number;
  baseline: number;
  baselineName: string;
  unit: string;
  ratio: number;
  /** Human-readable target, or undefined for figures reported for information. */
  target?: string;
  pass?: boolean;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  settings: {
    http: HttpLoadSettings;
    queue?: QueueLoadSettings & { batchSize: number; newBatchThreshold: number };
  };
  http: { bare: HttpFigures; hostPing: HttpFigures; hostHealth: HttpFigures };
  /** Absent when the HTTP stage ran alone (BENCH_ONLY=http). */
  queue?: { raw: QueueFigures; host: QueueFigures };
  checks: Check[];
  /** The durable stage (durable-load.ts); absent in results written before it existed. */
  durable?: DurableFigures;
  /** The intake and policy stages; absent in results written before they existed. */
  intake?: IntakeFigures;
  policy?: PolicyEvalBenchResult;
}

export function buildChecks(http: BenchResults['http'], queue: NonNullable<BenchResults['queue']>): Check[] {
  const queueRatio = queue.host.medianMsgsPerSec / queue.raw.medianMsgsPerSec;
  return [
    ...httpChecks(http),
    {
      measure: 'Queue trigger end to end (enqueued → handler → deleted), median of rounds',
      host: queue.host.medianMsgsPerSec,
      baseline: queue.raw.medianMsgsPerSec,
      baselineName: 'raw Azurite receive/delete loop',
      unit: 'msgs/s',
      ratio: queueRatio,
      target: '≥ 0.50×',
      pass: queueRatio >= 0.5,
    },
  ];
}

/** The HTTP stage's checks: the host's ping and /api/health against the bare Node server. */
export function httpChecks(http: BenchResults['http']): Check[] {
  const { bare, hostPing, hostHealth } = http;
  const vsBare = (
    measure: string,
    host: number,
    baseline: number,
    unit: string,
    extra: Partial<Check> = {}
  ): Check => ({
    measure,
    host,
    baseline,
    baselineName: 'bare Node http',
    unit,
    ratio: host / baseline,
    ...extra,
  });
  const p50Ratio = hostPing.p50Ms / bare.p50Ms;
  return [
    vsBare('HTTP GET /api/ping (bench app) — p50 latency', hostPing.p50Ms, bare.p50Ms, 'ms', {
      target: '≤ 2.00×',
      pass: p50Ratio <= 2,
    }),
    vsBare('HTTP GET /api/ping (bench app) — p99 latency', hostPing.p99Ms, bare.p99Ms, 'ms'),
    vsBare('HTTP GET /api/ping (bench app) — throughput', hostPing.reqPerSec, bare.reqPerSec, 'req/s'),
    vsBare(
      'HTTP GET /api/ping (bench app) — p50 latency, 1 connection (unloaded)',
      hostPing.unloaded.p50Ms,
      bare.unloaded.p50Ms,
      'ms'
    ),
    vsBare(
      'HTTP GET /api/ping (bench app) — server CPU per request',
      hostPing.serverCpuMsPerRequest,
      bare.serverCpuMsPerRequest,
      'ms'
    ),
    vsBare(
      'HTTP GET /api/health (real app, pings Azurite + Cosmos) — p50 latency',
      hostHealth.p50Ms,
      bare.p50Ms,
      'ms'
    ),
    vsBare('HTTP GET /api/health (real app) — p99 latency', hostHealth.p99Ms, bare.p99Ms, 'ms'),
    vsBare('HTTP GET /api/health (real app) — throughput', hostHealth.reqPerSec, bare.reqPerSec, 'req/s'),
  ];
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const num = (n: number, unit: string) =>
  formatDurableValue(n, unit) ?? (unit === 'ms' ? fmt(n, 3) : fmt(n, 0)); // durable units: durable-report.ts

export function toMarkdown(r: BenchResults): string {
  const m = r.machine;
  const h = r.settings.http;
  const lines: string[] = [];
  lines.push(`# Local host benchmark — ${r.date}`);
  lines.push('');
  lines.push(
    `Machine: ${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB RAM, ${m.os}, Node ${m.node}. ` +
      'Everything (load generator, host, baselines, Azurite, Cosmos server) on this one machine, loopback only.'
  );
  lines.push('');
  lines.push('| Measure | Host | Baseline (same run) | Host / baseline | Target | Result |');
  lines.push('|---|---:|---|---:|---|---|');
  for (const c of r.checks) {
    lines.push(
      `| ${c.measure} | ${num(c.host, c.unit)} ${c.unit} | ${c.baselineName}: ${num(c.baseline, c.unit)} ${c.unit} | ` +
        `${formatRatio(c.ratio, c.measure)}× | ${c.target ?? '—'} | ${c.pass === undefined ? 'info' : c.pass ? '**PASS**' : '**FAIL**'} |`
    );
  }
  lines.push('');
  lines.push(
    `HTTP: autocannon, ${h.connections} connections, pipelining 1, ${h.warmupSeconds} s warm-up (discarded) then ` +
      `${h.durationSeconds} s measured, each target in turn; latency percentiles from every 2xx response's own ` +
      'timing. With a fixed number of connections each waiting for its answer, latency under load is about ' +
      'connections ÷ throughput, so the p50 ratio mostly reflects CPU per request on this 2-core machine.'
  );
  lines.push('');
  lines.push(
    '| Target | Requests | req/s | p50 ms | p90 ms | p99 ms | mean ms | max ms | non-2xx | errors | ' +
      'server CPU ms/req | server core share | autocannon core share | 1-conn p50 ms | 1-conn p99 ms |'
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of [r.http.bare, r.http.hostPing, r.http.hostHealth]) {
    lines.push(
      `| ${f.target} | ${f.requests} | ${fmt(f.reqPerSec, 0)} | ${fmt(f.p50Ms, 3)} | ${fmt(f.p90Ms, 3)} | ` +
        `${fmt(f.p99Ms, 3)} | ${fmt(f.meanMs, 3)} | ${fmt(f.maxMs, 1)} | ${f.non2xx} | ${f.errors} | ` +
        `${fmt(f.serverCpuMsPerRequest, 3)} | ${fmt(f.serverCpuShare)} | ${fmt(f.generatorCpuShare)} | ` +
        `${fmt(f.unloaded.p50Ms, 3)} | ${fmt(f.unloaded.p99Ms, 3)} |`
    );
  }
  lines.push('');
  lines.push(
    'Server CPU is the server process only (/proc, 10 ms ticks); for /api/health, Azurite and the Cosmos ' +
      'server do work in their own processes too. The 1-connection columns come from a further ' +
      `${h.unloadedSeconds} s run with one connection after the measured one.`
  );
  const q = r.settings.queue;
  if (!r.queue || !q) return lines.join('\n');
  lines.push('');
  lines.push(
    `Queue: ${q.rounds} rounds of ${q.messages} base64 JSON messages on "bench-noop", enqueued before timing ` +
      `(${q.enqueueConcurrency} sends in flight; the host is paused with SIGSTOP meanwhile) after a ` +
      `${q.warmupMessages}-message warm-up. Both consumers fetch ${q.batchSize} per receive whenever ≤ ` +
      `${q.newBatchThreshold} are in flight; timed from the first message in hand to Azurite's (exact) message ` +
      `count reaching 0, polled every ${q.pollMs} ms.`
  );
  lines.push('');
  lines.push('| Consumer | Round | Messages | Drain ms | msgs/s | Pre-fill msgs/s |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const figures of [r.queue.raw, r.queue.host]) {
    figures.rounds.forEach((round, i) => {
      const exact = round.exactMsgsPerSec ? ` (to last delete ack: ${fmt(round.exactMsgsPerSec, 0)})` : '';
      lines.push(
        `| ${figures.consumer} | ${i + 1} | ${round.messages} | ${round.drainMs} | ${fmt(round.msgsPerSec, 0)}${exact} | ` +
          `${fmt(round.enqueuePerSec, 0)} |`
      );
    });
  }
  lines.push('');
  if (r.durable) lines.push(durableMarkdown(r.durable)); // durable stage: durable-report.ts
  if (r.intake) lines.push(intakeMarkdown(r.intake));
  if (r.policy) lines.push(policyMarkdown(r.policy));
  return lines.join('\n');
}
