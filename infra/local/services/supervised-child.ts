/**
 * Runs a Node service script as a child process: waits until it is ready, restarts it (same
 * arguments, so the same port) when it dies unexpectedly, and stops it with SIGTERM then SIGKILL.
 * The child learns our pid through FUNCTIONS_HOST_PARENT_PID so it can exit if we are killed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { ServiceStartError } from './errors';
import { PARENT_PID_ENV } from './parent-watch';

export interface ChildSpec {
  /** Short name used in log lines. */
  name: string;
  /** Script run with the current Node binary. */
  script: string;
  args: string[];
  /** Ready when a stdout line satisfies this... */
  readyLine?: (line: string) => boolean;
  /** ...or when this probe resolves true (polled). */
  probe?: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface SupervisorOptions {
  log?: (line: string) => void;
  restartOnCrash?: boolean;
  /** SIGTERM grace before SIGKILL on stop. */
  stopGraceMs?: number;
}

const MIN_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 5000;
/** A child that ran this long before dying counts as healthy: the backoff starts over. */
const STABLE_AFTER_MS = 30_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export class SupervisedChild {
  private child: ChildProcess | undefined;
  private stopping = false;
  private backoffMs = MIN_BACKOFF_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartCount = 0;
  private readonly log: (line: string) => void;

  constructor(
    private readonly spec: ChildSpec,
    private readonly options: SupervisorOptions = {}
  ) {
    this.log = options.log ?? (() => undefined);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times the child was restarted after dying. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Starts the child and resolves once it is ready; rejects if it dies or times out first. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.spawnReady();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child || exited(child)) return;
    child.kill('SIGTERM');
    if (await waitForExit(child, this.options.stopGraceMs ?? 5000)) return;
    this.log(`${this.spec.name}: did not stop after SIGTERM, killing`);
    child.kill('SIGKILL');
    await waitForExit(child, 5000);
  }

  private async spawnReady(): Promise<void> {
    const { spec } = this;
    const child = spawn(process.execPath, [spec.script, ...spec.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [PARENT_PID_ENV]: String(process.pid) },
    });
    this.child = child;
    const startedAt = Date.now();
    const recentErrors: string[] = [];
    let ready = false;
    let markReady: () => void = () => undefined;
    const readyByLine = new Promise<void>((resolve) => (markReady = resolve));

    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!ready && spec.readyLine?.(line)) {
        markReady();
        return;
      }
      if (line.trim()) this.log(`${spec.name}: ${line}`);
    });
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      recentErrors.push(line);
      if (recentErrors.length > 20) recentErrors.shift();
      if (line.trim()) this.log(`${spec.name}: ${line}`);
    });

    const exitedEarly = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) => {
        if (!ready) {
          reject(
            new ServiceStartError(
              spec.name,
              `exited before ready (code ${code}, signal ${signal}): ${recentErrors.join(' | ')}`
            )
          );
        }
      });
      child.once('error', (err) =>
        reject(new ServiceStartError(spec.name, 'could not be spawned', { cause: err }))
      );
    });
    exitedEarly.catch(() => undefined);

    child.once('exit', (code, signal) => {
      if (!ready || this.stopping || this.child !== child) return;
      this.onCrash(code, signal, Date.now() - startedAt);
    });

    const timeoutMs = spec.readyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ServiceStartError(spec.name, `not ready after ${timeoutMs} ms`)),
        timeoutMs
      );
    });
    const readiness = spec.readyLine ? readyByLine : this.pollProbe(child);
    try {
      await Promise.race([readiness, exitedEarly, timeout]);
      ready = true;
    } catch (err) {
      if (!exited(child)) child.kill('SIGKILL');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private async pollProbe(child: ChildProcess): Promise<void> {
    const probe = this.spec.probe;
    if (!probe) throw new ServiceStartError(this.spec.name, 'neither readyLine nor probe given');
    while (!exited(child)) {
      if (await probe()) return;
      await sleep(100);
    }
  }

  private onCrash(code: number | null, signal: NodeJS.Signals | null, ranMs: number): void {
    if (!this.options.restartOnCrash) {
      this.log(`${this.spec.name}: exited unexpectedly (code ${code}, signal ${signal}); not restarting`);
      return;
    }
    if (ranMs > STABLE_AFTER_MS) this.backoffMs = MIN_BACKOFF_MS;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.log(
      `${this.spec.name}: exited unexpectedly (code ${code}, signal ${signal}); restarting in ${delay} ms`
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.restartCount += 1;
      this.spawnReady().then(
        () => this.log(`${this.spec.name}: restarted (pid ${this.child?.pid ?? '?'})`),
        (err: unknown) => {
          this.log(`${this.spec.name}: restart failed: ${err instanceof Error ? err.message : String(err)}`);
          // The failed child has exited or been killed; try again with a longer pause.
          if (!this.stopping) this.onCrash(null, null, 0);
        }
      );
    }, delay);
  }
}
