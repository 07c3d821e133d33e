import type { AddressInfo, Server } from 'node:net';
import rhea, { type Container, type EventContext, type Message } from 'rhea';
import {
  deadLettered,
  longValue,
  messagesOfTransfer,
  outgoingMessage,
  scheduledTimeOf,
} from './amqp-messages';
import { EntityNotFoundError, MessageStore, type MessageEntity } from './message-store';
import type { Topology } from './topology';

/**
 * The development-emulator connection string of a broker: plain AMQP on that port. The key is the
 * emulator's well-known placeholder; the broker accepts any token.
 */
export function serviceBusConnectionString(host: string, port: number): string {
  return `Endpoint=sb://${host}:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true`;
}

/** The parts of rhea's link, delivery and connection objects used here (its typings leave them out). */
interface Link {
  name: string;
  remote: {
    attach?: {
      source?: { address?: string };
      target?: { address?: string };
      snd_settle_mode?: number;
      rcv_settle_mode?: number;
    };
  };
  local: { attach: { max_message_size?: number; snd_settle_mode?: number; rcv_settle_mode?: number } };
  connection: Connection;
  session: { outgoing: Outgoing };
  credit: number;
  set_source(source: { address?: string }): void;
  set_target(target: { address?: string }): void;
  send(message: Message, tag?: Buffer): Delivery;
  set_drained(drained: boolean): void;
  close(error?: { condition: string; description: string }): void;
  is_open(): boolean;
}
interface Outgoing {
  next_pending_delivery: number;
  next_delivery_id: number;
  deliveries: { by_id(id: number): { link: unknown } | undefined };
  available(): number;
}
interface Delivery {
  format?: number;
  remote_state?: { error?: { info?: Record<string, unknown> }; undeliverable_here?: boolean };
  remote_settled: boolean;
  update(settled: boolean, state?: unknown): void;
  /** Set by the broker on deliveries it sends in peek-lock mode. */
  lockToken?: string;
}
interface Connection {
  find_sender(filter: (sender: Link) => boolean): Link | undefined;
}

interface Consumer {
  link: Link;
  entity: MessageEntity;
  mode: 'peekLock' | 'receiveAndDelete';
}

export interface ServiceBusBrokerOptions {
  host?: string;
  port?: number;
  /** Where the journal lives. */
  directory: string;
  topology: Topology;
  /** fsync each group of journal writes (default true). */
  fsync?: boolean;
  compactAtBytes?: number;
  /** How often expired locks and due scheduled messages are looked for. */
  sweepMs?: number;
}

export interface ServiceBusBroker {
  port: number;
  /** What `@azure/service-bus` takes (development-emulator mode: plain AMQP, no TLS). */
  connectionString: string;
  close(): Promise<void>;
}

/** Standard tier's limit; the SDK sizes its batches by what the link's attach announces. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * An AMQP 1.0 broker that speaks the part of Azure Service Bus the `@azure/service-bus` client uses:
 * SASL anonymous/plain, claims-based authorization (`$cbs`, every token accepted), sends to queues
 * and topics (batched transfers included), peek-lock and receive-and-delete receivers on queues,
 * subscriptions and their dead-letter queues, settlement by disposition, and the `$management`
 * operations renew-lock, schedule-message, cancel-scheduled-message and peek-message.
 */
