import path from 'path';
import {
  applyLocalSettings,
  consoleLogger,
  describeError,
  describeServiceBus,
  describeStorage,
  parseLogLevel,
  startFunctionsHost,
  type HostLogger,
  type RunningFunctionsHost,
} from '@openiom/local-functions-host';
import { seedDemo } from './seed-demo';
import { seedDefaultJourneys } from './seed-journeys';

/** A fresh clone has only the sample, whose values are local defaults. */
const settingsFiles = ['local.settings.json', 'local.settings.sample.json'];

/**
 * `npm start`: openiom on the local Functions host (infra/local). The host starts Azurite and the
 * embedded Cosmos server unless AzureWebJobsStorage / COSMOS_ENDPOINT name existing services, and
 * loads the built app; the app creates its Cosmos database and containers on first use. This script
 * adds openiom's own settings (OPENIOM_*), seeds the demo data and prints openiom's ready line.
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const env = process.env;
  // The OPENIOM_* settings below may come from the settings file, so it is applied before they are read.
  applyLocalSettings(root, env, settingsFiles);
  const logger = consoleLogger(parseLogLevel(env.OPENIOM_LOG_LEVEL, 'information'));
  // openiom keeps its data in Cosmos: with no endpoint given, the host starts the embedded server.
  env.COSMOS_ENDPOINT ??= '';
  const number = (value: string | undefined) => (value ? Number(value) : undefined);
  const running = await startFunctionsHost({
    appRoot: root,
    settingsFiles,
    appEntry: env.OPENIOM_APP_ENTRY || undefined,
    hostJsonPath: env.OPENIOM_HOST_JSON || undefined,
    dataDir: env.OPENIOM_DATA_DIR || '.data',
    functionsKey: env.OPENIOM_FUNCTIONS_KEY || undefined,
    port: Number(env.PORT ?? 7071),
    hostId: 'openiom',
    blobPollMs: number(env.OPENIOM_BLOB_POLL_MS),
    maxBodyBytes: number(env.OPENIOM_MAX_BODY_BYTES),
    problemTypeBase: 'https://openiom.dev/problems/',
    logger,
  });
  // The app reads its key from OPENIOM_FUNCTIONS_KEY (it builds the URLs it hands out with it).
  env.OPENIOM_FUNCTIONS_KEY = running.functionsKey;
  stopOnSignals(running, logger, Number(env.OPENIOM_SHUTDOWN_GRACE_MS ?? 10_000));

  const seeded =
    env.OPENIOM_SEED_DEMO?.trim().toLowerCase() === 'false'
      ? []
      : await seedDemo(running.url, running.functionsKey, logger, {
          demoShopWebhookSecret: env.OPENIOM_DEMO_SHOP_WEBHOOK_SECRET?.trim() || undefined,
        });
  const journeys =
    env.OPENIOM_SEED_JOURNEYS?.trim().toLowerCase() === 'false'
      ? []
      : await seedDefaultJourneys(running.url, running.functionsKey, logger).catch((err: unknown) => {
          logger.log('warning', `[journeys] not seeded: ${String(err)}`);
          return [];
        });
  process.stdout.write(
    [
      `storage: ${describeStorage(running.storageConnectionString)}`,
      `cosmos: ${env.COSMOS_ENDPOINT}`,
      ...(running.serviceBusConnectionString
        ? [`servicebus: ${describeServiceBus(running.serviceBusConnectionString)}`]
        : []),
      `functions: ${running.functions.join(', ')}`,
      `function key: ${running.functionsKey}`,
      `email: ${describeSmtp(env.SMTP_URL)}`,
      ...(seeded.length > 0 ? [`demo data: ${seeded.join(', ')}`] : []),
      ...(journeys.length > 0 ? [`default journeys published: ${journeys.join(', ')}`] : []),
      `openiom ready on ${running.url}`,
      '',
    ].join('\n')
  );
}

/** Where emails go, without the credentials SMTP_URL may hold. */
function describeSmtp(url: string | undefined): string {
  if (!url?.trim()) return 'not sent (SMTP_URL is not set; emails stay queued in the outbox)';
  try {
    const parsed = new URL(url.trim());
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'SMTP_URL is not a URL';
  }
}

function stopOnSignals(running: RunningFunctionsHost, logger: HostLogger, graceMs: number) {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('information', `[host] ${signal}: finishing in-flight work`);
    running.stop(graceMs).then(
      () => process.exit(0),
      (err) => {
        logger.log('error', `[host] shutdown failed: ${describeError(err)}`);
        process.exit(1);
      }
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`openiom failed to start: ${describeError(err)}\n`);
  process.exit(1);
});
