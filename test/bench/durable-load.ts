/**
 * The durable stage of `npm run bench`: the local host's Durable Task engine (infra/local/durable)
 * running test/fixtures/durable-bench-app, driven through the Durable HTTP API, against the same
 * activity handlers called directly in-process in the same run.
 *
 *  - HelloSequence5: a closed loop keeps `inFlight` instances running (a new one is started as soon as
 *    one is seen finished), a warm-up, then a measured window. Completions in the window are counted
 *    exactly afterwards from the instances' own `lastUpdatedTime` (list API, runtimeStatus=Completed).
 *  - Fan-out: one FanOutFanIn orchestration of `fanOutCount` activities (Task.all), timed from the start
 *    request to the first status poll answering 200 Completed (and, host side, createdTime →
 *    lastUpdatedTime).
 *
 * Both measured once per task hub store (durableVariants: the journaled store, the same without
 * fsync, the Azure Storage layout on Azurite), one host each, in the same run.
 *
 * Knobs (env): BENCH_DURABLE_VARIANTS (journal,journal-none,azure-storage: the first is always run),
 * BENCH_DURABLE_SECONDS (60), BENCH_DURABLE_WARMUP_SECONDS (10), BENCH_DURABLE_IN_FLIGHT
 * (32), BENCH_DURABLE_POLL_MS (100), BENCH_DURABLE_FANOUT (1000), BENCH_DURABLE_MAX_ACTIVITIES / BENCH_DURABLE_MAX_ORCHESTRATIONS
 * (override the fixture host.json's maxConcurrent* through a copy in the data dir).
 */
import { randomBytes } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { performance } from 'perf_hooks';
import type { EmbeddedServices } from '@openiom/local-functions-host';
import { sayHello, sequenceCities, square } from '../fixtures/durable-bench-app/activities';
import { durableChecks, durableOnlyMarkdown } from './durable-report';
import { describeMachine } from './report';
import { type Child, distRoot, envNumber, median, percentile, repoRoot, sleep, startChild } from './support';

export interface DurableLoadSettings {
  sequenceSeconds: number;
  sequenceWarmupSeconds: number;
  /** HelloSequence5 instances kept running at once. */
  inFlight: number;
  /** How often the load generator lists the running instances to start new ones. */
  pollMs: number;
  /** Bound on waiting for the instances still running at the end of the window. */
  drainTimeoutMs: number;
  fanOutCount: number;
  fanOutWarmupCount: number;
  fanOutTimeoutMs: number;
  fanOutPollMs: number;
  /** Repeats of the in-process baseline loops (the median is reported). */
  baselineRepeats: number;
}

/** The fixture host.json's durableTask settings as run. */
export interface DurableHostSettings {
  hubName: string;
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
  maxQueuePollingInterval: string;
}

export interface CpuShares {
  /** Share of one core (1 = one core busy for the whole interval); Linux /proc, NaN elsewhere. */
  host: number;
  azurite: number;
  generator: number;
}

export interface SequenceFigures {
  windowSeconds: number;
  inFlight: number;
  /** Instances started during the window (any may finish after it). */
  started: number;
  /** Instances whose Completed write is inside the window: the measured figure. */
  completed: number;
  /** Instances of the whole run (warm-up included) that ended Failed or Terminated. */
  failed: number;
  /** Instances still not finished when the drain wait ended. */
  unfinished: number;
  orchestrationsPerSec: number;
  activitiesPerSec: number;
  /** createdTime → lastUpdatedTime of the instances completed in the window, host clock. */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** The start request (POST → 202) as the load generator saw it. */
  startRequestMs: { p50: number; p99: number };
  cpu: CpuShares;
}

export interface FanOutFigures {
  count: number;
  completed: boolean;
  /** Client side: start request sent → status poll answering Completed (poll every fanOutPollMs). */
  ms: number;
  /** Host side: the instance's createdTime → lastUpdatedTime. */
  hostMs: number;
  activitiesPerSec: number;
  outputOk: boolean;
  warmupMs: number;
  cpu: CpuShares;
}

