import type { ServiceBusClient, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { resolveAppSettings } from './binding-expressions';
import type { RpcTypedData } from './core-types';
import { bindingString } from './core-types';
import type { RegisteredFunction } from './function-registry';
import type { HostSettings } from './host-settings';
import type { Invoker } from './invoker';
import { ServiceBusClients } from './service-bus-clients';
import { describeError, type HostLogger } from './logger';
import { jsonData, stringData } from './typed-data';

/**
 * A Service Bus trigger (`app.serviceBusQueue`, `app.serviceBusTopic`) with the Functions host's
 * semantics, through the `@azure/service-bus` client as in Azure: peek-lock, the lock renewed while
 * the handler runs, complete on success, abandon on a throw (so the entity's max delivery count
 * dead-letters a message that keeps failing), `maxConcurrentCalls` handlers at once.
 */
export class ServiceBusListener {
  #client: ServiceBusClient;
  #receiver: ServiceBusReceiver;
  #subscription: { close(): Promise<void> } | undefined;
  #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly fn: RegisteredFunction,
    private readonly settings: HostSettings['serviceBus'],
    clients: ServiceBusClients,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger
  ) {
    const connectionName = bindingString(fn.trigger, 'connection') || 'AzureWebJobsServiceBus';
    const connection = ServiceBusClients.connectionOf(connectionName);
    if (!connection) {
      throw new Error(
        `Function "${fn.name}": the Service Bus connection setting "${connectionName}" has no value.`
      );
    }
    this.#client = clients.client(connection);
    const queueName = bindingString(fn.trigger, 'queueName');
    const receiveOptions = { maxAutoLockRenewalDurationInMs: settings.maxAutoLockRenewalDurationMs };
    this.#receiver = queueName
      ? this.#client.createReceiver(resolveAppSettings(queueName), receiveOptions)
      : this.#client.createReceiver(
          resolveAppSettings(bindingString(fn.trigger, 'topicName')),
          resolveAppSettings(bindingString(fn.trigger, 'subscriptionName')),
          receiveOptions
        );
  }

  get entityPath(): string {
    return this.#receiver.entityPath;
  }

  start(): Promise<void> {
    this.#subscription = this.#receiver.subscribe(
      {
        processMessage: (message) => this.#track(message),
        processError: (args) => {
          this.logger.log(
            'warning',
            `[${this.fn.name}] receiving from "${this.entityPath}" failed: ${describeError(args.error)}`
          );
          return Promise.resolve();
        },
      },
      { autoCompleteMessages: false, maxConcurrentCalls: this.settings.maxConcurrentCalls }
    );
    return Promise.resolve();
  }

  /**
   * Stops receiving and waits for handlers up to `graceMs`. Messages left unsettled come back when
   * the receiver link closes (the local broker) or when their lock runs out (Azure).
   */
  async stop(graceMs: number): Promise<void> {
    await this.#subscription?.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.#inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    // The client is shared with other triggers and output bindings; the host closes it.
    await this.#receiver.close();
  }

  #track(message: ServiceBusReceivedMessage): Promise<void> {
    const handled = this.#process(message);
    this.#inFlight.add(handled);
    return handled.finally(() => this.#inFlight.delete(handled));
  }

  async #process(message: ServiceBusReceivedMessage): Promise<void> {
    // The client's delivery count is the number of earlier deliveries; the Functions host's starts at 1.
    const deliveryCount = (message.deliveryCount ?? 0) + 1;
    try {
      await this.invoker.invoke(this.fn, {
        data: bodyData(message.body),
        triggerMetadata: triggerMetadata(message, deliveryCount),
        bindingData: {
          ...(isObject(message.body) ? message.body : {}),
          messageId: message.messageId,
          deliveryCount,
          applicationProperties: message.applicationProperties ?? {},
        },
      });
    } catch (err) {
      this.logger.log(
        'error',
        `[${this.fn.name}] message ${String(message.messageId)} failed (delivery ${deliveryCount}): ${describeError(err)}`
      );
      await this.#receiver
        .abandonMessage(message)
        .catch((abandonErr: unknown) =>
          this.logger.log('warning', `[${this.fn.name}] abandon failed: ${describeError(abandonErr)}`)
        );
      return;
    }
    await this.#receiver
      .completeMessage(message)
      .catch((err: unknown) =>
        this.logger.log(
          'warning',
          `[${this.fn.name}] completing message ${String(message.messageId)} failed: ${describeError(err)}`
        )
      );
  }
}

/** The body as the Functions host hands it over: text (JSON parsed by the worker when it is JSON) or bytes. */
function bodyData(body: unknown): RpcTypedData {
  if (Buffer.isBuffer(body)) return { bytes: body };
  if (typeof body === 'string') return stringData(body);
  return jsonData(body);
}

function triggerMetadata(
  message: ServiceBusReceivedMessage,
  deliveryCount: number
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {
    DeliveryCount: { int: deliveryCount },
    ApplicationProperties: jsonData(message.applicationProperties ?? {}),
    UserProperties: jsonData(message.applicationProperties ?? {}),
  };
  const text: Record<string, string | number | Buffer | undefined> = {
    MessageId: message.messageId,
    CorrelationId: message.correlationId,
    ContentType: message.contentType,
    Subject: message.subject,
    Label: message.subject,
    To: message.to,
    ReplyTo: message.replyTo,
    SessionId: message.sessionId,
    LockToken: message.lockToken,
    SequenceNumber: message.sequenceNumber?.toString(),
    DeadLetterSource: message.deadLetterSource,
    EnqueuedTimeUtc: message.enqueuedTimeUtc?.toISOString(),
    ExpiresAtUtc: message.expiresAtUtc?.toISOString(),
    LockedUntilUtc: message.lockedUntilUtc?.toISOString(),
  };
  for (const [key, value] of Object.entries(text)) {
    if (value !== undefined && value !== null) metadata[key] = stringData(String(value));
  }
  return metadata;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}
