/**
 * The intake and policy stages of `npm run bench`:
 *
 *  - Direct intake: the local host running the real app (dist/functions/index.js) under an open-loop,
 *    constant-rate load of `POST /api/v1/orders` (every request a distinct order: a unique externalId,
 *    no Idempotency-Key), timed from the request being issued to the end of the 202 answer. Next to it,
 *    `GET /api/health` of the same host at the same rate for the same time. Then every accepted order
 *    is checked to have been created: its statusUrl is polled (GET, bounded concurrency) until it
 *    answers 200 with the externalId sent, or the drain timeout ends.
 *  - Policy evaluation: `runPolicyEvalBench()` (policy-eval.ts), in this process, no services.
 *
 * The load is a paced loop of node:http requests on a keep-alive agent (not autocannon): request i is
 * due at start + i / rate, whatever the answers before it, so a slow server shows as latency and as
 * sockets in use rather than as a lower offered rate. Scheduling lateness is reported (`lagMs`).
 *
 * Knobs (env): BENCH_INTAKE_RATE (200 req/s), BENCH_INTAKE_SECONDS (30), BENCH_INTAKE_WARMUP_SECONDS (3),
 * BENCH_INTAKE_SOCKETS (64, the agent's maxSockets), BENCH_INTAKE_DRAIN_SECONDS (180),
 * BENCH_INTAKE_JOURNEYS (0; 1: the host publishes the default journeys, so every created order
 * starts one during the intake), BENCH_POLICY_MS (policy-eval.ts, per case), BENCH_INTAKE_DURABILITY_COMPARE (1: intake again on services
 * started without durability, to price it; 0 skips it). BENCH_ONLY=intake / BENCH_ONLY=policy run one stage alone
 * and write test/bench/results/{intake,policy}-YYYY-MM-DD.{json,md}.
 */
import { randomBytes } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import http from 'http';
import path from 'path';
import { performance } from 'perf_hooks';
import { startEmbeddedServices, type EmbeddedServices } from '@openiom/local-functions-host';
import {
  intakeChecks,
  intakeMarkdown,
  policyChecks,
  policyMarkdown,
  stageOnlyMarkdown,
} from './intake-report';
import { runPolicyEvalBench, type PolicyEvalBenchResult } from './policy-eval';
import { describeMachine, type Check } from './report';
import { envNumber, percentile, repoRoot, Samples, sleep, startLocalHost } from './support';

export interface IntakeLoadSettings {
  /** Requests issued per second, for both the intake and the health run. */
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** The keep-alive agent's maxSockets: requests beyond it wait for a socket (and that counts as latency). */
  maxSockets: number;
  timeoutMs: number;
  /** Bound on waiting, after the load, for every accepted order to be created. */
  drainTimeoutMs: number;
  /** Status GETs in flight while verifying. */
  verifyConcurrency: number;
  verifyPollMs: number;
  /**
   * Whether the host publishes the default journeys (npm start does on an empty store). Off by
   * default: each created order would then start its journey in the same host, Cosmos server and
   * Azurite while intake is timed, a load the /api/health baseline (measured before) never sees; the
   * journeys stage measures that work.
   */
  journeys?: boolean;
}

export interface PacedFigures {
  target: string;
  offeredRate: number;
  /** Requests issued. */
  sent: number;
  /** Answers with the expected status (202 for intake, 200 for health). */
  ok: number;
  /** First request issued → last answer in, s. */
  seconds: number;
  okPerSec: number;
  /** Issued → answer complete, ms, of the expected-status answers. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  /** Answers with any other status, by status. */
  unexpected: Record<string, number>;
  /** Network errors and timeouts (`timeoutMs` from issue, socket wait included). */
  errors: number;
  /** The errors by kind: the error code (ECONNRESET, ...) or else the message. */
  errorKinds: Record<string, number>;
  /** How late the loop issued requests against their schedule, ms. */
  lagMs: { p99: number; max: number };
  /** Most requests in flight at once. */
  maxInFlight: number;
  cpu: { host: number; azurite: number; generator: number };
}

export interface IntakeVerification {
  accepted: number;
  /** Accepted orders found created (GET statusUrl → 200 with the externalId sent). */
  created: number;
  /** Accepted orders still 404 when the drain wait ended. */
  missing: number;
  /** Accepted answers flagged `duplicate: true` (none expected: every externalId is new). */
  duplicates: number;
  /** Status GETs answering anything but 200/404, or a different externalId. */
  errors: number;
  /** End of the load → the last accepted order seen created (or the timeout), ms. */
  drainMs: number;
  timedOut: boolean;
}

