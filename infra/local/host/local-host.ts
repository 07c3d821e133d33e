import { BlobListener } from './blob-listener';
import type { RegisteredFunction } from './function-registry';
import { FunctionRegistry } from './function-registry';
import { readHostSettings, type HostSettings } from './host-settings';
import { HttpTriggerServer } from './http-server';
import { installCoreApi } from './install-core-api';
import { Invoker } from './invoker';
import { describeError, type HostLogger } from './logger';
import type { MessageEncoding } from './queue-encoding';
import { QueueListener } from './queue-listener';
import { ServiceBusClients } from './service-bus-clients';
import { ServiceBusListener } from './service-bus-listener';
import { registerStorageBindings } from './storage-bindings';
import { StorageClients } from './storage-clients';
import { TimerScheduler } from './timer-scheduler';

export interface LocalHostOptions {
  /** The built app's entry modules (package.json `main`, globs expanded), which register every function. */
  appEntry: string | string[];
  /** The app's root directory (what `appStart` hooks see as `functionAppDirectory`). */
  appRoot?: string;
  hostJsonPath?: string;
  host?: string;
  port: number;
  functionsKey: string;
  hostId?: string;
  blobPollMs?: number;
  queueLeaseSeconds?: number;
  /** Overrides host.json's `extensions.http.maxRequestBodySize`. */
  maxBodyBytes?: number;
  logger: HostLogger;
  extensions?: HostExtension[];
  /** What a binding the host does not provide does: fail the start (default) or warn. */
  unsupportedBindings?: 'fail' | 'warn';
}

/** What an extension (the durable engine) gets to work with. */
export interface HostRuntime {
  registry: FunctionRegistry;
  invoker: Invoker;
  http: HttpTriggerServer;
  clients: StorageClients;
  settings: HostSettings;
  logger: HostLogger;
}

/** Runs the functions of some trigger types (e.g. orchestrationTrigger, activityTrigger). */
export interface HostExtension {
  name: string;
  triggerTypes: string[];
  /** Called before the HTTP server listens: register input resolvers and system routes here. */
  attach(runtime: HostRuntime): void;
  start(functions: RegisteredFunction[]): Promise<void>;
  stop(graceMs: number): Promise<void>;
}

/** The app uses a binding the host does not provide: reported at start, naming function and binding. */
export class UnsupportedBindingsError extends Error {}

interface Driver {
  stop(graceMs: number): Promise<void>;
}

/**
 * The local Functions host: loads the app through `@azure/functions-core`, serves its HTTP triggers
 * and runs its queue, blob and timer triggers against Azure Storage (Azurite here) and its Service
 * Bus triggers against a Service Bus namespace (the local broker here).
 */
export class LocalFunctionsHost {
  readonly registry: FunctionRegistry;
  readonly invoker: Invoker;
  readonly http: HttpTriggerServer;
  readonly settings: HostSettings;
  #clients = new StorageClients();
  #serviceBus = new ServiceBusClients();
  #drivers: Driver[] = [];
  #uninstall: (() => void) | undefined;
  #stopped = false;

  constructor(private readonly options: LocalHostOptions) {
    const logger = options.logger;
    this.settings = readHostSettings(options.hostJsonPath);
    this.registry = new FunctionRegistry((level, message) => logger.log(level, `[host] ${message}`));
    this.invoker = new Invoker(this.registry, logger);
    this.http = new HttpTriggerServer(
      {
        host: options.host ?? '127.0.0.1',
        port: options.port,
        routePrefix: this.settings.routePrefix,
        maxBodyBytes: options.maxBodyBytes ?? this.settings.maxRequestBodySize,
        functionsKey: options.functionsKey,
      },
      this.invoker,
      logger
    );
  }

  get url(): string {
    return this.http.url;
  }

  get functions(): RegisteredFunction[] {
    return [...this.registry.functions.values()];
  }

