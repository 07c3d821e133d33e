/** The inventory stage's checks against its targets and its Markdown (see inventory-load.ts). */
import type { InventoryFigures, LoopFigures } from './inventory-load';
import type { Check, Machine } from './report';

export const HOT_SKU_TARGET_RATIO = 0.25;
export const SPREAD_TARGET_RATIO = 0.5;

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const count = (n: number) => Math.round(n).toLocaleString('en-US');

function unexpected(f: LoopFigures): number {
  return Object.values(f.other).reduce((a, b) => a + b, 0) + f.errors;
}

export function inventoryChecks(d: InventoryFigures): Check[] {
  const raw = d.rawWrites;
  const rawName = `raw Cosmos point writes (upsert), ${raw.clients} writers`;
  return [
    {
      measure: `Reservations/s, one hot SKU, ${d.hot.clients} clients (oversold: ${d.hot.oversold}, other answers: ${unexpected(d.hot)})`,
      host: d.hot.okPerSec,
      baseline: raw.okPerSec,
      baselineName: rawName,
      unit: 'req/s',
      ratio: d.hot.okPerSec / raw.okPerSec,
      target: `≥ ${HOT_SKU_TARGET_RATIO}× raw, zero oversell`,
      pass:
        d.hot.okPerSec / raw.okPerSec >= HOT_SKU_TARGET_RATIO &&
        d.hot.oversold === 0 &&
        unexpected(d.hot) === 0,
    },
    {
      measure: `Reservations/s, ${d.settings.spreadSkus} SKUs spread, ${d.spread.clients} clients (oversold: ${d.spread.oversold}, other answers: ${unexpected(d.spread)})`,
      host: d.spread.okPerSec,
      baseline: raw.okPerSec,
      baselineName: rawName,
      unit: 'req/s',
      ratio: d.spread.okPerSec / raw.okPerSec,
      target: `≥ ${SPREAD_TARGET_RATIO}× raw, zero oversell`,
      pass:
        d.spread.okPerSec / raw.okPerSec >= SPREAD_TARGET_RATIO &&
        d.spread.oversold === 0 &&
        unexpected(d.spread) === 0,
    },
    {
      measure: `Exhaustion: units reserved by ${d.settings.clients} clients racing for ${d.exhaust.units} (softReserved ${d.exhaust.softReserved}, ${d.exhaust.refused} refused with 409)`,
      host: d.exhaust.reserved,
      baseline: d.exhaust.units,
      baselineName: 'units available',
      unit: 'units',
      ratio: d.exhaust.reserved / d.exhaust.units,
      target: 'exactly all, no more',
      pass: d.exhaust.reserved === d.exhaust.units && d.exhaust.softReserved === d.exhaust.units,
    },
    {
      measure: `Query p99, ${d.settings.querySkus} SKUs × ${d.settings.sources} sources (${d.query.rows} rows, ${d.query.items} items), 1 client`,
      host: d.query.p99Ms,
      baseline: raw.p99Ms,
      baselineName: `raw point write p99 at ${raw.clients} writers`,
      unit: 'ms',
      ratio: d.query.p99Ms / raw.p99Ms,
    },
    {
      measure: `Bulk change events applied/s (${d.bulk.clients} callers × ${d.settings.bulkEventsPerCall} per call)`,
      host: d.bulk.eventsPerSec,
      baseline: raw.okPerSec,
      baselineName: rawName,
      unit: 'events/s',
      ratio: d.bulk.eventsPerSec / raw.okPerSec,
    },
    {
      measure: `In process, hot row: group commit (one queue) vs optimistic ETag races (a queue per client), ${d.inProcess.groupCommit.clients} clients`,
      host: d.inProcess.groupCommit.okPerSec,
      baseline: d.inProcess.optimistic.okPerSec,
      baselineName: 'optimistic',
      unit: 'req/s',
      ratio: d.inProcess.groupCommit.okPerSec / d.inProcess.optimistic.okPerSec,
    },
  ];
}

function loopRow(f: LoopFigures): string {
  const other = Object.entries(f.other)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  return `| ${f.name} | ${f.clients} | ${fmt(f.seconds)} | ${count(f.ok)} | ${count(f.okPerSec)} | ${fmt(f.p50Ms)} | ${fmt(f.p99Ms)} | ${other || '—'}${f.errors ? `, errors ${f.errors}` : ''} |`;
}

export function inventoryMarkdown(d: InventoryFigures): string {
  return [
    '## Inventory',
    '',
    'Closed loops (a client sends its next request when the previous answer is in) over HTTP to the local host ' +
      'running the real app, except the raw baseline (@azure/cosmos upserts straight to the embedded server) and ' +
      'the in-process pair (reserveInventory called in the bench process against the same server).',
    '',
    '| Run | Clients | s | Expected answers | per s | p50 ms | p99 ms | Other answers |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...[d.rawWrites, d.query, d.hot, d.spread, d.bulk, d.inProcess.optimistic, d.inProcess.groupCommit].map(
      loopRow
    ),
    '',
    `Bulk: ${count(d.bulk.eventsApplied)} change events applied, ${count(d.bulk.eventsPerSec)} events/s. ` +
      `Hot SKU: softReserved grew by ${count(d.hot.softReserved)} for ${count(d.hot.ok)} answers 201 (oversold ${d.hot.oversold}). ` +
      `Spread: ${count(d.spread.softReserved)} for ${count(d.spread.ok)} (oversold ${d.spread.oversold}). ` +
      `Exhaustion: ${d.exhaust.reserved} of ${d.exhaust.units} reserved in ${fmt(d.exhaust.seconds)} s, softReserved ${d.exhaust.softReserved}. ` +
      `In process: softReserved − answered = ${d.inProcess.oversold}.`,
    '',
  ].join('\n');
}

/** The whole report of a `BENCH_ONLY=inventory` run. */
export function inventoryOnlyMarkdown(
  date: string,
  machine: Machine,
  checks: Check[],
  body: string,
  note: string
): string {
  const m = machine;
  const value = (n: number, unit: string) => (unit === 'ms' ? fmt(n, 1) : count(n));
  return [
    `# Local host benchmark, inventory stage only — ${date}`,
    '',
    `Machine: ${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB RAM, ${m.os}, Node ${m.node}. ` +
      'Everything (load generator, host, Azurite, Cosmos server) on this one machine, loopback only.' +
      (note ? ` ${note}` : ''),
    '',
    '| Measure | Host | Baseline (same run) | Host / baseline | Target | Result |',
    '|---|---:|---|---:|---|---|',
    ...checks.map(
      (c) =>
        `| ${c.measure} | ${value(c.host, c.unit)} ${c.unit} | ${c.baselineName}: ${value(c.baseline, c.unit)} ${c.unit} | ` +
        `${fmt(c.ratio, 2)}× | ${c.target ?? '—'} | ${c.pass === undefined ? 'info' : c.pass ? '**PASS**' : '**FAIL**'} |`
    ),
    '',
    body,
  ].join('\n');
}
