/**
 * Process entry for the embedded Cosmos server:
 *   node infra/local/dist/services/cosmos-server-main.js --port N --data-dir DIR [--host H] [--compact-at-bytes B]
 * Journal at DIR/cosmos/journal.ndjson. Prints exactly one line `{"ready":true,"port":N}` on stdout
 * once it listens (supervisors wait for it); everything else goes to stderr.
 */
import './ignore-closed-output';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { journalPathFor, startCosmosServer } from './cosmos-server';
import type { CosmosServer } from './cosmos-server';
import { watchParent } from './parent-watch';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'compact-at-bytes': { type: 'string' },
    },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('--data-dir is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const compactAtBytes =
    values['compact-at-bytes'] === undefined ? undefined : Number(values['compact-at-bytes']);

  const server: CosmosServer = await startCosmosServer({
    host: values.host,
    port,
    journalPath: journalPathFor(path.resolve(dataDir)),
    compactAtBytes,
  });

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`cosmos: stopping (${reason})\n`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`cosmos: close failed: ${String(err)}\n`);
        process.exit(1);
      }
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  watchParent(() => stop('parent process gone'));

  process.stdout.write(`${JSON.stringify({ ready: true, port: server.port })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `cosmos: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
  );
  process.exit(1);
});
