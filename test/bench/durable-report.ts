/** The durable stage's checks against its targets and its Markdown section (see durable-load.ts). */
import type { DurableFigures, FanOutFigures, SequenceFigures, VariantFigures } from './durable-load';
import type { Check, Machine } from './report';

/** Rates of the durable stage get one decimal; undefined for every other unit (report.ts decides). */
export function formatDurableValue(n: number, unit: string): string | undefined {
  if (unit !== 'orch/s' && unit !== 'activities/s') return undefined;
  return Number.isFinite(n) ? n.toFixed(1) : String(n);
}

/**
 * As report.ts always did (2 decimals), except that the durable checks' ratios below 0.01 keep 2
 * significant digits, so that the other stages' rows stay exactly as they were.
 */
export function formatRatio(ratio: number, measure: string): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  if (!isDurableMeasure(measure)) return ratio.toFixed(2);
  return ratio === 0 || Math.abs(ratio) >= 0.01 ? ratio.toFixed(2) : ratio.toPrecision(2);
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

export const isDurableMeasure = (measure: string) => measure.startsWith('Durable ');

export const SEQUENCE_TARGET_PER_SEC = 50;
export const FANOUT_TARGET_MS = 2_000;

export function durableChecks(d: DurableFigures): Check[] {
  const { sequence: s, fanOut: f, baseline: b } = d;
  const direct = 'direct in-process loop of the same handlers';
  return [
    {
      measure:
        `Durable HelloSequence5 — orchestrations completed/s, ${s.windowSeconds} s sustained ` +
        `(${s.inFlight} in flight)`,
      host: s.orchestrationsPerSec,
      baseline: b.orchestrationsPerSec,
      baselineName: `${direct} (5 awaited calls each)`,
      unit: 'orch/s',
      ratio: s.orchestrationsPerSec / b.orchestrationsPerSec,
      target: `≥ ${SEQUENCE_TARGET_PER_SEC} orch/s`,
      pass: s.orchestrationsPerSec >= SEQUENCE_TARGET_PER_SEC && s.failed === 0,
    },
    {
      measure: 'Durable HelloSequence5 — p50 latency, created → Completed',
      host: s.latencyMs.p50,
      baseline: b.perSequenceMs,
      baselineName: direct,
      unit: 'ms',
      ratio: s.latencyMs.p50 / b.perSequenceMs,
    },
    {
      measure: `Durable fan-out/fan-in of ${f.count} (Task.all) — start request → Completed`,
      host: f.ms,
      baseline: b.fanOutMs,
      baselineName: `${direct} (Promise.all)`,
      unit: 'ms',
      ratio: f.ms / b.fanOutMs,
      target: `≤ ${FANOUT_TARGET_MS} ms`,
      pass: f.completed && f.outputOk && f.ms <= FANOUT_TARGET_MS,
    },
    {
      measure: `Durable fan-out/fan-in of ${f.count} — activities/s`,
      host: f.activitiesPerSec,
      baseline: b.fanOutActivitiesPerSec,
      baselineName: direct,
      unit: 'activities/s',
      ratio: f.activitiesPerSec / b.fanOutActivitiesPerSec,
    },
    ...d.others.flatMap((o) => [
      {
        measure: `Durable HelloSequence5 on the ${o.variant.name} — orchestrations completed/s`,
        host: o.sequence.orchestrationsPerSec,
        baseline: s.orchestrationsPerSec,
        baselineName: 'the journaled store, same run',
        unit: 'orch/s',
        ratio: o.sequence.orchestrationsPerSec / s.orchestrationsPerSec,
      },
      {
        measure: `Durable fan-out/fan-in of ${o.fanOut.count} on the ${o.variant.name} — start request → Completed`,
        host: o.fanOut.ms,
        baseline: f.ms,
        baselineName: 'the journaled store, same run',
        unit: 'ms',
        ratio: o.fanOut.ms / f.ms,
      },
    ]),
  ];
}

/** The summary table, as report.ts renders it (same columns). */
function checksTable(checks: Check[]): string[] {
  const value = (n: number, unit: string) =>
    formatDurableValue(n, unit) ?? (unit === 'ms' ? fmt(n, 3) : fmt(n, 0));
  return [
    '| Measure | Host | Baseline (same run) | Host / baseline | Target | Result |',
    '|---|---:|---|---:|---|---|',
    ...checks.map(
      (c) =>
        `| ${c.measure} | ${value(c.host, c.unit)} ${c.unit} | ${c.baselineName}: ${value(c.baseline, c.unit)} ` +
        `${c.unit} | ${formatRatio(c.ratio, c.measure)}× | ${c.target ?? '—'} | ` +
        `${c.pass === undefined ? 'info' : c.pass ? '**PASS**' : '**FAIL**'} |`
    ),
  ];
}

const share = (n: number) => fmt(n, 2);

