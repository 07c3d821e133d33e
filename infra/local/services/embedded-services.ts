/**
 * The services an app needs on one machine: Azurite, the embedded Cosmos server and the Service Bus
 * broker, each a supervised child process on a free loopback port, data under `dataDir`.
 */
import * as path from 'node:path';
import { startAzurite } from './azurite';
import { COSMOS_EMULATOR_KEY } from './cosmos-key';
import { freePort } from './free-port';
import { serviceScript } from './service-scripts';
import { serviceBusConnectionString } from './service-bus/amqp-broker';
import { SupervisedChild } from './supervised-child';
import type { SupervisorOptions } from './supervised-child';

export { freePort } from './free-port';

export interface EmbeddedServicesOptions {
  dataDir: string;
  log?: (line: string) => void;
  /** Restart a child that dies unexpectedly, on the same port. */
  restartOnCrash?: boolean;
}

export interface EmbeddedServices {
  storageConnectionString: string;
  cosmosEndpoint: string;
  cosmosKey: string;
  stop(): Promise<void>;
}

/** The supervised Cosmos child, exposed for tests that kill it on purpose. */
export interface EmbeddedServicesWithChildren extends EmbeddedServices {
  cosmos: SupervisedChild;
  azurite: SupervisedChild;
}

const HOST = '127.0.0.1';

export function startCosmosChild(dataDir: string, port: number, options: SupervisorOptions): SupervisedChild {
  return new SupervisedChild(
    {
      name: 'cosmos',
      script: serviceScript('cosmos-server-main'),
      args: ['--host', HOST, '--port', String(port), '--data-dir', dataDir],
      readyLine: (line) => line.startsWith('{"ready":true'),
    },
    options
  );
}

export function startServiceBusChild(
  dataDir: string,
  port: number,
  broker: { topologyPath?: string; fsync?: boolean },
  options: SupervisorOptions
): SupervisedChild {
  return new SupervisedChild(
    {
      name: 'servicebus',
      script: serviceScript(path.join('service-bus', 'service-bus-main')),
      args: [
        '--host',
        HOST,
        '--port',
        String(port),
        '--data-dir',
        dataDir,
        ...(broker.topologyPath ? ['--topology', broker.topologyPath] : []),
        ...(broker.fsync === false ? ['--no-fsync'] : []),
      ],
      readyLine: (line) => line.startsWith('{"ready":true'),
    },
    options
  );
}

export interface SomeServices {
  /** Set when Azurite was started. */
  storageConnectionString?: string;
  /** Set when the Cosmos server was started. */
  cosmosEndpoint?: string;
  cosmosKey?: string;
  /** Set when the Service Bus broker was started. */
  serviceBusConnectionString?: string;
  stop(): Promise<void>;
}

/**
 * Starts only the services asked for. `serviceBus`: start the broker, with the entities of this
 * topology file (`true`: the default topology).
 */
export async function startServices(
  opts: EmbeddedServicesOptions & { storage: boolean; cosmos: boolean; serviceBus?: boolean | string }
): Promise<SomeServices> {
  const others = await startStorageAndCosmos(opts);
  if (!opts.serviceBus) return others;
  try {
    const supervision: SupervisorOptions = { log: opts.log, restartOnCrash: opts.restartOnCrash ?? true };
    const topology = typeof opts.serviceBus === 'string' ? path.resolve(opts.serviceBus) : undefined;
    const { broker, port } = await onFreshPorts(async () => {
      const port = await freePort(HOST);
      const child = startServiceBusChild(
        path.resolve(opts.dataDir),
        port,
        { topologyPath: topology },
        supervision
      );
      await child.start();
      return { broker: child, port };
    });
    opts.log?.(`servicebus ready: sb://${HOST}:${port}`);
    return {
      ...others,
      serviceBusConnectionString: serviceBusConnectionString(HOST, port),
      stop: async () => {
        await Promise.all([broker.stop(), others.stop()]);
      },
    };
  } catch (err) {
    await others.stop().catch(() => undefined);
    throw err;
  }
}