export interface IntakeFigures {
  settings: IntakeLoadSettings;
  health: PacedFigures;
  intake: PacedFigures;
  verification: IntakeVerification;
  /**
   * The same intake on services and a host started with FUNCTIONS_HOST_DURABILITY=none (Azurite
   * without its journal, the task hub journal without fsync), in the same run: the price of durability.
   */
  withoutDurability?: { intake: PacedFigures; verification: IntakeVerification };
}

export function intakeSettingsFromEnv(): IntakeLoadSettings {
  return {
    rate: envNumber('BENCH_INTAKE_RATE', 200),
    seconds: envNumber('BENCH_INTAKE_SECONDS', 30),
    warmupSeconds: envNumber('BENCH_INTAKE_WARMUP_SECONDS', 3),
    maxSockets: envNumber('BENCH_INTAKE_SOCKETS', 64),
    timeoutMs: 10_000,
    drainTimeoutMs: envNumber('BENCH_INTAKE_DRAIN_SECONDS', 180) * 1000,
    verifyConcurrency: 16,
    journeys: process.env.BENCH_INTAKE_JOURNEYS === '1',
    verifyPollMs: 500,
  };
}

const ticksPerSecond = 100; // USER_HZ on Linux

/** utime + stime of a process in ms, from /proc/<pid>/stat; NaN when unavailable. */
export function processCpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

function cpuMeter(hostPid?: number, azuritePid?: number) {
  const started = performance.now();
  const host = processCpuMs(hostPid);
  const azurite = processCpuMs(azuritePid);
  const generator = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const g = process.cpuUsage(generator);
    return {
      host: (processCpuMs(hostPid) - host) / 1000 / seconds,
      azurite: (processCpuMs(azuritePid) - azurite) / 1000 / seconds,
      generator: (g.user + g.system) / 1e6 / seconds,
    };
  };
}

export interface Answer {
  status: number;
  body: string;
}

export function send(
  agent: http.Agent,
  base: URL,
  req: { method: string; path: string; headers: Record<string, string>; body?: string },
  timeoutMs: number
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers: req.body
          ? { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }
          : req.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      }
    );
    // From issue, so that the wait for a free socket counts: an overloaded host cannot stretch the run.
    const timer = setTimeout(() => r.destroy(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    r.on('close', () => clearTimeout(timer));
    r.on('error', reject);
    r.end(req.body);
  });
}

export interface PacedRun {
  target: string;
  base: URL;
  rate: number;
  seconds: number;
  expect: number;
  request: (i: number) => { method: string; path: string; headers: Record<string, string>; body?: string };
  onOk?: (i: number, body: string) => void;
  pids: { host?: number; azurite?: number };
}

/** Open loop: request i issued at start + i / rate (1 ms timer ticks), each on its own. */
export async function paced(run: PacedRun, settings: IntakeLoadSettings): Promise<PacedFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.maxSockets });
  const total = Math.round(run.rate * run.seconds);
  const latencies = new Samples();
  const lags = new Samples();
  const unexpected: Record<string, number> = {};
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let lastAnswer = 0;
  const pending: Promise<void>[] = [];
  const meter = cpuMeter(run.pids.host, run.pids.azurite);
  const start = performance.now();
  const fire = (i: number) => {
    const issued = performance.now();
    lags.push(issued - (start + (i * 1000) / run.rate));
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push(
      send(agent, run.base, run.request(i), settings.timeoutMs).then(
        (answer) => {
          const now = performance.now();
          inFlight--;
          lastAnswer = Math.max(lastAnswer, now);
          if (answer.status === run.expect) {
            latencies.push(now - issued);
            run.onOk?.(i, answer.body);
          } else {
            unexpected[answer.status] = (unexpected[answer.status] ?? 0) + 1;
          }
        },
        (err: unknown) => {
          inFlight--;
          lastAnswer = Math.max(lastAnswer, performance.now());
          errors++;
          const kind =
            (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }
      )
    );
  };
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * run.rate) / 1000) + 1);
      while (sent < due) fire(sent++);
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  const cpu = meter();
  agent.destroy();
  const sorted = latencies.sorted();
  const lagSorted = lags.sorted();
  let sum = 0;
  for (const v of sorted) sum += v;
  const seconds = (lastAnswer - start) / 1000;
  return {
    target: run.target,
    offeredRate: run.rate,
    sent,
    ok: sorted.length,
    seconds,
    okPerSec: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    meanMs: sum / sorted.length,
    maxMs: sorted[sorted.length - 1] ?? NaN,
    unexpected,
    errors,
    errorKinds,
    lagMs: { p99: percentile(lagSorted, 99), max: lagSorted[lagSorted.length - 1] ?? NaN },
    maxInFlight,
    cpu,
  };
}