/** The durable section appended to the local-host report (and the body of the durable-only one). */
export function durableMarkdown(d: DurableFigures): string {
  const { settings: st, hostSettings: hs, sequence: s, fanOut: f, baseline: b } = d;
  const variants: { name: string; sequence: SequenceFigures; fanOut: FanOutFigures }[] = [
    { name: 'journaled store (default)', sequence: s, fanOut: f },
    ...d.others.map((o: VariantFigures) => ({ name: o.variant.name, ...o })),
  ];
  const lines: string[] = [];
  lines.push('## Durable Functions engine (infra/local/durable)');
  lines.push('');
  lines.push(
    `App: test/fixtures/durable-bench-app, hub "${hs.hubName}", maxConcurrentActivityFunctions ` +
      `${hs.maxConcurrentActivityFunctions}, maxConcurrentOrchestratorFunctions ` +
      `${hs.maxConcurrentOrchestratorFunctions}, maxQueuePollingInterval ${hs.maxQueuePollingInterval}. ` +
      'Driven through the Durable HTTP API with the function key. Each task hub store runs in a host of ' +
      'its own, one after the other: the journaled store (in process, write-ahead journal fsynced per ' +
      'group commit; the default), the same without fsync (the price of durability), and the Azure ' +
      'Storage layout on Azurite (tables and queues, as the Azure Storage backend keeps them).'
  );
  lines.push('');
  lines.push(
    `HelloSequence5 (an orchestrator awaiting a trivial SayHello activity 5 times): a closed loop keeps ` +
      `${s.inFlight} instances in flight (the load generator lists the Pending/Running ones every ` +
      `${st.pollMs} ms and starts one for each that finished), ${st.sequenceWarmupSeconds} s warm-up, then ` +
      `${s.windowSeconds} s measured. Counted exactly afterwards: the instances (list API, ` +
      `runtimeStatus=Completed) whose lastUpdatedTime — the time of the episode that completed them — ` +
      'falls in the window, whenever they were started.'
  );
  lines.push('');
  lines.push(
    '| Store | Window s | In flight | Started in window | Completed in window | orch/s | activities/s | ' +
      'p50 ms | p90 ms | p99 ms | max ms | start POST p50 / p99 ms | failed | unfinished | ' +
      'host core share | Azurite core share | generator core share |'
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|');
  for (const { name, sequence: v } of variants)
    lines.push(
      `| ${name} | ${v.windowSeconds} | ${v.inFlight} | ${v.started} | ${v.completed} | ` +
        `${fmt(v.orchestrationsPerSec)} | ${fmt(v.activitiesPerSec)} | ${fmt(v.latencyMs.p50, 0)} | ` +
        `${fmt(v.latencyMs.p90, 0)} | ${fmt(v.latencyMs.p99, 0)} | ${fmt(v.latencyMs.max, 0)} | ` +
        `${fmt(v.startRequestMs.p50)} / ${fmt(v.startRequestMs.p99)} | ${v.failed} | ${v.unfinished} | ` +
        `${share(v.cpu.host)} | ${share(v.cpu.azurite)} | ${share(v.cpu.generator)} |`
    );
  lines.push('');
  lines.push(
    `Fan-out/fan-in: one FanOutFanIn orchestration calling a trivial Square activity ${f.count} times ` +
      `(Task.all) and summing the results, after a ${st.fanOutWarmupCount}-activity warm-up run ` +
      `(${fmt(f.warmupMs, 0)} ms); timed from the start request to the first status poll (every ` +
      `${st.fanOutPollMs} ms) answering 200 Completed.`
  );
  lines.push('');
  lines.push(
    '| Store | Activities | Completed | Output correct | Client ms | Host ms (created → completed) | activities/s | ' +
      'host core share | Azurite core share |'
  );
  lines.push('|---|---:|---|---|---:|---:|---:|---:|---:|');
  for (const { name, fanOut: v } of variants)
    lines.push(
      `| ${name} | ${v.count} | ${v.completed ? 'yes' : 'no (timed out)'} | ${v.outputOk ? 'yes' : 'no'} | ` +
        `${fmt(v.ms, 0)} | ${fmt(v.hostMs, 0)} | ${fmt(v.activitiesPerSec)} | ${share(v.cpu.host)} | ` +
        `${share(v.cpu.azurite)} |`
    );
  lines.push('');
  lines.push(
    `Baseline, in this process: the same handler functions (test/fixtures/durable-bench-app/activities.ts), ` +
      `${b.sequenceCalls} calls awaited one by one as ${b.sequenceOrchestrations} sequences of 5 ` +
      `(${fmt(b.sequenceMs, 3)} ms), and ${b.fanOutCalls} calls under one Promise.all ` +
      `(${fmt(b.fanOutMs, 3)} ms); median of ${st.baselineRepeats} repeats. It has no durability at all, so ` +
      'the ratio is the price of the engine (queues, history, replay) per trivial activity.'
  );
  lines.push('');
  return lines.join('\n');
}

/** The whole report of a `BENCH_ONLY=durable` run. */
export function durableOnlyMarkdown(
  date: string,
  machine: Machine,
  checks: Check[],
  d: DurableFigures
): string {
  const m = machine;
  return [
    `# Local host benchmark, durable stage only — ${date}`,
    '',
    `Machine: ${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB RAM, ${m.os}, Node ${m.node}. ` +
      'Everything (load generator, host, baselines, Azurite, Cosmos server) on this one machine, loopback only.',
    '',
    ...checksTable(checks),
    '',
    durableMarkdown(d),
  ].join('\n');
}
