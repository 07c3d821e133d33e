/** Jest global teardown: stops the services started by global setup and removes their data. */
import * as fs from 'node:fs';
import { SERVICES_HANDLE, type TestServicesHandle } from './services-handle';

export default async function globalTeardown(): Promise<void> {
  const slot = globalThis as Record<symbol, unknown>;
  const handle = slot[SERVICES_HANDLE] as TestServicesHandle | undefined;
  if (!handle) return;
  delete slot[SERVICES_HANDLE];
  await handle.services.stop();
  // OPENIOM_KEEP_TEST_DATA=1 keeps the data dir (and services.log) for a post-mortem.
  if (!process.env.OPENIOM_KEEP_TEST_DATA) fs.rmSync(handle.dataDir, { recursive: true, force: true });
}