export interface DurableBaseline {
  sequenceOrchestrations: number;
  sequenceCalls: number;
  sequenceMs: number;
  orchestrationsPerSec: number;
  /** One five-call sequence, ms. */
  perSequenceMs: number;
  fanOutCalls: number;
  fanOutMs: number;
  fanOutActivitiesPerSec: number;
}

/** How the host kept its task hub for one measurement. */
export interface DurableVariant {
  name: string;
  /** FUNCTIONS_HOST_DURABLE_STORE */
  store: 'journal' | 'azure-storage';
  /** FUNCTIONS_HOST_DURABILITY: `none` turns off fsync of the journal (and Azurite's journal). */
  durability: 'full' | 'none';
}

export interface VariantFigures {
  variant: DurableVariant;
  sequence: SequenceFigures;
  fanOut: FanOutFigures;
}

export interface DurableFigures {
  settings: DurableLoadSettings;
  hostSettings: DurableHostSettings;
  /** The default variant's (the journaled store, durable): what the targets are checked on. */
  sequence: SequenceFigures;
  fanOut: FanOutFigures;
  /** The same measurements with the task hub kept otherwise, in the same run. */
  others: VariantFigures[];
  baseline: DurableBaseline;
}

/** The default first; BENCH_DURABLE_VARIANTS (names, comma-separated) picks some. */
export const durableVariants: DurableVariant[] = [
  { name: 'journaled store', store: 'journal', durability: 'full' },
  { name: 'journaled store, no fsync', store: 'journal', durability: 'none' },
  { name: 'Azure Storage store on Azurite', store: 'azure-storage', durability: 'full' },
];

function variantsFromEnv(): DurableVariant[] {
  const wanted = process.env.BENCH_DURABLE_VARIANTS?.split(',').map((name) => name.trim());
  if (!wanted) return durableVariants;
  const picked = durableVariants.filter((v) =>
    wanted.includes(v.store + (v.durability === 'none' ? '-none' : ''))
  );
  if (picked[0] !== durableVariants[0]) picked.unshift(durableVariants[0]!);
  return picked;
}

export function durableSettingsFromEnv(): DurableLoadSettings {
  return {
    sequenceSeconds: envNumber('BENCH_DURABLE_SECONDS', 60),
    sequenceWarmupSeconds: envNumber('BENCH_DURABLE_WARMUP_SECONDS', 10),
    inFlight: envNumber('BENCH_DURABLE_IN_FLIGHT', 32),
    pollMs: envNumber('BENCH_DURABLE_POLL_MS', 100),
    drainTimeoutMs: 120_000,
    fanOutCount: envNumber('BENCH_DURABLE_FANOUT', 1000),
    fanOutWarmupCount: 100,
    fanOutTimeoutMs: 180_000,
    fanOutPollMs: 50,
    baselineRepeats: 5,
  };
}

const fixtureDir = path.join(repoRoot, 'test', 'fixtures', 'durable-bench-app');

/** The fixture's host.json, or a copy in `dataDir` with the BENCH_DURABLE_MAX_* overrides. */
function hostJsonFor(dataDir: string): { file: string; settings: DurableHostSettings } {
  const file = path.join(fixtureDir, 'host.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    extensions: { durableTask: Record<string, unknown> & { storageProvider: Record<string, unknown> } };
  };
  const durable = json.extensions.durableTask;
  const activities = Number(process.env.BENCH_DURABLE_MAX_ACTIVITIES);
  const orchestrations = Number(process.env.BENCH_DURABLE_MAX_ORCHESTRATIONS);
  let out = file;
  if (activities > 0 || orchestrations > 0) {
    if (activities > 0) durable.maxConcurrentActivityFunctions = activities;
    if (orchestrations > 0) durable.maxConcurrentOrchestratorFunctions = orchestrations;
    out = path.join(dataDir, 'durable-bench-host.json');
    writeFileSync(out, JSON.stringify(json, null, 2));
  }
  return {
    file: out,
    settings: {
      hubName: String(durable.hubName),
      maxConcurrentActivityFunctions: Number(durable.maxConcurrentActivityFunctions),
      maxConcurrentOrchestratorFunctions: Number(durable.maxConcurrentOrchestratorFunctions),
      maxQueuePollingInterval: String(durable.storageProvider.maxQueuePollingInterval),
    },
  };
}