export async function startServiceBusBroker(options: ServiceBusBrokerOptions): Promise<ServiceBusBroker> {
  const store = await MessageStore.open({
    directory: options.directory,
    topology: options.topology,
    fsync: options.fsync ?? true,
    compactAtBytes: options.compactAtBytes,
    deadLetterRewrite: deadLettered,
  });
  const consumers = new Map<MessageEntity, Set<Consumer>>();
  const consumerOf = new Map<Link, Consumer>();
  const linksOf = new Map<Connection, Set<Link>>();

  const pump = (entity: MessageEntity) => {
    for (const consumer of consumers.get(entity) ?? []) deliver(consumer);
  };
  store.onAvailable = pump;

  const deliver = (consumer: Consumer) => {
    const { link, entity, mode } = consumer;
    if (!link.is_open()) return;
    let room = Math.min(link.credit - unsent(link), link.session.outgoing.available());
    while (room > 0) {
      const taken = store.take(entity, consumer, mode);
      if (!taken) return;
      room--;
      if (mode === 'receiveAndDelete') {
        link.send(outgoingMessage(taken.message, {}));
        continue;
      }
      const delivery = link.send(
        outgoingMessage(taken.message, { lockedUntil: taken.lockedUntil }),
        lockTokenTag(taken.lockToken)
      );
      delivery.lockToken = taken.lockToken;
    }
  };

  const container: Container = rhea.create_container({
    // Sends are acknowledged, and dispositions confirmed, only once the journal has them.
    autoaccept: false,
    autosettle: false,
    treat_modified_as_released: false,
  });
  const mechanisms = container.sasl_server_mechanisms as unknown as {
    enable_anonymous(): void;
    enable_plain(verify: () => boolean): void;
  };
  mechanisms.enable_anonymous();
  mechanisms.enable_plain(() => true);

  const track = (link: Link) => {
    const set = linksOf.get(link.connection) ?? new Set<Link>();
    set.add(link);
    linksOf.set(link.connection, set);
  };
  const forget = (link: Link) => {
    linksOf.get(link.connection)?.delete(link);
    const consumer = consumerOf.get(link);
    if (!consumer) return;
    consumerOf.delete(link);
    consumers.get(consumer.entity)?.delete(consumer);
    store.releaseAll(consumer);
  };

  container.on('sender_open', (context: EventContext) => {
    const link = context.sender as unknown as Link;
    const address = link.remote.attach?.source?.address ?? '';
    link.set_source({ address });
    link.set_target({ address: link.remote.attach?.target?.address });
    track(link);
    if (address === '$cbs' || address.endsWith('/$management')) {
      // Replies go out settled: nobody settles them later.
      link.local.attach.snd_settle_mode = 1;
      return;
    }
    let entity: MessageEntity;
    try {
      entity = store.entity(address);
    } catch (err) {
      link.close({ condition: 'amqp:not-found', description: (err as Error).message });
      return;
    }
    const mode = link.remote.attach?.snd_settle_mode === 1 ? 'receiveAndDelete' : 'peekLock';
    link.local.attach.snd_settle_mode = mode === 'receiveAndDelete' ? 1 : 0;
    link.local.attach.rcv_settle_mode = mode === 'receiveAndDelete' ? 0 : 1;
    const consumer: Consumer = { link, entity, mode };
    consumerOf.set(link, consumer);
    const set = consumers.get(entity) ?? new Set<Consumer>();
    set.add(consumer);
    consumers.set(entity, set);
  });

  container.on('receiver_open', (context: EventContext) => {
    const link = context.receiver as unknown as Link;
    const address = link.remote.attach?.target?.address ?? '';
    link.set_target({ address });
    link.local.attach.max_message_size = MAX_MESSAGE_BYTES;
    track(link);
    if (address !== '$cbs' && !address.endsWith('/$management') && !store.hasDestination(address)) {
      link.close({
        condition: 'amqp:not-found',
        description: `The messaging entity '${address}' could not be found.`,
      });
    }
  });

  const sendable = (context: EventContext) => {
    const consumer = consumerOf.get(context.sender as unknown as Link);
    if (consumer) deliver(consumer);
  };
  container.on('sendable', sendable);
  container.on('sender_draining', (context: EventContext) => {
    sendable(context);
    // Whatever credit is left is used up: the receiver asked for what there is now, not to wait.
    (context.sender as unknown as Link).set_drained(true);
  });

  for (const event of ['sender_close', 'receiver_close', 'sender_error', 'receiver_error']) {
    container.on(event, (context: EventContext) =>
      forget((context.sender ?? context.receiver) as unknown as Link)
    );
  }
  const dropConnection = (context: EventContext) => {
    const connection = context.connection as unknown as Connection;
    for (const link of linksOf.get(connection) ?? []) forget(link);
    linksOf.delete(connection);
  };
  container.on('disconnected', dropConnection);
  container.on('connection_close', dropConnection);
  container.on('connection_error', dropConnection);
  // An error event without a listener would be thrown; a client that goes away is not an error here.
  container.on('error', () => undefined);

  container.on('message', (context: EventContext) => {
    const link = context.receiver as unknown as Link;
    const address = link.remote.attach?.target?.address ?? '';
    const delivery = context.delivery as unknown as Delivery;
    const request = context.message as Message;
    if (address === '$cbs') {
      settle(delivery, outcomes.accepted());
      reply(link, request, 202, 'Accepted');
      return;
    }
    if (address.endsWith('/$management')) {
      settle(delivery, outcomes.accepted());
      const entityPath = address.slice(0, -'/$management'.length);
      manage(store, entityPath, request).then(
        (answer) => reply(link, request, answer.status, answer.description, answer.body, answer.condition),
        (err: unknown) =>
          reply(
            link,
            request,
            err instanceof EntityNotFoundError ? 404 : 500,
            (err as Error).message,
            undefined,
            err instanceof EntityNotFoundError ? err.condition : 'amqp:internal-error'
          )
      );
      return;
    }
    let parts: ReturnType<typeof messagesOfTransfer>;
    try {
      parts = messagesOfTransfer(context.message as unknown as Message | Buffer, delivery.format);
    } catch (err) {
      settle(
        delivery,
        outcomes.rejected({ error: { condition: 'amqp:decode-error', description: String(err) } })
      );
      return;
    }
    store
      .send(
        address,
        parts.map(({ data, routing, message }) => ({ data, routing, visibleAt: scheduledTimeOf(message) }))
      )
      .then(
        () => settle(delivery, outcomes.accepted()),
        (err: unknown) =>
          settle(
            delivery,
            outcomes.rejected({
              error: {
                condition: err instanceof EntityNotFoundError ? err.condition : 'amqp:internal-error',
                description: String(err),
              },
            })
          )
      );
  });

  // Settlement of what a peek-lock receiver got.
  const onDisposition =
    (kind: 'complete' | 'abandon' | 'deadLetter' | 'release') => (context: EventContext) => {
      const delivery = context.delivery as unknown as Delivery;
      const token = delivery.lockToken;
      if (!token) return;
      delivery.lockToken = undefined;
      const state = delivery.remote_state;
      let done: Promise<void>;
      try {
        if (kind === 'complete') done = store.complete(token);
        else if (kind === 'abandon') {
          // Abandon is `modified` with undeliverable-here false; defer (true) is not supported.
          if (state?.undeliverable_here) {
            store.release(token);
            settle(
              delivery,
              outcomes.rejected({
                error: {
                  condition: 'amqp:not-implemented',
                  description: 'Deferral is not supported by this broker.',
                },
              })
            );
            return;
          }
          done = store.abandon(token);
        } else if (kind === 'deadLetter') {
          const { DeadLetterReason, DeadLetterErrorDescription, ...properties } = state?.error?.info ?? {};
          done = store.deadLetter(
            token,
            typeof DeadLetterReason === 'string' ? DeadLetterReason : 'DeadLetteredByReceiver',
            typeof DeadLetterErrorDescription === 'string' ? DeadLetterErrorDescription : undefined,
            properties
          );
        } else {
          store.release(token);
          done = Promise.resolve();
        }
      } catch (err) {
        done = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      done.then(
        () => settle(delivery, outcomeOf(kind)),
        (err: unknown) =>
          settle(
            delivery,
            outcomes.rejected({
              error: {
                condition: (err as { condition?: string }).condition ?? 'amqp:internal-error',
                description: (err as Error).message,
              },
            })
          )
      );
    };
  container.on('accepted', onDisposition('complete'));
  container.on('modified', onDisposition('abandon'));
  container.on('rejected', onDisposition('deadLetter'));
  container.on('released', onDisposition('release'));

  const server: Server = container.listen({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const sweep = setInterval(() => store.sweep(), options.sweepMs ?? 100);
  sweep.unref();
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    port,
    connectionString: serviceBusConnectionString(host, port),
    close: async () => {
      clearInterval(sweep);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open client connections would keep the server from closing.
        for (const connection of linksOf.keys()) (connection as unknown as { close(): void }).close();
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await store.close();
    },
  };
}

/** AMQP delivery outcomes (rhea's typings leave these out). */
interface Outcome {
  described(): unknown;
}
const outcomes = rhea.message as unknown as {
  accepted(): Outcome;
  released(): Outcome;
  rejected(fields: { error?: { condition: string; description: string } }): Outcome;
  modified(fields: { delivery_failed?: boolean }): Outcome;
};

function outcomeOf(kind: 'complete' | 'abandon' | 'deadLetter' | 'release'): Outcome {
  if (kind === 'complete') return outcomes.accepted();
  if (kind === 'abandon') return outcomes.modified({ delivery_failed: true });
  if (kind === 'deadLetter') return outcomes.rejected({});
  return outcomes.released();
}

/** Settles a delivery (with its outcome) and forgets it: the peer has nothing left to say about it. */
function settle(delivery: Delivery, outcome: Outcome): void {
  delivery.update(true, outcome.described());
  delivery.remote_settled = true;
}

function reply(
  requestLink: Link,
  request: Message,
  status: number,
  description: string,
  body?: unknown,
  condition?: string
): void {
  const replyTo = request.reply_to;
  const address = requestLink.remote.attach?.target?.address;
  const link =
    requestLink.connection.find_sender((s) => s.remote.attach?.target?.address === replyTo) ??
    requestLink.connection.find_sender((s) => s.name === replyTo) ??
    requestLink.connection.find_sender((s) => s.remote.attach?.source?.address === address);
  link?.send({
    to: replyTo,
    correlation_id: request.message_id,
    application_properties: {
      statusCode: status,
      statusDescription: description,
      ...(condition ? { errorCondition: condition } : {}),
    },
    body,
  });
}

/** Deliveries this broker queued on a link that have not gone out yet (they hold credit already). */
function unsent(link: Link): number {
  const outgoing = link.session.outgoing;
  let count = 0;
  for (let id = outgoing.next_pending_delivery; id < outgoing.next_delivery_id; id++) {
    if (outgoing.deliveries.by_id(id)?.link === link) count++;
  }
  return count;
}

/**
 * The delivery tag of a locked message: its lock token's GUID bytes in .NET order (the first three
 * groups byte-swapped), which is how the client reads a lock token from a tag.
 */
function lockTokenTag(token: string): Buffer {
  const b = Buffer.from(token.replace(/-/g, ''), 'hex');
  return Buffer.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8)]);
}

