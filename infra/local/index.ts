import { existsSync } from 'fs';
import path from 'path';
import { appEntryFiles, appHostId } from './app-root';
import { DurableEngine, type TaskHubStoreKind } from './durable/durable-engine';
import { resolveFunctionsKey } from './functions-key';
import { setProblemTypeBase } from './host/host-problem';
import { LocalFunctionsHost } from './host/local-host';
import { consoleLogger, parseLogLevel, type HostLogger } from './host/logger';
import { applyLocalSettings } from './local-settings';
import { startServices, type SomeServices } from './services/embedded-services';

export { appEntryFiles, packageMain } from './app-root';
export { DurableEngine } from './durable/durable-engine';
export { resolveFunctionsKey } from './functions-key';
export { LocalFunctionsHost, UnsupportedBindingsError, type LocalHostOptions } from './host/local-host';
export { consoleLogger, describeError, parseLogLevel, type HostLogger } from './host/logger';
export { applyLocalSettings } from './local-settings';
export { COSMOS_EMULATOR_KEY } from './services/cosmos-key';
export {
  serviceBusConnectionString,
  startServiceBusBroker,
  type ServiceBusBroker,
} from './services/service-bus/amqp-broker';
export { parseTopology, readTopology, type Topology } from './services/service-bus/topology';
export { serviceScript } from './services/service-scripts';
export {
  freePort,
  startCosmosChild,
  startEmbeddedServices,
  startServices,
  startServiceBusChild,
  type EmbeddedServices,
  type EmbeddedServicesWithChildren,
  type SomeServices,
} from './services/embedded-services';

export interface FunctionsHostOptions {
  /** The function app's directory: its package.json, host.json and local.settings.json. */
  appRoot: string;
  /** Entry files instead of package.json `main` (relative to appRoot; globs allowed). */
  appEntry?: string | string[];
  /** host.json to read instead of `<appRoot>/host.json`. */
  hostJsonPath?: string;
  /** Settings files tried in order (relative to appRoot); the first that exists is applied. */
  settingsFiles?: string[];
  /** The environment the app reads (its settings are applied here). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default: the PORT setting, else 7071. 0 picks a free port. */
  port?: number;
  /** Where Azurite, the Cosmos server and the generated key keep their data. Default `<appRoot>/.data`. */
  dataDir?: string;
  /** The key `function` and `admin` routes need. Default: generated once per data dir. */
  functionsKey?: string;
  logger?: HostLogger;
  /** Blob receipts and timer leases are kept under this id. Default: the app's package name. */
  hostId?: string;
  blobPollMs?: number;
  /**
   * How long a queue message being handled stays invisible, renewed at half-time (default 60 s).
   * Azure's Functions host takes 10 minutes; after a crash a message comes back when this runs out,
   * so on one machine a shorter lease brings it back sooner.
   */
  queueLeaseSeconds?: number;
  maxBodyBytes?: number;
  /** The `type` URI prefix of the host's own problem+json answers. */
  problemTypeBase?: string;
}

