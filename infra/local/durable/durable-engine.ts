import type { QueueClient } from '@azure/storage-queue';
import type { RegisteredFunction } from '../host/function-registry';
import type { HostExtension, HostRuntime } from '../host/local-host';
import { describeError } from '../host/logger';
import { timeSpanMs } from '../host/host-settings';
import { ActivityRunner } from './activity-runner';
import type { DurableSettings, WorkTracker } from './durable-common';
import { DurableClient } from './durable-client';
import { registerDurableHttpApi } from './durable-http-api';
import { DurableStore, type ControlMessage, type ReceivedMessage, type WorkItem } from './durable-store';
import { EpisodeRunner } from './episode-runner';

/**
 * The local host's Durable Task engine: runs `df.app.orchestration` and `df.app.activity` functions
 * through `durable-functions`' own replay, with history and messages in Azure Storage (Azurite).
 * This extension wires three parts together and polls their queues: the client (the Durable HTTP API
 * and the `durableClient` binding), the episode runner (orchestrations, one episode at a time per
 * instance) and the activity runner. Every message is deleted only after its effects are stored, so
 * a killed host resumes every instance on restart (activities are at-least-once, as in Azure).
 */
export class DurableEngine implements HostExtension {
  readonly name = 'durable';
  readonly triggerTypes = ['orchestrationTrigger', 'activityTrigger', 'entityTrigger'];
  #runtime!: HostRuntime;
  #store!: DurableStore;
  #settings!: DurableSettings;
  #client!: DurableClient;
  #episodes!: EpisodeRunner;
  #activities!: ActivityRunner;
  #stopping = false;
  #loops: Promise<void>[] = [];
  #wakers = new Set<() => void>();
  #inFlight = new Set<Promise<unknown>>();

  constructor(private readonly functionsKey: string) {}

  attach(runtime: HostRuntime): void {
    this.#runtime = runtime;
    const durable = runtime.settings.durableTask;
    const storageProvider = (durable.storageProvider ?? {}) as Record<string, unknown>;
    this.#settings = {
      hubName: typeof durable.hubName === 'string' ? durable.hubName : 'TestHubName',
      maxConcurrentActivities: numberOr(durable.maxConcurrentActivityFunctions, 10),
      maxConcurrentOrchestrations: numberOr(durable.maxConcurrentOrchestratorFunctions, 10),
      controlVisibilitySeconds: Math.ceil(
        timeSpanMs(storageProvider.controlQueueVisibilityTimeout, 60_000) / 1000
      ),
      workItemVisibilitySeconds: Math.ceil(
        timeSpanMs(storageProvider.workItemQueueVisibilityTimeout, 60_000) / 1000
      ),
      maxPollingMs: timeSpanMs(storageProvider.maxQueuePollingInterval, 1000),
    };
    const store = (this.#store = new DurableStore(runtime.clients, undefined, this.#settings.hubName));
    const tracker = this.#tracker();
    const common = { store, settings: this.#settings, runtime, tracker };
    this.#activities = new ActivityRunner({ ...common, deliver: (d) => this.#episodes.deliver(d) });
    this.#episodes = new EpisodeRunner({
      ...common,
      activities: this.#activities,
      startNew: (name, instanceId, input, parent) => this.#client.startNew(name, instanceId, input, parent),
    });
    this.#client = new DurableClient({
      store,
      functionsKey: this.functionsKey,
      origin: () => runtime.http.url,
      orchestrator: (name) => this.#episodes.orchestrator(name),
      forget: (instanceId) => this.#episodes.forget(instanceId),
    });
    runtime.invoker.inputResolvers.set('durableclient', () =>
      Promise.resolve({ json: JSON.stringify(this.#client.clientData()) })
    );
    registerDurableHttpApi(runtime.http, this.#client);
  }

  get hubName(): string {
    return this.#settings.hubName;
  }

  get client(): DurableClient {
    return this.#client;
  }

  async start(functions: RegisteredFunction[]): Promise<void> {
    for (const fn of functions) {
      const type = (fn.trigger.type ?? '').toLowerCase();
      if (type === 'orchestrationtrigger') this.#episodes.register(fn);
      else if (type === 'activitytrigger') this.#activities.register(fn);
      else
        this.#runtime.logger.log(
          'warning',
          `[durable] ${fn.name}: entity functions are not run by the local host`
        );
    }
    // The library rewrites client URLs to localhost:7071 unless it knows the site's host name.
    process.env.WEBSITE_HOSTNAME ??= new URL(this.#runtime.http.url).host;
    await this.#store.init();
    this.#loops = [this.#controlLoop(), this.#workItemLoop()];
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    for (const wake of this.#wakers) wake();
    await Promise.all(this.#loops);
    await Promise.race([Promise.all([...this.#inFlight]), sleep(graceMs)]);
  }

  #tracker(): WorkTracker {
    return {
      track: (work) => {
        this.#inFlight.add(work);
        void work.finally(() => this.#inFlight.delete(work));
      },
      wake: () => {
        for (const wake of this.#wakers) wake();
      },
      stopping: () => this.#stopping,
    };
  }

  #controlLoop(): Promise<void> {
    return this.#pollLoop<ControlMessage>(
      this.#store.control,
      () => (this.#episodes.freeSlots > 0 ? 32 : 0),
      this.#settings.controlVisibilitySeconds,
      (message) =>
        this.#episodes.deliver({
          key: message.messageId,
          instanceId: message.body.instanceId,
          executionId: message.body.executionId,
          event: message.body.event,
          ack: () => this.#store.deleteMessage(this.#store.control, message),
        })
    );
  }

  #workItemLoop(): Promise<void> {
    return this.#pollLoop<WorkItem>(
      this.#store.workItems,
      () => this.#activities.freeSlots,
      this.#settings.workItemVisibilitySeconds,
      (item) => this.#activities.start(item)
    );
  }

  /** Receives while there is capacity, backing off (up to maxQueuePollingInterval) when idle. */
  async #pollLoop<T>(
    queue: QueueClient,
    capacity: () => number,
    visibilitySeconds: number,
    handle: (message: ReceivedMessage<T>) => void
  ): Promise<void> {
    let idleMs = 20;
    while (!this.#stopping) {
      const free = capacity();
      if (free <= 0) {
        await this.#wait(100);
        continue;
      }
      let messages: ReceivedMessage<T>[] = [];
      try {
        messages = await this.#store.receive<T>(queue, free, visibilitySeconds);
      } catch (err) {
        this.#runtime.logger.log('warning', `[durable] ${queue.name}: ${describeError(err)}`);
      }
      if (messages.length === 0) {
        await this.#wait(idleMs);
        idleMs = Math.min(idleMs * 2, this.#settings.maxPollingMs);
        continue;
      }
      idleMs = 20;
      for (const message of messages) handle(message);
    }
  }

  #wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakers.add(wake);
    });
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