interface ManagementAnswer {
  status: number;
  description: string;
  body?: unknown;
  condition?: string;
}

/** The `$management` operations the SDK calls; the rest answer "not implemented". */
async function manage(store: MessageStore, entityPath: string, request: Message): Promise<ManagementAnswer> {
  const operation = String(request.application_properties?.operation ?? '');
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (operation) {
    case 'com.microsoft:renew-lock': {
      store.entity(entityPath);
      try {
        const expirations = asList(body['lock-tokens']).map(
          (token) => new Date(store.renewLock(uuidString(token)))
        );
        return { status: 200, description: 'OK', body: { expirations } };
      } catch (err) {
        return {
          status: 410,
          description: (err as Error).message,
          condition: 'com.microsoft:message-lock-lost',
        };
      }
    }
    case 'com.microsoft:schedule-message': {
      const entries = asList(body.messages) as { message: Buffer }[];
      const messages = entries.flatMap(({ message: bytes }) =>
        messagesOfTransfer(bytes, undefined).map(({ data, routing, message }) => ({
          data,
          routing,
          visibleAt: scheduledTimeOf(message),
        }))
      );
      const sequenceNumbers = await store.send(entityPath, messages);
      return {
        status: 200,
        description: 'OK',
        body: { 'sequence-numbers': rhea.types.wrap_array(sequenceNumbers.map(longBytes), 0x81, undefined) },
      };
    }
    case 'com.microsoft:cancel-scheduled-message': {
      await store.cancelScheduled(entityPath, asList(body['sequence-numbers']).map(longValue));
      return { status: 200, description: 'OK', body: {} };
    }
    case 'com.microsoft:peek-message': {
      const entity = store.entity(entityPath);
      const from = longValue(body['from-sequence-number'] ?? 0);
      const count = Number(body['message-count'] ?? 1);
      const peeked = store.peek(entity, from, count);
      if (peeked.length === 0) return { status: 204, description: 'No messages' };
      return {
        status: 200,
        description: 'OK',
        body: {
          messages: peeked.map(({ message, scheduled }) => ({
            message: rhea.message.encode(outgoingMessage(message, { scheduled })),
          })),
        },
      };
    }
    default:
      return {
        status: 501,
        description: `The operation '${operation}' is not supported by this broker.`,
        condition: 'amqp:not-implemented',
      };
  }
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function uuidString(value: unknown): string {
  return Buffer.isBuffer(value) ? rhea.uuid_to_string(value) : String(value);
}

function longBytes(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}