const ticksPerSecond = 100; // USER_HZ on Linux

/** utime + stime of a process in ms, from /proc/<pid>/stat; NaN when unavailable. */
function processCpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/** CPU shares of the host, Azurite and this process between `start()` and `stop()`. */
function cpuMeter(hostPid: number | undefined, azuritePid: number | undefined) {
  const host0 = processCpuMs(hostPid);
  const azurite0 = processCpuMs(azuritePid);
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  return (): CpuShares => {
    const wallMs = performance.now() - t0;
    const self = process.cpuUsage(self0);
    return {
      host: (processCpuMs(hostPid) - host0) / wallMs,
      azurite: (processCpuMs(azuritePid) - azurite0) / wallMs,
      generator: (self.user + self.system) / 1000 / wallMs,
    };
  };
}

interface StatusBody {
  instanceId: string;
  runtimeStatus: string;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

/** The Durable HTTP API of one host (function key in `code`). */
class DurableApi {
  readonly #base: string;
  readonly #code: string;

  constructor(hostUrl: string, key: string) {
    this.#base = `${hostUrl}/runtime/webhooks/durabletask`;
    this.#code = `code=${encodeURIComponent(key)}`;
  }

  async start(name: string, instanceId: string, input?: unknown): Promise<void> {
    const res = await fetch(
      `${this.#base}/orchestrators/${name}/${encodeURIComponent(instanceId)}?${this.#code}`,
      { method: 'POST', body: input === undefined ? undefined : JSON.stringify(input) }
    );
    const text = await res.text();
    if (res.status !== 202) throw new Error(`start ${name}/${instanceId}: ${res.status} ${text}`);
  }

  async status(instanceId: string): Promise<{ httpStatus: number; body: StatusBody }> {
    const res = await fetch(`${this.#base}/instances/${encodeURIComponent(instanceId)}?${this.#code}`);
    return { httpStatus: res.status, body: (await res.json()) as StatusBody };
  }