/**
 * Polls each accepted order's statusUrl until it answers 200 (created) or the drain timeout ends.
 * Orders are created roughly in the order they were accepted, so a pass goes through the missing ones
 * in that order and stops after `verifyConcurrency * 2` answers of 404 (the polling must not slow the
 * queue trigger it waits for), then sleeps `verifyPollMs`. Once all are seen or the time is up, one
 * last full pass counts exactly.
 */
async function verifyCreated(
  base: URL,
  key: string,
  accepted: Map<string, string>,
  duplicates: number,
  settings: IntakeLoadSettings
): Promise<IntakeVerification> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.verifyConcurrency });
  const headers = { 'x-functions-key': key };
  const missing = new Map(accepted);
  let errors = 0;
  const started = performance.now();
  let lastSeen = started;
  const deadline = started + settings.drainTimeoutMs;
  const pass = async (full: boolean) => {
    const ids = [...missing.keys()];
    let next = 0;
    let notYet = 0;
    const stop = () => !full && (notYet >= settings.verifyConcurrency * 2 || performance.now() > deadline);
    await Promise.all(
      Array.from({ length: settings.verifyConcurrency }, async () => {
        while (next < ids.length && !stop()) {
          const statusUrl = ids[next++]!;
          try {
            const answer = await send(
              agent,
              base,
              { method: 'GET', path: statusUrl, headers },
              settings.timeoutMs
            );
            if (answer.status === 200) {
              const order = JSON.parse(answer.body) as { externalId?: string };
              if (order.externalId !== missing.get(statusUrl)) errors++;
              missing.delete(statusUrl);
              lastSeen = performance.now();
            } else if (answer.status === 404) {
              notYet++;
            } else {
              errors++;
            }
          } catch {
            errors++;
          }
        }
      })
    );
  };
  try {
    while (missing.size > 0 && performance.now() < deadline) {
      await pass(false);
      if (missing.size > 0) await sleep(settings.verifyPollMs);
    }
    if (missing.size > 0) await pass(true);
  } finally {
    agent.destroy();
  }
  const timedOut = missing.size > 0;
  return {
    accepted: accepted.size,
    created: accepted.size - missing.size,
    missing: missing.size,
    duplicates,
    errors,
    drainMs: (timedOut ? deadline : lastSeen) - started,
    timedOut,
  };
}

/**
 * GET /api/health, then intake warm-up (discarded, not verified), measured intake, verification;
 * then the intake alone again on services without durability (see IntakeFigures).
 */
export async function runIntakeStage(
  services: EmbeddedServices,
  dataDir: string,
  log: (line: string) => void
): Promise<IntakeFigures> {
  const settings = intakeSettingsFromEnv();
  const measured = await measureIntake(services, dataDir, settings, true, log);
  if (process.env.BENCH_INTAKE_DURABILITY_COMPARE === '0') return { settings, ...measured };
  log('intake: again, on services and a host without durability (FUNCTIONS_HOST_DURABILITY=none)');
  const previous = process.env.FUNCTIONS_HOST_DURABILITY;
  process.env.FUNCTIONS_HOST_DURABILITY = 'none'; // children inherit it: Azurite and the host
  const plainDir = path.join(dataDir, 'without-durability');
  let plain: EmbeddedServices | undefined;
  try {
    plain = await startEmbeddedServices({ dataDir: plainDir, restartOnCrash: false });
    const without = await measureIntake(plain, plainDir, settings, false, log);
    return {
      settings,
      ...measured,
      withoutDurability: { intake: without.intake, verification: without.verification },
    };
  } finally {
    if (previous === undefined) delete process.env.FUNCTIONS_HOST_DURABILITY;
    else process.env.FUNCTIONS_HOST_DURABILITY = previous;
    await plain?.stop();
  }
}

