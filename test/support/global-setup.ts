/**
 * Jest global setup: starts Azurite and the embedded Cosmos server (children running the build in
 * dist/, which `npm test` produces first) on free loopback ports and hands their coordinates to the
 * test workers through the environment.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmbeddedServices } from '@openiom/local-functions-host';
import { SERVICES_HANDLE, type TestServicesHandle } from './services-handle';

export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openiom-test-'));
  const logFile = path.join(dataDir, 'services.log');
  // Service output goes to a file: it would drown Jest's report, and a failed start quotes it anyway.
  const log = (line: string): void => fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  const services = await startEmbeddedServices({ dataDir, log, restartOnCrash: true });
  process.env.AzureWebJobsStorage = services.storageConnectionString;
  process.env.COSMOS_ENDPOINT = services.cosmosEndpoint;
  process.env.COSMOS_KEY = services.cosmosKey;
  process.env.OPENIOM_TEST_DATA_DIR = dataDir;
  const handle: TestServicesHandle = { services, dataDir };
  (globalThis as Record<symbol, unknown>)[SERVICES_HANDLE] = handle;
}
