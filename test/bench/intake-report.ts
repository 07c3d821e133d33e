/** The intake and policy stages' checks against their targets and Markdown sections (see intake-load.ts). */
import type { IntakeFigures, PacedFigures } from './intake-load';
import type { PolicyEvalBenchResult } from './policy-eval';
import type { Check, Machine } from './report';

export const INTAKE_P99_TARGET_MS = 50;
/** p99 to the 202 at most this many times /api/health's p99 in the same run. */
export const INTAKE_P99_HEALTH_RATIO_TARGET = 2;

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const share = (n: number) => fmt(n, 2);
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Non-202 answers plus network errors/timeouts. */
export function failedRequests(f: PacedFigures): number {
  return Object.values(f.unexpected).reduce((a, b) => a + b, 0) + f.errors;
}

export function intakeChecks(d: IntakeFigures): Check[] {
  const { intake: i, health: h, verification: v, settings: s } = d;
  const healthName = `GET /api/health (real app), ${s.rate}/s`;
  const failed = failedRequests(i);
  return [
    {
      measure: `Direct intake POST /api/v1/orders at ${s.rate}/s for ${s.seconds} s — p50 time to 202`,
      host: i.p50Ms,
      baseline: h.p50Ms,
      baselineName: healthName,
      unit: 'ms',
      ratio: i.p50Ms / h.p50Ms,
    },
    {
      measure: `Direct intake POST /api/v1/orders at ${s.rate}/s — p99 time to 202`,
      host: i.p99Ms,
      baseline: h.p99Ms,
      baselineName: healthName,
      unit: 'ms',
      ratio: i.p99Ms / h.p99Ms,
      target: `< ${INTAKE_P99_TARGET_MS} ms`,
      pass: i.p99Ms < INTAKE_P99_TARGET_MS,
    },
    {
      measure: `Direct intake POST /api/v1/orders at ${s.rate}/s — p99 time to 202 against /api/health's p99`,
      host: i.p99Ms,
      baseline: h.p99Ms,
      baselineName: healthName,
      unit: 'ms',
      ratio: i.p99Ms / h.p99Ms,
      target: `≤ ${INTAKE_P99_HEALTH_RATIO_TARGET}× health p99`,
      pass: i.p99Ms <= INTAKE_P99_HEALTH_RATIO_TARGET * h.p99Ms,
    },
    {
      measure: `Direct intake POST /api/v1/orders — accepted/s sustained (${failed} non-202 or failed)`,
      host: i.okPerSec,
      baseline: h.okPerSec,
      baselineName: healthName,
      unit: 'req/s',
      ratio: i.okPerSec / h.okPerSec,
      target: 'no errors',
      pass: failed === 0 && i.ok === i.sent,
    },
    {
      measure:
        `Direct intake — accepted orders created by the queue trigger ` +
        `(${v.timedOut ? `drain timed out at ${fmt(v.drainMs / 1000)} s` : `last seen ${fmt(v.drainMs / 1000)} s after the load`})`,
      host: v.created,
      baseline: v.accepted,
      baselineName: 'orders accepted (202)',
      unit: 'orders',
      ratio: v.created / v.accepted,
      target: 'every accepted order',
      pass: v.accepted > 0 && v.created === v.accepted && v.errors === 0,
    },
    ...(d.withoutDurability
      ? [
          {
            measure: `Direct intake at ${s.rate}/s on services without durability — p99 time to 202`,
            host: d.withoutDurability.intake.p99Ms,
            baseline: i.p99Ms,
            baselineName: 'with durability (the default), same run',
            unit: 'ms',
            ratio: d.withoutDurability.intake.p99Ms / i.p99Ms,
          },
          {
            measure: 'Direct intake on services without durability — accepted orders created',
            host: d.withoutDurability.verification.created,
            baseline: d.withoutDurability.verification.accepted,
            baselineName: 'orders accepted (202)',
            unit: 'orders',
            ratio: d.withoutDurability.verification.created / d.withoutDurability.verification.accepted,
          },
        ]
      : []),
  ];
}

export function policyChecks(p: PolicyEvalBenchResult): Check[] {
  return [
    {
      measure: `Policy evaluation, ${p.conditions} conditions over a ${p.lines}-line order — compiled rules/s`,
      host: p.rulesPerSecond,
      baseline: p.baselineRulesPerSecond,
      baselineName: 'uncompiled reference evaluator',
      unit: 'rules/s',
      ratio: p.speedup,
      target: `> ${count(p.target)} rules/s`,
      pass: p.meetsTarget,
    },
  ];
}

export function pacedRow(f: PacedFigures): string {
  const unexpected =
    Object.entries(f.unexpected)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ') || '0';
  return (
    `| ${f.target} | ${f.offeredRate} | ${f.sent} | ${f.ok} | ${fmt(f.okPerSec)} | ${fmt(f.p50Ms, 2)} | ` +
    `${fmt(f.p90Ms, 2)} | ${fmt(f.p99Ms, 2)} | ${fmt(f.meanMs, 2)} | ${fmt(f.maxMs)} | ${unexpected} | ` +
    `${f.errors}${describeKinds(f.errorKinds)} | ${f.maxInFlight} | ${fmt(f.lagMs.p99, 2)} / ${fmt(f.lagMs.max, 2)} | ${share(f.cpu.host)} | ` +
    `${share(f.cpu.azurite)} | ${share(f.cpu.generator)} |`
  );
}

