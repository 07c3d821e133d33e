/**
 * Process entry for the Service Bus broker:
 *   node infra/local/dist/services/service-bus/service-bus-main.js --port N --data-dir DIR
 *     [--host H] [--topology FILE] [--no-fsync] [--compact-at-bytes B]
 * Journal under DIR/servicebus/. Prints exactly one line `{"ready":true,"port":N}` on stdout once it
 * listens (supervisors wait for it); everything else goes to stderr.
 */
import '../ignore-closed-output';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { watchParent } from '../parent-watch';
import { startServiceBusBroker } from './amqp-broker';
import { defaultTopologyPath, readTopology } from './topology';

export function journalDirectoryFor(dataDir: string): string {
  return path.join(dataDir, 'servicebus');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      topology: { type: 'string' },
      'no-fsync': { type: 'boolean', default: false },
      'compact-at-bytes': { type: 'string' },
    },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('--data-dir is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const broker = await startServiceBusBroker({
    host: values.host,
    port,
    directory: journalDirectoryFor(path.resolve(dataDir)),
    topology: readTopology(values.topology ?? defaultTopologyPath()),
    fsync: !values['no-fsync'],
    compactAtBytes: values['compact-at-bytes'] === undefined ? undefined : Number(values['compact-at-bytes']),
  });

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`servicebus: stopping (${reason})\n`);
    broker.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`servicebus: close failed: ${String(err)}\n`);
        process.exit(1);
      }
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  watchParent(() => stop('parent process gone'));

  process.stdout.write(`${JSON.stringify({ ready: true, port: broker.port })}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `servicebus: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
    );
    process.exit(1);
  });
}
