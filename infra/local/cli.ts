#!/usr/bin/env node
import path from 'path';
import { parseArgs } from 'util';
import { describeError, describeServiceBus, describeStorage, startFunctionsHost } from './index';

const usage = `Usage: local-functions-host [app-dir] [--port N] [--data-dir DIR] [--key KEY]

Runs the Azure Functions app (Node v4 programming model) in app-dir (default: the current
directory): its package.json "main", host.json and local.settings.json. Starts Azurite unless
AzureWebJobsStorage names a storage account, and the embedded Cosmos server when the app's
settings name COSMOS_ENDPOINT without a value. See README.md for every setting.`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const appRoot = path.resolve(positionals[0] ?? '.');
  const running = await startFunctionsHost({
    appRoot,
    port: values.port === undefined ? undefined : Number(values.port),
    dataDir: values['data-dir'],
    functionsKey: values.key,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: finishing in-flight work\n`);
    running.stop(Number(process.env.FUNCTIONS_HOST_SHUTDOWN_GRACE_MS ?? 10_000)).then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`shutdown failed: ${describeError(err)}\n`);
        process.exit(1);
      }
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  process.stdout.write(
    [
      `app: ${appRoot}`,
      `storage: ${describeStorage(running.storageConnectionString)}`,
      ...(running.cosmosEndpoint ? [`cosmos: ${running.cosmosEndpoint}`] : []),
      ...(running.serviceBusConnectionString
        ? [`servicebus: ${describeServiceBus(running.serviceBusConnectionString)}`]
        : []),
      `functions: ${running.functions.join(', ')}`,
      `function key: ${running.functionsKey}`,
      `functions host ready on ${running.url}`,
      '',
    ].join('\n')
  );
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`the functions host failed to start: ${describeError(err)}\n`);
    process.exit(1);
  });
}
