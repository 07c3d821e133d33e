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
import { portArgument, runServiceProcess, type RunningService } from './service-process';

async function start(): Promise<RunningService> {
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
  return startCosmosServer({
    host: values.host,
    port: portArgument(values.port),
    journalPath: journalPathFor(path.resolve(dataDir)),
    compactAtBytes: values['compact-at-bytes'] === undefined ? undefined : Number(values['compact-at-bytes']),
  });
}

runServiceProcess('cosmos', start);
