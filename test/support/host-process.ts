import { spawn } from 'child_process';
import path from 'path';
import { hostProcessOf, type HostProcess } from '../../infra/local/test/support/host-process';

export type { HostProcess };

export const repoRoot = path.resolve(__dirname, '..', '..');

/** Starts `dist/infra/local-openiom/start.js` (what `npm start` runs) and waits for its ready line. */
export async function startHostProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<HostProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'infra', 'local-openiom', 'start.js')], {
    cwd: repoRoot,
    // No demo data and no default journeys unless a test asks for them: tests set up exactly what
    // they check, and a journey published on the shared services would run every test's orders.
    env: {
      ...process.env,
      PORT: '0',
      OPENIOM_LOG_LEVEL: 'warning',
      OPENIOM_SEED_DEMO: 'false',
      OPENIOM_SEED_JOURNEYS: 'false',
      // No SMTP server unless a test starts one: the sample settings name the local catcher.
      SMTP_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return hostProcessOf(child, /openiom ready on (http:\/\/\S+)/, timeoutMs);
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