/** The intake section appended to the local-host report (and the body of the intake-only one). */
export function intakeMarkdown(d: IntakeFigures): string {
  const { settings: s, verification: v } = d;
  return [
    '## Direct intake (POST /api/v1/orders, real app)',
    '',
    `Open loop at a constant ${s.rate} requests/s (request i issued at start + i / rate, whatever the ` +
      `answers before it; node:http keep-alive agent, ≤ ${s.maxSockets} sockets): first GET /api/health for ` +
      `${s.seconds} s, then a ${s.warmupSeconds} s intake warm-up (discarded), then ${s.seconds} s of ` +
      'POST /api/v1/orders, each a distinct order (unique externalId, no Idempotency-Key, one line). ' +
      'Latency is request issued → answer read in full, of the 200/202 answers. ' +
      (s.journeys
        ? 'The default journeys are published: each created order starts its journey during the run.'
        : 'No journey is published (BENCH_INTAKE_JOURNEYS=1 publishes the default ones): the queue ' +
          'consumer only creates the orders.'),
    '',
    '| Target | Offered req/s | Sent | 200/202 | per s | p50 ms | p90 ms | p99 ms | mean ms | max ms | ' +
      'other status | errors | max in flight | schedule lag p99 / max ms | host core share | ' +
      'Azurite core share | generator core share |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|',
    pacedRow(d.health),
    pacedRow(d.intake),
    ...(d.withoutDurability
      ? [pacedRow({ ...d.withoutDurability.intake, target: `${d.intake.target}, without durability` })]
      : []),
    '',
    ...(d.withoutDurability
      ? [
          'Without durability: the same intake (after its own warm-up) on a second Azurite, Cosmos server ' +
            'and host started with FUNCTIONS_HOST_DURABILITY=none — Azurite without its write-ahead journal ' +
            '(its metadata saved every 5 s, as it ships), the task hub journal without fsync.',
          '',
        ]
      : []),
    `Creation check: after the load, every accepted order's statusUrl is polled (${s.verifyConcurrency} GETs ` +
      `in flight; every ${s.verifyPollMs} ms a pass over the missing ones in acceptance order, stopped after ` +
      `${s.verifyConcurrency * 2} answers of 404 so as not to slow the queue trigger; up to ` +
      `${s.drainTimeoutMs / 1000} s, then one full pass) until it answers 200 with the externalId sent.`,
    '',
    '| Accepted | Created | Missing | Flagged duplicate | Check errors | Drain s (load end → last seen) | Timed out |',
    '|---:|---:|---:|---:|---:|---:|---|',
    `| ${v.accepted} | ${v.created} | ${v.missing} | ${v.duplicates} | ${v.errors} | ${fmt(v.drainMs / 1000, 2)} | ` +
      `${v.timedOut ? 'yes' : 'no'} |`,
    '',
  ].join('\n');
}

export function policyMarkdown(p: PolicyEvalBenchResult): string {
  const rows: [string, number, number][] = [
    ['compiled, verdict only (`test`)', p.rulesPerSecond, p.best.rulesPerSecond],
    ['compiled, with explanation (`evaluate`)', p.explainedRulesPerSecond, p.best.explainedRulesPerSecond],
    ['baseline: uncompiled reference evaluator', p.baselineRulesPerSecond, p.best.baselineRulesPerSecond],
    ['hand-written JS predicate', p.handWrittenRulesPerSecond, p.best.handWrittenRulesPerSecond],
  ];
  return [
    '## Policy evaluation (test/bench/policy-eval.ts)',
    '',
    `${p.conditions} conditions over a ${p.lines}-line order (${p.checksPerEvaluation} element-level checks ` +
      `per evaluation), in this process; the cases interleaved in 8 slices, ${p.durationMsPerCase} ms per case ` +
      'in all; median (and best) slice.',
    '',
    '| Case | rules/s (median) | rules/s (best) |',
    '|---|---:|---:|',
    ...rows.map(([name, median, best]) => `| ${name} | ${count(median)} | ${count(best)} |`),
    '',
    `Compiled over baseline: ${fmt(p.speedup, 1)}×; target > ${count(p.target)} rules/s: ` +
      `${p.meetsTarget ? 'met' : 'missed'}.`,
    '',
  ].join('\n');
}

/** The whole report of a `BENCH_ONLY=intake` or `BENCH_ONLY=policy` run. */
export function stageOnlyMarkdown(
  stage: string,
  date: string,
  machine: Machine,
  checks: Check[],
  body: string
): string {
  const m = machine;
  const value = (n: number, unit: string) => (unit === 'ms' ? fmt(n, 3) : fmt(n, 0));
  return [
    `# Local host benchmark, ${stage} stage only — ${date}`,
    '',
    `Machine: ${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB RAM, ${m.os}, Node ${m.node}. ` +
      'Everything (load generator, host, Azurite, Cosmos server) on this one machine, loopback only.',
    '',
    '| Measure | Host | Baseline (same run) | Host / baseline | Target | Result |',
    '|---|---:|---|---:|---|---|',
    ...checks.map(
      (c) =>
        `| ${c.measure} | ${value(c.host, c.unit)} ${c.unit} | ${c.baselineName}: ${value(c.baseline, c.unit)} ` +
        `${c.unit} | ${fmt(c.ratio, 2)}× | ${c.target ?? '—'} | ` +
        `${c.pass === undefined ? 'info' : c.pass ? '**PASS**' : '**FAIL**'} |`
    ),
    '',
    body,
  ].join('\n');
}

/** ` (ECONNRESET: 1)`, or nothing when there were no errors. */
function describeKinds(kinds: Record<string, number> | undefined): string {
  const entries = Object.entries(kinds ?? {});
  return entries.length === 0 ? '' : ` (${entries.map(([kind, n]) => `${kind}: ${n}`).join(', ')})`;
}
