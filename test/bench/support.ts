/** Helpers shared by the benchmark scripts: the repo root, child processes, percentiles. */
import { ChildProcess, fork, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import type { EmbeddedServices } from '@openiom/local-functions-host';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'fs';
import path from 'path';

/**
 * The repository root, found from where this file runs (dist/test/bench after `npm run build`).
 * test/support/host-process.ts assumes ts-jest's source layout, so it cannot be used from dist.
 */
export function findRepoRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'openiom')
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no openiom package.json above ${from}`);
  }
}

export const repoRoot = findRepoRoot();
export const distRoot = path.join(repoRoot, 'dist');

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Every child still running, so that `stopAllChildren` can end them on any exit path. */
const running = new Set<Child>();

export interface StartChildOptions {
  name: string;
  script: string;
  env?: NodeJS.ProcessEnv;
  /** Matches the ready line; group 1 is the URL the child serves (or any marker). */
  ready: RegExp;
  timeoutMs: number;
  /** Open an IPC channel (child_process.fork) as well. */
  ipc?: boolean;
  execArgv?: string[];
  /** Also append everything the child writes (stdout and stderr) to this file. */
  logFile?: string;
}

/** Starts `node <script>` and waits for its ready line on stdout. */
export async function startChild(opts: StartChildOptions): Promise<Child> {
  const env = { ...process.env, ...opts.env };
  const child = opts.ipc
    ? fork(opts.script, [], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        execArgv: opts.execArgv ?? [],
      })
    : spawn(process.execPath, [...(opts.execArgv ?? []), opts.script], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  let stdout = '';
  let stderr = '';
  if (opts.logFile) {
    const file = createWriteStream(opts.logFile, { flags: 'a' });
    child.stdout!.pipe(file);
    child.stderr!.pipe(file);
  }
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const handle: Child = {
    name: opts.name,
    url: '',
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async (graceMs = 15_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT'); // in case a round left it paused
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(handle);
    },
  };
  running.add(handle);
  try {
    handle.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${opts.name} not ready in ${opts.timeoutMs} ms:\n${stdout}\n${stderr}`)),
        opts.timeoutMs
      );
      const onData = () => {
        const match = opts.ready.exec(stdout);
        if (match) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(match[1] ?? '');
        }
      };
      child.stdout!.on('data', onData);
      void exited.then(() => {
        clearTimeout(timer);
        reject(
          new Error(
            `${opts.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${stdout}\n${stderr}`
          )
        );
      });
    });
  } catch (err) {
    await handle.stop(2000);
    throw err;
  }
  return handle;
}

export async function stopAllChildren(): Promise<void> {
  await Promise.allSettled([...running].map((c) => c.stop()));
}

/** Polls `probe` until it returns something other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs: number,
  intervalMs = 20
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Nearest-rank percentile of an already sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A growable Float64Array: latency samples without boxing 100k+ numbers. */
export class Samples {
  #data = new Float64Array(1 << 16);
  #length = 0;

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const bigger = new Float64Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#length++] = value;
  }

  get length(): number {
    return this.#length;
  }

  sorted(): Float64Array {
    return this.#data.slice(0, this.#length).sort();
  }
}

/**
 * `npm start`'s entry point as a child on the given services, quiet (warnings only), on a free port.
 * The real app unless `app` names another; BENCH_HOST_CPU_PROF=<dir> writes a CPU profile on exit;
 * BENCH_HOST_LOG_DIR=<dir> keeps its whole output there as <name>.log (with BENCH_HOST_LOG_LEVEL).
 */
export function startLocalHost(
  name: string,
  services: EmbeddedServices,
  dataDir: string,
  options: { key?: string; app?: { entry: string; hostJson: string }; env?: NodeJS.ProcessEnv } = {}
): Promise<Child> {
  const prof = process.env.BENCH_HOST_CPU_PROF;
  const logDir = process.env.BENCH_HOST_LOG_DIR;
  if (logDir) mkdirSync(logDir, { recursive: true });
  return startChild({
    ...(logDir ? { logFile: path.join(path.resolve(logDir), `${name}.log`) } : {}),
    name,
    script: path.join(distRoot, 'infra', 'local-openiom', 'start.js'),
    env: {
      PORT: '0',
      OPENIOM_LOG_LEVEL: process.env.BENCH_HOST_LOG_LEVEL ?? 'warning',
      OPENIOM_DATA_DIR: dataDir,
      OPENIOM_FUNCTIONS_KEY: options.key ?? randomBytes(16).toString('hex'),
      OPENIOM_SHUTDOWN_GRACE_MS: '2000',
      OPENIOM_APP_ENTRY: options.app?.entry ?? '',
      OPENIOM_HOST_JSON: options.app?.hostJson ?? '',
      AzureWebJobsStorage: services.storageConnectionString,
      COSMOS_ENDPOINT: services.cosmosEndpoint,
      COSMOS_KEY: services.cosmosKey,
      ...options.env,
    },
    execArgv: prof
      ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(prof), '--cpu-prof-name', `${name}.cpuprofile`]
      : [],
    ready: /openiom ready on (http:\/\/\S+)/,
    timeoutMs: 60_000,
  });
}

/** A positive number from the environment (a bench setting), or the fallback. */
export function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
