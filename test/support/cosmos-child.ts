/** Runs the built Cosmos server entry as a child process, for tests that crash and restart it. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { CosmosClient } from '@azure/cosmos';
import { COSMOS_EMULATOR_KEY, serviceScript } from '@openiom/local-functions-host';

const ENTRY = serviceScript('cosmos-server-main');

export interface CosmosChild {
  port: number;
  endpoint: string;
  child: ChildProcess;
  client(): CosmosClient;
  /** `kill -9` and wait until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

export async function startCosmosChild(
  dataDir: string,
  opts: { port?: number; compactAtBytes?: number } = {}
): Promise<CosmosChild> {
  const args = [ENTRY, '--port', String(opts.port ?? 0), '--data-dir', dataDir];
  if (opts.compactAtBytes !== undefined) args.push('--compact-at-bytes', String(opts.compactAtBytes));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cosmos child not ready:\n${stderr}`)), 20_000);
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const ready = JSON.parse(line) as { ready?: boolean; port?: number };
      if (ready.ready && typeof ready.port === 'number') resolve(ready.port);
      else reject(new Error(`unexpected first line: ${line}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cosmos child exited (${code}) before ready:\n${stderr}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}/`;
  return {
    port,
    endpoint,
    child,
    client: () =>
      new CosmosClient({
        endpoint,
        key: COSMOS_EMULATOR_KEY,
        connectionPolicy: { enableEndpointDiscovery: false },
      }),
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
