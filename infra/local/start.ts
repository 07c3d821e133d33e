import { readFileSync } from 'fs';
import path from 'path';
import { getContainers } from '../../shared/app/platform/wiring';
import { DurableEngine } from './durable/durable-engine';
import { resolveFunctionsKey } from './functions-key';
import { LocalFunctionsHost } from './host/local-host';
import { consoleLogger, describeError, parseLogLevel } from './host/logger';
import { seedDemo } from './demo/seed-demo';
import { applyLocalSettings } from './local-settings';
import { startEmbeddedServices, type EmbeddedServices } from './services/embedded-services';

/**
 * `npm start`: the whole app on one machine. Starts Azurite and the embedded Cosmos server unless
 * AzureWebJobsStorage / COSMOS_ENDPOINT name existing services, prepares the Cosmos containers,
 * loads the built app into the local host and prints the ready line.
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const env = process.env;
  applyLocalSettings(root, env);
  const logger = consoleLogger(parseLogLevel(env.OPENIOM_LOG_LEVEL, 'information'));
  const dataDir = path.resolve(root, env.OPENIOM_DATA_DIR || '.data');

  let services: EmbeddedServices | undefined;
  if (!env.AzureWebJobsStorage || !env.COSMOS_ENDPOINT) {
    services = await startEmbeddedServices({
      dataDir,
      restartOnCrash: true,
      log: (line) => logger.log('information', `[services] ${line}`),
    });
    if (!env.AzureWebJobsStorage) env.AzureWebJobsStorage = services.storageConnectionString;
    if (!env.COSMOS_ENDPOINT) {
      env.COSMOS_ENDPOINT = services.cosmosEndpoint;
      env.COSMOS_KEY = services.cosmosKey;
    }
  }
  const functionsKey = resolveFunctionsKey(env, dataDir);
  env.OPENIOM_FUNCTIONS_KEY = functionsKey;

  // Cosmos being down must not keep the host from serving: /api/health then says what is wrong.
  await getContainers().catch((err) =>
    logger.log('warning', `[host] could not prepare the Cosmos containers yet: ${describeError(err)}`)
  );

  const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
  const host = new LocalFunctionsHost({
    appEntry: path.resolve(root, env.OPENIOM_APP_ENTRY || packageJson.main),
    hostJsonPath: path.resolve(root, env.OPENIOM_HOST_JSON || 'host.json'),
    port: Number(env.PORT ?? 7071),
    functionsKey,
    blobPollMs: env.OPENIOM_BLOB_POLL_MS ? Number(env.OPENIOM_BLOB_POLL_MS) : undefined,
    maxBodyBytes: env.OPENIOM_MAX_BODY_BYTES ? Number(env.OPENIOM_MAX_BODY_BYTES) : undefined,
    logger,
    extensions: [new DurableEngine(functionsKey)],
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('information', `[host] ${signal}: finishing in-flight work`);
    void host
      .stop(Number(env.OPENIOM_SHUTDOWN_GRACE_MS ?? 10_000))
      .then(() => services?.stop())
      .then(
        () => process.exit(0),
        (err) => {
          logger.log('error', `[host] shutdown failed: ${describeError(err)}`);
          process.exit(1);
        }
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  await host.start();
  const seeded =
    env.OPENIOM_SEED_DEMO?.trim().toLowerCase() === 'false'
      ? []
      : await seedDemo(host.url, functionsKey, logger);
  process.stdout.write(
    [
      `storage: ${describeStorage(env.AzureWebJobsStorage)}`,
      `cosmos: ${env.COSMOS_ENDPOINT}`,
      `functions: ${host.functions.map((f) => f.name).join(', ')}`,
      `function key: ${functionsKey}`,
      ...(seeded.length > 0 ? [`demo data: ${seeded.join(', ')}`] : []),
      `openiom ready on ${host.url}`,
      '',
    ].join('\n')
  );
}

function describeStorage(connectionString: string | undefined): string {
  const blob = /BlobEndpoint=([^;]+)/.exec(connectionString ?? '');
  return blob?.[1] ?? 'configured';
}

main().catch((err) => {
  process.stderr.write(`openiom failed to start: ${describeError(err)}\n`);
  process.exit(1);
});
