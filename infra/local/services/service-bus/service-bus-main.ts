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
import { portArgument, runServiceProcess, type RunningService } from '../service-process';
import { startServiceBusBroker } from './amqp-broker';
import { defaultTopologyPath, readTopology } from './topology';

export function journalDirectoryFor(dataDir: string): string {
  return path.join(dataDir, 'servicebus');
}

async function start(): Promise<RunningService> {
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
  return startServiceBusBroker({
    host: values.host,
    port: portArgument(values.port),
    directory: journalDirectoryFor(path.resolve(dataDir)),
    topology: readTopology(values.topology ?? defaultTopologyPath()),
    fsync: !values['no-fsync'],
    compactAtBytes: values['compact-at-bytes'] === undefined ? undefined : Number(values['compact-at-bytes']),
  });
}

if (require.main === module) runServiceProcess('servicebus', start);