export interface RunningFunctionsHost {
  url: string;
  functionsKey: string;
  /** Names of the functions the app registered. */
  functions: string[];
  /** The storage connection string the app got (Azurite's when the host started it). */
  storageConnectionString: string;
  /** The Cosmos endpoint, when the app's settings name COSMOS_ENDPOINT. */
  cosmosEndpoint?: string;
  /** The Service Bus connection string, when the app's settings name SERVICEBUS_CONNECTION. */
  serviceBusConnectionString?: string;
  /** Services the host started (Azurite, the Cosmos server), if any. */
  services: SomeServices;
  host: LocalFunctionsHost;
  /** Graceful stop: the host, then the services it started. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs a Node v4 function app the way `func start` does: applies the app's local.settings.json,
 * starts Azurite unless AzureWebJobsStorage names a storage account, starts the embedded Cosmos
 * server when the app's settings name COSMOS_ENDPOINT without a value, loads the app's entry files and
 * serves its triggers, durable functions included.
 */
export async function startFunctionsHost(options: FunctionsHostOptions): Promise<RunningFunctionsHost> {
  const appRoot = path.resolve(options.appRoot);
  const env = options.env ?? process.env;
  applyLocalSettings(appRoot, env, options.settingsFiles);
  const logger = options.logger ?? consoleLogger(parseLogLevel(env.FUNCTIONS_HOST_LOG_LEVEL, 'information'));
  const dataDir = path.resolve(appRoot, options.dataDir ?? env.FUNCTIONS_HOST_DATA_DIR ?? '.data');
  if (options.problemTypeBase) setProblemTypeBase(options.problemTypeBase);

  // As with Core Tools and Azurite, every setting that says UseDevelopmentStorage=true means the emulator.
  const devStorage = Object.keys(env).filter((name) => isDevelopmentStorage(env[name]));
  const storage = !env.AzureWebJobsStorage || devStorage.length > 0;
  const cosmos = 'COSMOS_ENDPOINT' in env && !env.COSMOS_ENDPOINT;
  // As with Cosmos: an app that names SERVICEBUS_CONNECTION without a value gets the local broker.
  const serviceBus = 'SERVICEBUS_CONNECTION' in env && !env.SERVICEBUS_CONNECTION;
  const services = await startServices({
    dataDir,
    storage,
    cosmos,
    serviceBus:
      serviceBus && (env.SERVICEBUS_TOPOLOGY ? path.resolve(appRoot, env.SERVICEBUS_TOPOLOGY) : true),
    restartOnCrash: true,
    log: (line) => logger.log('information', `[services] ${line}`),
  });
  try {
    if (services.storageConnectionString) {
      for (const name of [...devStorage, ...(env.AzureWebJobsStorage ? [] : ['AzureWebJobsStorage'])])
        env[name] = services.storageConnectionString;
    }
    if (services.cosmosEndpoint) {
      env.COSMOS_ENDPOINT = services.cosmosEndpoint;
      env.COSMOS_KEY = services.cosmosKey;
    }
    if (services.serviceBusConnectionString) env.SERVICEBUS_CONNECTION = services.serviceBusConnectionString;
    const functionsKey = resolveFunctionsKey(options.functionsKey ?? env.FUNCTIONS_HOST_KEY, dataDir);
    const hostJson = path.resolve(appRoot, options.hostJsonPath ?? 'host.json');
    const host = new LocalFunctionsHost({
      appEntry: appEntryFiles(appRoot, options.appEntry),
      appRoot,
      hostJsonPath: existsSync(hostJson) ? hostJson : undefined,
      port: options.port ?? Number(env.PORT || 7071),
      functionsKey,
      hostId: options.hostId ?? appHostId(appRoot),
      blobPollMs: options.blobPollMs ?? positive(env.FUNCTIONS_HOST_BLOB_POLL_MS),
      queueLeaseSeconds: options.queueLeaseSeconds ?? positive(env.FUNCTIONS_HOST_QUEUE_LEASE_SECONDS),
      maxBodyBytes: options.maxBodyBytes ?? positive(env.FUNCTIONS_HOST_MAX_BODY_BYTES),
      logger,
      extensions: [
        new DurableEngine({
          functionsKey,
          dataDir,
          store: durableStoreKind(env.FUNCTIONS_HOST_DURABLE_STORE),
          fsync: env.FUNCTIONS_HOST_DURABILITY !== 'none',
        }),
      ],
      unsupportedBindings: env.FUNCTIONS_HOST_UNSUPPORTED_BINDINGS === 'warn' ? 'warn' : 'fail',
    });
    await host.start();
    return {
      url: host.url,
      functionsKey,
      functions: host.functions.map((f) => f.name),
      storageConnectionString: env.AzureWebJobsStorage ?? '',
      cosmosEndpoint: env.COSMOS_ENDPOINT,
      serviceBusConnectionString: env.SERVICEBUS_CONNECTION || undefined,
      services,
      host,
      stop: async (graceMs = 10_000) => {
        await host.stop(graceMs);
        await services.stop();
      },
    };
  } catch (err) {
    await services.stop().catch(() => undefined);
    throw err;
  }
}

/** The blob endpoint of a connection string: enough to find the storage, without the account key. */
export function describeStorage(connectionString: string | undefined): string {
  const blob = /BlobEndpoint=([^;]+)/.exec(connectionString ?? '');
  return blob?.[1] ?? 'configured';
}

/**
 * A Service Bus connection string fit to print: whole for the local broker (its key is the
 * emulator's well-known one), only the endpoint otherwise.
 */
export function describeServiceBus(connectionString: string): string {
  if (/UseDevelopmentEmulator=true/i.test(connectionString)) return connectionString;
  const endpoint = /Endpoint=([^;]+)/i.exec(connectionString);
  return endpoint ? `Endpoint=${endpoint[1]}` : 'configured';
}

function durableStoreKind(value: string | undefined): TaskHubStoreKind {
  if (!value || value === 'journal') return 'journal';
  if (value === 'azure-storage') return value;
  throw new Error(`FUNCTIONS_HOST_DURABLE_STORE is "${value}": it takes journal or azure-storage.`);
}

function isDevelopmentStorage(value: string | undefined): boolean {
  return !!value && /^\s*UseDevelopmentStorage=true\s*;?\s*$/i.test(value);
}

function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}
