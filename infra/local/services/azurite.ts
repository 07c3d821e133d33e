/**
 * Azurite (Blob, Queue, Table) as a supervised child process on loopback ports, data under
 * DIR/azurite.
 */
import * as http from 'node:http';
import * as path from 'node:path';
import { freePort } from './free-port';
import { serviceScript } from './service-scripts';
import { SupervisedChild } from './supervised-child';
import type { SupervisorOptions } from './supervised-child';

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

export interface AzuriteOptions extends SupervisorOptions {
  dataDir: string;
  host?: string;
  ports?: Partial<AzuritePorts>;
}

export interface Azurite {
  connectionString: string;
  ports: AzuritePorts;
  child: SupervisedChild;
  stop(): Promise<void>;
}

export function azuriteConnectionString(ports: AzuritePorts, host = '127.0.0.1'): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `BlobEndpoint=http://${host}:${ports.blob}/${AZURITE_ACCOUNT};` +
    `QueueEndpoint=http://${host}:${ports.queue}/${AZURITE_ACCOUNT};` +
    `TableEndpoint=http://${host}:${ports.table}/${AZURITE_ACCOUNT};`
  );
}

/** Any HTTP answer counts: Azurite only needs to be accepting requests. */
function answersHttp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: `/${AZURITE_ACCOUNT}`, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

export async function startAzurite(opts: AzuriteOptions): Promise<Azurite> {
  const host = opts.host ?? '127.0.0.1';
  const ports: AzuritePorts = {
    blob: opts.ports?.blob ?? (await freePort(host)),
    queue: opts.ports?.queue ?? (await freePort(host)),
    table: opts.ports?.table ?? (await freePort(host)),
  };
  const child = new SupervisedChild(
    {
      name: 'azurite',
      script: serviceScript('azurite-main'),
      args: [
        '--disableTelemetry',
        '--skipApiVersionCheck',
        '--loose',
        '--silent',
        '--location',
        path.join(opts.dataDir, 'azurite'),
        '--blobHost',
        host,
        '--blobPort',
        String(ports.blob),
        '--queueHost',
        host,
        '--queuePort',
        String(ports.queue),
        '--tableHost',
        host,
        '--tablePort',
        String(ports.table),
      ],
      probe: async () => {
        const answers = await Promise.all(
          [ports.blob, ports.queue, ports.table].map((port) => answersHttp(host, port))
        );
        return answers.every(Boolean);
      },
    },
    opts
  );
  await child.start();
  return { connectionString: azuriteConnectionString(ports, host), ports, child, stop: () => child.stop() };
}