  /** Every instance with one of `statuses` and the id prefix, following continuation tokens. */
  async list(statuses: string[], prefix: string): Promise<StatusBody[]> {
    const all: StatusBody[] = [];
    let token: string | undefined;
    do {
      const res = await fetch(
        `${this.#base}/instances?runtimeStatus=${statuses.join(',')}` +
          `&instanceIdPrefix=${encodeURIComponent(prefix)}&top=1000&${this.#code}`,
        { headers: token ? { 'x-ms-continuation-token': token } : {} }
      );
      if (res.status !== 200)
        throw new Error(`list ${statuses.join(',')}: ${res.status} ${await res.text()}`);
      all.push(...((await res.json()) as StatusBody[]));
      token = res.headers.get('x-ms-continuation-token') ?? undefined;
    } while (token);
    return all;
  }
}

/** Closed loop: keeps `inFlight` HelloSequence5 instances running through warm-up and window. */
async function measureSequence(
  api: DurableApi,
  settings: DurableLoadSettings,
  pids: { host?: number; azurite?: number },
  log: (line: string) => void
): Promise<SequenceFigures> {
  const prefix = `seq-${randomBytes(3).toString('hex')}-`;
  let next = 0;
  const running = new Set<string>();
  const startMs: number[] = [];
  let starting = 0;
  const begin = Date.now();
  const t0 = begin + settings.sequenceWarmupSeconds * 1000;
  const t1 = t0 + settings.sequenceSeconds * 1000;
  let startedInWindow = 0;
  let meter: (() => CpuShares) | undefined;
  let cpu: CpuShares | undefined;

  const startOne = async () => {
    const id = `${prefix}${String(next++).padStart(7, '0')}`;
    starting++;
    const sent = performance.now();
    try {
      await api.start('HelloSequence5', id);
    } finally {
      starting--;
    }
    const now = Date.now();
    if (now >= t0 && now < t1) {
      startedInWindow++;
      startMs.push(performance.now() - sent);
    }
    running.add(id); // only once the record exists, so that the list below cannot miss it
  };

  let lastProgress = Date.now();
  while (Date.now() < t1 || running.size > 0) {
    const now = Date.now();
    if (!meter && now >= t0) meter = cpuMeter(pids.host, pids.azurite);
    if (meter && !cpu && now >= t1) cpu = meter();
    if (now < t1) {
      const free = settings.inFlight - running.size - starting;
      await Promise.all(Array.from({ length: Math.max(0, free) }, () => startOne()));
    } else if (now - t1 > settings.drainTimeoutMs) {
      log(`HelloSequence5: ${running.size} instances still running after the drain wait`);
      break;
    }
    await sleep(settings.pollMs);
    const active = new Set((await api.list(['Pending', 'Running'], prefix)).map((s) => s.instanceId));
    const before = running.size;
    for (const id of running) if (!active.has(id)) running.delete(id);
    if (running.size < before) lastProgress = Date.now();
    else if (Date.now() - lastProgress > 30_000)
      throw new Error('HelloSequence5: no instance finished in 30 s');
  }
  cpu ??= meter?.() ?? { host: NaN, azurite: NaN, generator: NaN };
  const unfinished = running.size;

  const completed = (await api.list(['Completed'], prefix)).filter((s) => {
    const at = Date.parse(s.lastUpdatedTime);
    return at >= t0 && at < t1;
  });
  const failed = (await api.list(['Failed', 'Terminated'], prefix)).length;
  const latencies = completed
    .map((s) => Date.parse(s.lastUpdatedTime) - Date.parse(s.createdTime))
    .sort((a, b) => a - b);
  const starts = [...startMs].sort((a, b) => a - b);
  return {
    windowSeconds: settings.sequenceSeconds,
    inFlight: settings.inFlight,
    started: startedInWindow,
    completed: completed.length,
    failed,
    unfinished,
    orchestrationsPerSec: completed.length / settings.sequenceSeconds,
    activitiesPerSec: (completed.length * sequenceCities.length) / settings.sequenceSeconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? NaN,
    },
    startRequestMs: { p50: percentile(starts, 50), p99: percentile(starts, 99) },
    cpu,
  };
}

/** Starts one FanOutFanIn of `count` and polls its status until it is Completed (or fails). */
async function runFanOut(
  api: DurableApi,
  count: number,
  settings: DurableLoadSettings
): Promise<{ completed: boolean; ms: number; hostMs: number; outputOk: boolean }> {
  const id = `fan-${randomBytes(3).toString('hex')}-${count}`;
  const sent = performance.now();
  await api.start('FanOutFanIn', id, count);
  for (;;) {
    await sleep(settings.fanOutPollMs);
    const { httpStatus, body } = await api.status(id);
    const ms = performance.now() - sent;
    if (httpStatus === 200) {
      const expected = ((count - 1) * count * (2 * count - 1)) / 6; // Σ i², i < count
      return {
        completed: true,
        ms,
        hostMs: Date.parse(body.lastUpdatedTime) - Date.parse(body.createdTime),
        outputOk: body.output === expected,
      };
    }
    if (httpStatus !== 202) throw new Error(`FanOutFanIn ${id}: ${httpStatus} ${JSON.stringify(body)}`);
    if (ms > settings.fanOutTimeoutMs) return { completed: false, ms, hostMs: NaN, outputOk: false };
  }
}

