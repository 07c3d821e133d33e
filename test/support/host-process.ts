import { ChildProcess, spawn } from 'child_process';
import path from 'path';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface HostProcess {
  url: string;
  /** Everything the host printed on stdout (the ready block: storage, cosmos, key, url). */
  stdout: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM and wait for exit (graceful shutdown). */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit (a crash). */
  kill9(): Promise<void>;
}

/** Starts `dist/infra/local-openiom/start.js` (what `npm start` runs) and waits for its ready line. */
export async function startHostProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<HostProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'infra', 'local-openiom', 'start.js')], {
    cwd: repoRoot,
    // No demo data unless a test asks for it: tests set up exactly what they check.
    env: { ...process.env, PORT: '0', OPENIOM_LOG_LEVEL: 'warning', OPENIOM_SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`host not ready in ${timeoutMs} ms:\n${stdout}\n${stderr}`)),
      timeoutMs
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /openiom ready on (http:\/\/\S+)/.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
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

/**
 * The environment for a host that starts an Azurite and a Cosmos server of its own under `dataDir`:
 * for tests whose host must not share queues, task hubs or configuration with other tests' hosts
 * (hosts of the real app on the shared Azurite all consume the same `order-intake` queue).
 */
export function ownServicesEnv(dataDir: string): NodeJS.ProcessEnv {
  return { AzureWebJobsStorage: '', COSMOS_ENDPOINT: '', COSMOS_KEY: '', OPENIOM_DATA_DIR: dataDir };
}

/** The environment that points a host at the test run's Azurite and Cosmos server (global setup). */
export function sharedServicesEnv(): NodeJS.ProcessEnv {
  const { AzureWebJobsStorage, COSMOS_ENDPOINT, COSMOS_KEY } = process.env;
  if (!AzureWebJobsStorage || !COSMOS_ENDPOINT) throw new Error('global setup did not start the services');
  return { AzureWebJobsStorage, COSMOS_ENDPOINT, COSMOS_KEY };
}
