import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { RegisteredFunction } from './function-registry';
import { resolveAppSettings } from './binding-expressions';
import { bindingString } from './core-types';
import type { HostSettings } from './host-settings';
import type { Invoker } from './invoker';
import { describeError, type HostLogger } from './logger';
import { decodeMessage, MessageEncoding, MessageEncodingError } from './queue-encoding';
import type { QueueEvents } from './queue-events';
import type { StorageClients } from './storage-clients';
import { stringData } from './typed-data';

const minPollMs = 50;

/**
 * A queue trigger with the Functions host's semantics: base64 text, batches, a dequeue count per
 * message, a retry delay (host.json `visibilityTimeout`) and `<queue>-poison` after `maxDequeueCount`.
 */
export class QueueListener {
  #queue: QueueClient;
  #poison: QueueClient;
  #active = 0;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #inFlight = new Map<string, { popReceipt: string; finished: Promise<void> }>();
  #events: QueueEvents;
  #unsubscribe: (() => void) | undefined;
  #woken = false;

  constructor(
    private readonly fn: RegisteredFunction,
    clients: StorageClients,
    /** `leaseSeconds`: while a message is handled it stays invisible this long, renewed at half-time. */
    private readonly settings: HostSettings['queues'] & {
      messageEncoding: MessageEncoding;
      leaseSeconds: number;
    },
    private readonly invoker: Invoker,
    private readonly logger: HostLogger
  ) {
    const queueName = resolveAppSettings(bindingString(fn.trigger, 'queueName')).toLowerCase();
    const service = clients.queueService(fn.trigger.connection);
    this.#queue = service.getQueueClient(queueName);
    this.#poison = service.getQueueClient(`${queueName}-poison`);
    this.#events = clients.queueEvents(fn.trigger.connection);
  }

  get queueName(): string {
    return this.#queue.name;
  }

  async start(): Promise<void> {
    await this.#queue.createIfNotExists();
    this.#unsubscribe = this.#events.subscribe(this.queueName, () => this.#wakeUp());
    this.#loop = this.#run();
  }

  /** Stops fetching, waits for handlers up to `graceMs`, then makes unfinished messages visible again. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#unsubscribe?.();
    this.#wake?.();
    await this.#loop;
    const pending = [...this.#inFlight.values()].map((m) => m.finished);
    await Promise.race([Promise.all(pending), sleep(graceMs)]);
    await Promise.all(
      [...this.#inFlight.entries()].map(([id, m]) =>
        this.#queue.updateMessage(id, m.popReceipt, undefined, 0).catch(() => undefined)
      )
    );
  }

  async #run(): Promise<void> {
    let idleMs = minPollMs;
    while (!this.#stopping) {
      if (this.#active > this.settings.newBatchThreshold) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      let messages: DequeuedMessageItem[];
      try {
        const answer = await this.#queue.receiveMessages({
          numberOfMessages: this.settings.batchSize,
          visibilityTimeout: this.settings.leaseSeconds,
        });
        messages = answer.receivedMessageItems;
      } catch (err) {
        this.logger.log(
          'warning',
          `[${this.fn.name}] receiving from "${this.queueName}" failed: ${describeError(err)}`
        );
        messages = [];
      }
      if (messages.length === 0) {
        if (this.#woken) idleMs = minPollMs;
        this.#woken = false;
        await this.#idle(idleMs);
        idleMs = this.#woken ? minPollMs : Math.min(idleMs * 2, this.settings.maxPollingIntervalMs);
        continue;
      }
      idleMs = minPollMs;
      for (const message of messages) this.#track(message);
    }
  }

  /** A message came: poll now, and from the shortest interval again. */
  #wakeUp(): void {
    this.#woken = true;
    this.#wake?.();
  }

  #idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #track(message: DequeuedMessageItem) {
    this.#active++;
    const entry = { popReceipt: message.popReceipt, finished: Promise.resolve() };
    this.#inFlight.set(message.messageId, entry);
    entry.finished = this.#process(message, entry).finally(() => {
      this.#inFlight.delete(message.messageId);
      this.#active--;
      this.#wake?.();
    });
  }

  async #process(message: DequeuedMessageItem, lease: { popReceipt: string }): Promise<void> {
    if (message.dequeueCount > this.settings.maxDequeueCount) {
      return this.#moveToPoison(message, lease.popReceipt, 'its dequeue count is past the limit');
    }
    const renew = setInterval(
      () => {
        this.#queue
          .updateMessage(message.messageId, lease.popReceipt, undefined, this.settings.leaseSeconds)
          .then((r) => {
            if (r.popReceipt) lease.popReceipt = r.popReceipt;
          })
          .catch(() => undefined);
      },
      (this.settings.leaseSeconds * 1000) / 2
    );
    renew.unref();
    try {
      const text = decodeMessage(message.messageText, this.settings.messageEncoding);
      await this.invoker.invoke(this.fn, {
        data: stringData(text),
        triggerMetadata: {
          Id: stringData(message.messageId),
          DequeueCount: { int: message.dequeueCount },
          InsertionTime: stringData(message.insertedOn.toISOString()),
          ExpirationTime: stringData(message.expiresOn.toISOString()),
          NextVisibleTime: stringData(message.nextVisibleOn.toISOString()),
          PopReceipt: stringData(lease.popReceipt),
          QueueTrigger: stringData(text),
        },
        bindingData: {
          ...parsedObject(text),
          id: message.messageId,
          queueTrigger: text,
          dequeueCount: message.dequeueCount,
        },
        retryContext: {
          retryCount: message.dequeueCount - 1,
          maxRetryCount: this.settings.maxDequeueCount - 1,
        },
      });
      clearInterval(renew);
      await this.#queue.deleteMessage(message.messageId, lease.popReceipt);
    } catch (err) {
      clearInterval(renew);
      this.logger.log(
        'error',
        `[${this.fn.name}] message ${message.messageId} failed (attempt ${message.dequeueCount}): ${describeError(err)}`
      );
      if (err instanceof MessageEncodingError || message.dequeueCount >= this.settings.maxDequeueCount) {
        return this.#moveToPoison(message, lease.popReceipt, describeError(err));
      }
      await this.#queue
        .updateMessage(
          message.messageId,
          lease.popReceipt,
          undefined,
          Math.ceil(this.settings.visibilityTimeoutMs / 1000)
        )
        .catch(() => undefined);
    }
  }

  async #moveToPoison(message: DequeuedMessageItem, popReceipt: string, why: string) {
    await this.#poison.createIfNotExists();
    await this.#poison.sendMessage(message.messageText);
    await this.#queue.deleteMessage(message.messageId, popReceipt);
    this.logger.log(
      'warning',
      `[${this.fn.name}] message ${message.messageId} moved to "${this.#poison.name}": ${why}`
    );
  }
}

function parsedObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