  async start(): Promise<void> {
    const { logger } = this.options;
    this.#uninstall = installCoreApi(this.registry.coreApi());
    // The app registers its functions as a side effect of loading, as in the Node worker.
    const entries = Array.isArray(this.options.appEntry) ? this.options.appEntry : [this.options.appEntry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const entry of entries) require(entry);
    const encoding = messageEncoding(this.settings);
    registerStorageBindings(this.invoker, this.#clients, encoding, this.#serviceBus);
    // Last to stop: handlers finishing during the others' grace may still send.
    this.#drivers.push({ stop: () => this.#serviceBus.close() });
    const runtime: HostRuntime = {
      registry: this.registry,
      invoker: this.invoker,
      http: this.http,
      clients: this.#clients,
      settings: this.settings,
      logger,
    };
    const extensions = this.options.extensions ?? [];
    for (const extension of extensions) extension.attach(runtime);

    for (const hook of this.registry.hooksOf('appStart')) {
      await hook({
        hookData: {},
        appHookData: {},
        functionAppDirectory: this.options.appRoot ?? process.cwd(),
      });
    }

    const byTrigger = new Map<string, RegisteredFunction[]>();
    const unsupported: string[] = [];
    for (const fn of this.functions) {
      const type = (fn.trigger.type ?? '').toLowerCase();
      byTrigger.set(type, [...(byTrigger.get(type) ?? []), fn]);
      for (const binding of this.invoker.unsupportedBindings(fn)) unsupported.push(`${fn.name}: ${binding}`);
    }
    // A binding nobody carries out would fail every invocation; say so now rather than at the first call.
    if (unsupported.length > 0) {
      const list = `The local host does not support these bindings:\n  ${unsupported.join('\n  ')}`;
      if (this.options.unsupportedBindings === 'warn') {
        logger.log('warning', `[host] ${list}\n(those functions fail when they run)`);
      } else {
        this.#uninstall?.();
        throw new UnsupportedBindingsError(
          `${list}\nRemove those functions, or set FUNCTIONS_HOST_UNSUPPORTED_BINDINGS=warn to start ` +
            'anyway (they then fail when they run).'
        );
      }
    }
    const take = (type: string) => {
      const list = byTrigger.get(type) ?? [];
      byTrigger.delete(type);
      return list;
    };

    for (const fn of take('httptrigger')) this.http.addFunction(fn);
    const hostId = this.options.hostId ?? 'functions-app';
    const queueSettings = {
      ...this.settings.queues,
      messageEncoding: encoding,
      leaseSeconds: this.options.queueLeaseSeconds ?? 60,
    };
    const queues = take('queuetrigger').map(
      (fn) => new QueueListener(fn, this.#clients, queueSettings, this.invoker, logger)
    );
    const blobs = take('blobtrigger').map(
      (fn) =>
        new BlobListener(fn, this.#clients, hostId, this.options.blobPollMs ?? 1000, this.invoker, logger)
    );
    const serviceBus = take('servicebustrigger').map(
      (fn) => new ServiceBusListener(fn, this.settings.serviceBus, this.#serviceBus, this.invoker, logger)
    );
    const timers = take('timertrigger').map(
      (fn) => new TimerScheduler(fn, this.#clients, hostId, this.invoker, logger)
    );
    const extensionFunctions = extensions.map((e) => ({
      e,
      fns: e.triggerTypes.flatMap((t) => take(t.toLowerCase())),
    }));
    for (const [type, fns] of byTrigger) {
      logger.log(
        'warning',
        `[host] trigger "${type}" is not run by the local host: ${fns.map((f) => f.name).join(', ')}`
      );
    }

    await this.http.listen();
    this.#drivers.push(this.http.asDriver());
    for (const listener of [...queues, ...serviceBus, ...blobs, ...timers]) {
      await listener.start();
      this.#drivers.push(listener);
    }
    for (const { e, fns } of extensionFunctions) {
      await e.start(fns);
      this.#drivers.push(e);
    }
  }

  /** Graceful stop: no new work, in-flight work finishes or is released, appTerminate hooks run. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const driver of [...this.#drivers].reverse()) {
      await driver
        .stop(graceMs)
        .catch((err) =>
          this.options.logger.log('warning', `[host] stopping a trigger failed: ${describeError(err)}`)
        );
    }
    for (const hook of this.registry.hooksOf('appTerminate')) {
      await Promise.resolve(hook({ hookData: {}, appHookData: {} })).catch(() => undefined);
    }
    this.#uninstall?.();
  }
}

function messageEncoding(settings: HostSettings): MessageEncoding {
  return settings.queueMessageEncoding === 'none' ? 'none' : 'base64';
}