/** The same activity handlers, awaited one by one (sequence) or all at once (fan-out), in-process. */
async function measureBaseline(
  orchestrations: number,
  fanOutCount: number,
  repeats: number
): Promise<DurableBaseline> {
  let sink = 0;
  const sequenceRuns: number[] = [];
  const fanOutRuns: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let t = performance.now();
    for (let i = 0; i < orchestrations; i++) {
      const results: string[] = [];
      for (const city of sequenceCities) results.push(await Promise.resolve(sayHello(city)));
      sink += results.length;
    }
    sequenceRuns.push(performance.now() - t);
    t = performance.now();
    const squares = await Promise.all(
      Array.from({ length: fanOutCount }, (_, i) => Promise.resolve(square(i)))
    );
    sink += squares.reduce((sum, n) => sum + n, 0);
    fanOutRuns.push(performance.now() - t);
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the loops observable
  const sequenceMs = median(sequenceRuns);
  const fanOutMs = median(fanOutRuns);
  return {
    sequenceOrchestrations: orchestrations,
    sequenceCalls: orchestrations * sequenceCities.length,
    sequenceMs,
    orchestrationsPerSec: orchestrations / (sequenceMs / 1000),
    perSequenceMs: sequenceMs / orchestrations,
    fanOutCalls: fanOutCount,
    fanOutMs,
    fanOutActivitiesPerSec: fanOutCount / (fanOutMs / 1000),
  };
}

async function startDurableHost(
  services: EmbeddedServices,
  dataDir: string,
  hostJson: string,
  key: string,
  variant: DurableVariant
): Promise<Child> {
  const prof = process.env.BENCH_HOST_CPU_PROF;
  return startChild({
    name: 'host-durable-bench-app',
    script: path.join(distRoot, 'infra', 'local-openiom', 'start.js'),
    env: {
      PORT: '0',
      OPENIOM_LOG_LEVEL: 'warning',
      OPENIOM_DATA_DIR: dataDir,
      OPENIOM_FUNCTIONS_KEY: key,
      OPENIOM_SHUTDOWN_GRACE_MS: '2000',
      OPENIOM_APP_ENTRY: path.join(distRoot, 'test', 'fixtures', 'durable-bench-app', 'index.js'),
      OPENIOM_HOST_JSON: hostJson,
      FUNCTIONS_HOST_DURABLE_STORE: variant.store,
      FUNCTIONS_HOST_DURABILITY: variant.durability,
      AzureWebJobsStorage: services.storageConnectionString,
      COSMOS_ENDPOINT: services.cosmosEndpoint,
      COSMOS_KEY: services.cosmosKey,
    },
    execArgv: prof
      ? [
          '--cpu-prof',
          '--cpu-prof-dir',
          path.resolve(prof),
          '--cpu-prof-name',
          `host-durable-bench-app-${variant.store}-${variant.durability}.cpuprofile`,
        ]
      : [],
    ready: /openiom ready on (http:\/\/\S+)/,
    timeoutMs: 60_000,
  });
}

/** Each variant: a host of its own with its own data dir, measured, stopped. The baseline runs in this process. */
export async function runDurableStage(
  services: EmbeddedServices,
  dataDir: string,
  log: (line: string) => void
): Promise<DurableFigures> {
  const settings = durableSettingsFromEnv();
  const hostJson = hostJsonFor(dataDir);
  log(
    `durable: host with the durable bench app (maxConcurrentActivityFunctions ` +
      `${hostJson.settings.maxConcurrentActivityFunctions}, maxConcurrentOrchestratorFunctions ` +
      `${hostJson.settings.maxConcurrentOrchestratorFunctions})`
  );
  const measured: VariantFigures[] = [];
  for (const variant of variantsFromEnv()) {
    const variantDir = path.join(dataDir, `durable-${variant.store}-${variant.durability}`);
    mkdirSync(variantDir, { recursive: true });
    measured.push(await measureVariant(services, variantDir, hostJson.file, settings, variant, log));
  }
  const [main, ...others] = measured;
  const baseline = await measureBaseline(
    Math.max(1, main!.sequence.completed),
    settings.fanOutCount,
    settings.baselineRepeats
  );
  return {
    settings,
    hostSettings: hostJson.settings,
    sequence: main!.sequence,
    fanOut: main!.fanOut,
    others,
    baseline,
  };
}