async function measureIntake(
  services: EmbeddedServices,
  dataDir: string,
  settings: IntakeLoadSettings,
  withHealth: boolean,
  log: (line: string) => void
): Promise<{ health: PacedFigures; intake: PacedFigures; verification: IntakeVerification }> {
  const key = randomBytes(16).toString('hex');
  const runId = randomBytes(4).toString('hex');
  const azuritePid = (services as { azurite?: { pid?: number } }).azurite?.pid;
  log('intake: host with the real app');
  const host = await startLocalHost('host-real-app-intake', services, dataDir, {
    key,
    env: settings.journeys ? {} : { OPENIOM_SEED_JOURNEYS: 'false', OPENIOM_SEED_DEMO: 'false' },
  });
  try {
    const base = new URL(host.url);
    const pids = { host: host.process.pid, azurite: azuritePid };
    const json = { 'x-functions-key': key, 'content-type': 'application/json' };
    const order = (externalId: string) =>
      JSON.stringify({
        externalId,
        currency: 'USD',
        customer: {},
        shipTo: { postalCode: '98052', country: 'US' },
        lines: [{ sku: 'A', quantity: 1 }],
      });
    const probe = await send(
      new http.Agent(),
      base,
      { method: 'POST', path: '/api/v1/orders', headers: json, body: order(`bench-${runId}-probe`) },
      settings.timeoutMs
    );
    if (probe.status !== 202) throw new Error(`intake: probe POST answered ${probe.status} ${probe.body}`);

    if (withHealth) log(`intake: GET /api/health, ${settings.rate}/s for ${settings.seconds} s`);
    const health = await paced(
      {
        target: 'local host, real app GET /api/health',
        base,
        rate: settings.rate,
        seconds: withHealth ? settings.seconds : 1,
        expect: 200,
        request: () => ({ method: 'GET', path: '/api/health', headers: {} }),
        pids,
      },
      settings
    );

    const intakeRun = (prefix: string, seconds: number, onOk?: PacedRun['onOk']) =>
      paced(
        {
          target: 'local host, real app POST /api/v1/orders',
          base,
          rate: settings.rate,
          seconds,
          expect: 202,
          request: (i) => ({
            method: 'POST',
            path: '/api/v1/orders',
            headers: json,
            body: order(`${prefix}-${i}`),
          }),
          onOk,
          pids,
        },
        settings
      );
    log(`intake: warm-up, ${settings.rate}/s for ${settings.warmupSeconds} s`);
    await intakeRun(`bench-${runId}-warm`, settings.warmupSeconds);
    log(`intake: POST /api/v1/orders, ${settings.rate}/s for ${settings.seconds} s`);
    const accepted = new Map<string, string>(); // statusUrl → externalId
    let duplicates = 0;
    const prefix = `bench-${runId}`;
    const intake = await intakeRun(prefix, settings.seconds, (i, body) => {
      const answer = JSON.parse(body) as { statusUrl: string; duplicate: boolean };
      if (answer.duplicate) duplicates++;
      accepted.set(answer.statusUrl, `${prefix}-${i}`);
    });
    log(
      `intake: ${intake.ok}/${intake.sent} accepted, p99 ${intake.p99Ms.toFixed(1)} ms; ` +
        `verifying creation (≤ ${settings.drainTimeoutMs / 1000} s)`
    );
    const verification = await verifyCreated(base, key, accepted, duplicates, settings);
    log(
      `intake: ${verification.created}/${verification.accepted} created ` +
        `(${verification.timedOut ? 'timed out' : `all seen ${verification.drainMs.toFixed(0)} ms after the load`})`
    );
    return { health, intake, verification };
  } finally {
    await host.stop();
  }
}

export function runPolicyStage(log: (line: string) => void): PolicyEvalBenchResult {
  log('policy: compiled evaluator vs the uncompiled reference evaluator');
  const policy = runPolicyEvalBench();
  log(
    `policy: ${Math.round(policy.rulesPerSecond)} rules/s (baseline ${Math.round(policy.baselineRulesPerSecond)})`
  );
  return policy;
}

export function writeStageOnly(
  name: string,
  date: Date,
  checks: Check[],
  body: string,
  figures: Record<string, unknown>,
  log: (line: string) => void
): number {
  const results = { date: date.toISOString(), machine: describeMachine(), ...figures, checks };
  const markdown = stageOnlyMarkdown(name, results.date, results.machine, checks, body);
  const resultsDir = path.join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, `${name}-${results.date.slice(0, 10)}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  process.stdout.write(`${markdown}\nWritten: ${path.relative(repoRoot, base)}.{json,md}\n`);
  const missed = checks.filter((c) => c.pass === false);
  if (missed.length > 0) log(`targets missed: ${missed.map((c) => c.measure).join('; ')}`);
  return missed.length > 0 && process.env.BENCH_STRICT === '1' ? 1 : 0;
}

/** `BENCH_ONLY=intake`: writes test/bench/results/intake-YYYY-MM-DD.{json,md}; returns the exit code. */
export async function runIntakeOnly(
  services: EmbeddedServices,
  dataDir: string,
  date: Date,
  log: (line: string) => void
): Promise<number> {
  const intake = await runIntakeStage(services, dataDir, log);
  return writeStageOnly('intake', date, intakeChecks(intake), intakeMarkdown(intake), { intake }, log);
}

/** `BENCH_ONLY=policy` (no services): writes test/bench/results/policy-YYYY-MM-DD.{json,md}. */
export function runPolicyOnly(date: Date, log: (line: string) => void): number {
  const policy = runPolicyStage(log);
  return writeStageOnly('policy', date, policyChecks(policy), policyMarkdown(policy), { policy }, log);
}