async function startStorageAndCosmos(
  opts: EmbeddedServicesOptions & { storage: boolean; cosmos: boolean }
): Promise<SomeServices> {
  if (opts.storage && opts.cosmos) return startEmbeddedServices(opts);
  const dataDir = path.resolve(opts.dataDir);
  const supervision: SupervisorOptions = { log: opts.log, restartOnCrash: opts.restartOnCrash ?? true };
  if (opts.storage) {
    const azurite = await onFreshPorts(() => startAzurite({ dataDir, host: HOST, ...supervision }));
    opts.log?.(
      `azurite ready: blob ${azurite.ports.blob}, queue ${azurite.ports.queue}, table ${azurite.ports.table}`
    );
    return { storageConnectionString: azurite.connectionString, stop: () => azurite.stop() };
  }
  if (opts.cosmos) {
    const { cosmos, cosmosPort } = await onFreshPorts(async () => {
      const port = await freePort(HOST);
      const child = startCosmosChild(dataDir, port, supervision);
      await child.start();
      return { cosmos: child, cosmosPort: port };
    });
    opts.log?.(`cosmos ready: http://${HOST}:${cosmosPort}/`);
    return {
      cosmosEndpoint: `http://${HOST}:${cosmosPort}/`,
      cosmosKey: COSMOS_EMULATOR_KEY,
      stop: () => cosmos.stop(),
    };
  }
  return { stop: () => Promise.resolve() };
}

export async function startEmbeddedServices(
  opts: EmbeddedServicesOptions
): Promise<EmbeddedServicesWithChildren> {
  return onFreshPorts(() => startEmbeddedServicesOnce(opts));
}

/**
 * Ports are picked free and then handed to the children, so another process can take one in
 * between (tests start many services side by side): a start that fails on a port in use is tried
 * again on new ports.
 */
async function onFreshPorts<T>(start: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= attempts || !/EADDRINUSE/.test(String(err))) throw err;
    }
  }
}

async function startEmbeddedServicesOnce(
  opts: EmbeddedServicesOptions
): Promise<EmbeddedServicesWithChildren> {
  const dataDir = path.resolve(opts.dataDir);
  const supervision: SupervisorOptions = { log: opts.log, restartOnCrash: opts.restartOnCrash ?? true };
  const cosmosPort = await freePort(HOST);
  const cosmos = startCosmosChild(dataDir, cosmosPort, supervision);
  const [azuriteResult, cosmosResult] = await Promise.allSettled([
    startAzurite({ dataDir, host: HOST, ...supervision }),
    cosmos.start(),
  ]);
  if (azuriteResult.status === 'rejected' || cosmosResult.status === 'rejected') {
    // Do not leave the half that did start running.
    await Promise.allSettled([
      cosmos.stop(),
      azuriteResult.status === 'fulfilled' ? azuriteResult.value.stop() : undefined,
    ]);
    const reason: unknown =
      azuriteResult.status === 'rejected'
        ? azuriteResult.reason
        : (cosmosResult as PromiseRejectedResult).reason;
    throw reason instanceof Error ? reason : new Error(String(reason));
  }
  const azurite = azuriteResult.value;
  opts.log?.(
    `azurite ready: blob ${azurite.ports.blob}, queue ${azurite.ports.queue}, table ${azurite.ports.table}`
  );
  opts.log?.(`cosmos ready: http://${HOST}:${cosmosPort}/`);
  return {
    storageConnectionString: azurite.connectionString,
    cosmosEndpoint: `http://${HOST}:${cosmosPort}/`,
    cosmosKey: COSMOS_EMULATOR_KEY,
    cosmos,
    azurite: azurite.child,
    stop: async () => {
      await Promise.all([cosmos.stop(), azurite.stop()]);
    },
  };
}