async function measureVariant(
  services: EmbeddedServices,
  dataDir: string,
  hostJson: string,
  settings: DurableLoadSettings,
  variant: DurableVariant,
  log: (line: string) => void
): Promise<VariantFigures> {
  const key = randomBytes(16).toString('hex');
  const azuritePid = (services as { azurite?: { pid?: number } }).azurite?.pid;
  const host = await startDurableHost(services, dataDir, hostJson, key, variant);
  try {
    const api = new DurableApi(host.url, key);
    const pids = { host: host.process.pid, azurite: azuritePid };

    log(
      `durable (${variant.name}): HelloSequence5, ${settings.inFlight} in flight, ` +
        `${settings.sequenceWarmupSeconds} s warm-up + ${settings.sequenceSeconds} s measured`
    );
    const sequence = await measureSequence(api, settings, pids, log);
    log(
      `durable (${variant.name}): HelloSequence5 ${sequence.completed} completed in the window ` +
        `(${sequence.orchestrationsPerSec.toFixed(1)}/s)`
    );

    log(
      `durable (${variant.name}): fan-out warm-up (${settings.fanOutWarmupCount}), ` +
        `then fan-out of ${settings.fanOutCount}`
    );
    const warmup = await runFanOut(api, settings.fanOutWarmupCount, settings);
    const meter = cpuMeter(pids.host, pids.azurite);
    const fan = await runFanOut(api, settings.fanOutCount, settings);
    const fanCpu = meter();
    log(
      `durable (${variant.name}): fan-out of ${settings.fanOutCount}: ` +
        `${fan.completed ? `${fan.ms.toFixed(0)} ms` : 'timed out'}`
    );
    return {
      variant,
      sequence,
      fanOut: {
        count: settings.fanOutCount,
        completed: fan.completed,
        ms: fan.ms,
        hostMs: fan.hostMs,
        activitiesPerSec: fan.completed ? settings.fanOutCount / (fan.ms / 1000) : 0,
        outputOk: fan.outputOk,
        warmupMs: warmup.ms,
        cpu: fanCpu,
      },
    };
  } finally {
    await host.stop();
  }
}

/**
 * `BENCH_ONLY=durable`: this stage alone, written to test/bench/results/durable-YYYY-MM-DD.{json,md}
 * (a full run appends it to local-host-YYYY-MM-DD.{json,md} instead). Returns the exit code.
 */
export async function runDurableOnly(
  services: EmbeddedServices,
  dataDir: string,
  date: Date,
  log: (line: string) => void
): Promise<number> {
  const durable = await runDurableStage(services, dataDir, log);
  const checks = durableChecks(durable);
  const results = { date: date.toISOString(), machine: describeMachine(), durable, checks };
  const markdown = durableOnlyMarkdown(results.date, results.machine, checks, durable);
  const resultsDir = path.join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, `durable-${results.date.slice(0, 10)}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  process.stdout.write(`${markdown}\nWritten: ${path.relative(repoRoot, base)}.{json,md}\n`);
  const missed = checks.filter((c) => c.pass === false);
  if (missed.length > 0) log(`targets missed: ${missed.map((c) => c.measure).join('; ')}`);
  return missed.length > 0 && process.env.BENCH_STRICT === '1' ? 1 : 0;
}
