import { ChildProcess, spawn } from 'child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

/** The package's root (infra/local): its build is under dist/. */
export const packageRoot = path.resolve(__dirname, '..', '..');
const repoNodeModules = path.resolve(packageRoot, '..', '..', 'node_modules');

export interface HostProcess {
  url: string;
  /** Everything the host printed on stdout (the ready block). */
  stdout: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM and wait for exit (graceful shutdown). */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit (a crash). */
  kill9(): Promise<void>;
}

/**
 * A function app directory as `func init` lays one out, outside the repository: package.json whose
 * `main` is a glob, the fixture's build under dist/src/functions/, its host.json, and a
 * local.settings.json with `settings` as its Values. node_modules links to the repository's.
 */
export function fixtureApp(
  fixture: string,
  settings: Record<string, string>,
  hostJson: (json: Record<string, unknown>) => Record<string, unknown> = (json) => json
): string {
  const appDir = mkdtempSync(path.join(os.tmpdir(), `host-${fixture}-`));
  const built = path.join(packageRoot, 'dist', 'test', 'fixtures', fixture);
  const functionsDir = path.join(appDir, 'dist', 'src', 'functions');
  cpSync(built, functionsDir, {
    recursive: true,
    filter: (src) => !src.endsWith('.map') && !src.endsWith('.d.ts'),
  });
  const hostJsonText = readFileSync(path.join(packageRoot, 'test', 'fixtures', fixture, 'host.json'), 'utf8');
  writeFileSync(
    path.join(appDir, 'host.json'),
    JSON.stringify(hostJson(JSON.parse(hostJsonText) as Record<string, unknown>), null, 2)
  );
  if (readdirSync(functionsDir).length === 0) throw new Error(`${built} is empty: build first`);
  writeFileSync(
    path.join(appDir, 'package.json'),
    JSON.stringify({ name: `fixture-${fixture}`, main: 'dist/src/functions/*.js' }, null, 2)
  );
  writeFileSync(
    path.join(appDir, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: { FUNCTIONS_WORKER_RUNTIME: 'node', ...settings } }, null, 2)
  );
  symlinkSync(repoNodeModules, path.join(appDir, 'node_modules'), 'dir');
  return appDir;
}

/**
 * Starts the package's CLI (`local-functions-host <appDir>`) and waits for its ready line. The
 * child sees none of the test run's service settings unless `env` gives them: the app's own
 * local.settings.json speaks for it.
 */
export async function startHostProcess(
  appDir: string,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000
): Promise<HostProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(COSMOS_|OPENIOM_|FUNCTIONS_HOST_|AzureWebJobsStorage)/.test(name)
    )
  );
  const child = spawn(process.execPath, [path.join(packageRoot, 'dist', 'cli.js'), appDir, '--port', '0'], {
    cwd: os.tmpdir(),
    env: { ...inherited, FUNCTIONS_HOST_LOG_LEVEL: 'warning', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return hostProcessOf(child, /functions host ready on (http:\/\/\S+)/, timeoutMs);
}

/**
 * Waits until `child` prints a line matching `ready` (whose first group is the URL), and wraps it for
 * tests: its output, a graceful stop and a kill -9. Rejects when it exits or the time runs out first.
 */
export async function hostProcessOf(
  child: ChildProcess,
  ready: RegExp,
  timeoutMs: number
): Promise<HostProcess> {
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`host not ready in ${timeoutMs} ms:\n${stdout}\n${stderr}`)),
      timeoutMs
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = ready.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before it was ready:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    get stdout() {
      return stdout;
    },
    child,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The storage of the test run (global setup), for an app's local.settings.json. */
export function sharedStorage(): { AzureWebJobsStorage: string } {
  const { AzureWebJobsStorage } = process.env;
  if (!AzureWebJobsStorage) throw new Error('global setup did not start the services');
  return { AzureWebJobsStorage };
}
