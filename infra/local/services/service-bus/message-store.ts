import { randomBytes } from 'node:crypto';
import { WriteAheadJournal } from '../../durable/write-ahead-journal';
import type { CorrelationFilter, EntitySettings, Topology } from './topology';

/** A message as kept: the AMQP message the client sent (encoded), and what the broker knows of it. */
export interface StoredMessage {
  sequenceNumber: number;
  /** Base64 of the encoded AMQP message (header, annotations, properties, body). */
  data: string;
  enqueuedAt: number;
  /** Scheduled messages stay invisible until then. */
  visibleAt?: number;
  expiresAt?: number;
  /** Failed deliveries so far (abandoned or lock expired). */
  deliveryCount: number;
}

/** What decides where a sent message goes: the properties a correlation filter compares. */
export interface RoutingProperties {
  subject?: string;
  correlationId?: string;
  applicationProperties?: Record<string, unknown>;
  /** The message's own time to live (AMQP header ttl), milliseconds. */
  ttlMs?: number;
}

/** A message handed to a peek-lock receiver. */
export interface LockedMessage {
  message: StoredMessage;
  lockToken: string;
  lockedUntil: number;
}

type JournalRecord =
  | { op: 'put'; entity: string; message: StoredMessage }
  | { op: 'delete'; entity: string; sequenceNumber: number }
  | { op: 'count'; entity: string; sequenceNumber: number; deliveryCount: number }
  | { op: 'sequence'; next: number };

interface Lock {
  token: string;
  until: number;
  /** Whoever holds the lock (a receiver link), so its locks go back when it leaves. */
  holder: object;
}

interface Entry {
  message: StoredMessage;
  lock?: Lock;
}

/** Moves a message's data into the dead-letter queue form (reason and source added). */
export type DeadLetterRewrite = (
  data: string,
  reason: { reason: string; description?: string; source: string; properties?: Record<string, unknown> }
) => string;

export class EntityNotFoundError extends Error {
  readonly condition = 'amqp:not-found';
}
export class LockLostError extends Error {
  readonly condition = 'com.microsoft:message-lock-lost';
}

/** A queue, a subscription or a dead-letter queue: messages in sequence order, some locked. */
export class MessageEntity {
  readonly entries = new Map<number, Entry>();
  /** Sequence numbers ready to be received, ascending. */
  available: number[] = [];
  readonly scheduled = new Set<number>();

  constructor(
    /** The path as clients address it, e.g. `orders`, `events/Subscriptions/all/$DeadLetterQueue`. */
    readonly path: string,
    readonly settings: EntitySettings,
    readonly deadLetterQueue: MessageEntity | undefined,
    readonly filter?: CorrelationFilter
  ) {}

  get key(): string {
    return this.path.toLowerCase();
  }

  makeAvailable(sequenceNumber: number): void {
    const list = this.available;
    if (list.length === 0 || list[list.length - 1]! < sequenceNumber) {
      list.push(sequenceNumber);
      return;
    }
    const at = this.#position(sequenceNumber);
    if (list[at] !== sequenceNumber) list.splice(at, 0, sequenceNumber);
  }

  place(message: StoredMessage, now: number): void {
    this.entries.set(message.sequenceNumber, { message });
    if (message.visibleAt !== undefined && message.visibleAt > now)
      this.scheduled.add(message.sequenceNumber);
    else this.makeAvailable(message.sequenceNumber);
  }

  remove(sequenceNumber: number): Entry | undefined {
    const entry = this.entries.get(sequenceNumber);
    if (!entry) return undefined;
    this.entries.delete(sequenceNumber);
    // A locked or scheduled message is not in the available list.
    if (entry.lock || this.scheduled.delete(sequenceNumber)) return entry;
    const at = this.#position(sequenceNumber);
    if (this.available[at] === sequenceNumber) this.available.splice(at, 1);
    return entry;
  }

  /** Where `sequenceNumber` is, or would go, in the sorted available list. */
  #position(sequenceNumber: number): number {
    let low = 0;
    let high = this.available.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.available[mid]! < sequenceNumber) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export interface MessageStoreOptions {
  directory: string;
  topology: Topology;
  fsync: boolean;
  /** Write a snapshot and drop the journal once it has grown this much (default 16 MiB). */
  compactAtBytes?: number;
  deadLetterRewrite: DeadLetterRewrite;
  now?: () => number;
}

/**
 * The broker's messages and their state, journaled so a restart loses nothing that was
 * acknowledged: a send is acknowledged, a completion confirmed, only once its record is on disk.
 * Locks are not journaled: after a restart every locked message is available again.
 */
export class MessageStore {
  readonly #entities = new Map<string, MessageEntity>();
  /** Queues and topics by lower-case name: where a sent message goes. */
  readonly #destinations = new Map<string, MessageEntity[]>();
  readonly #locks = new Map<string, { entity: MessageEntity; sequenceNumber: number }>();
  readonly #journal: WriteAheadJournal<JournalRecord, JournalRecord>;
  readonly #now: () => number;
  #nextSequence = 1;
  #compacting: Promise<void> | undefined;
  /** Called when an entity may have messages to hand out. */
  onAvailable: (entity: MessageEntity) => void = () => undefined;

  private constructor(private readonly options: MessageStoreOptions) {
    this.#now = options.now ?? Date.now;
    this.#journal = new WriteAheadJournal({ directory: options.directory, fsync: options.fsync });
    for (const queue of options.topology.queues) {
      const dlq = this.#add(`${queue.name}/$DeadLetterQueue`, deadLetterSettings(queue), undefined);
      this.#destinations.set(queue.name.toLowerCase(), [this.#add(queue.name, queue, dlq)]);
    }
    for (const topic of options.topology.topics) {
      this.#destinations.set(
        topic.name.toLowerCase(),
        topic.subscriptions.map((sub) => {
          const path = `${topic.name}/Subscriptions/${sub.name}`;
          const dlq = this.#add(`${path}/$DeadLetterQueue`, deadLetterSettings(sub), undefined);
          return this.#add(path, sub, dlq, sub.filter);
        })
      );
    }
  }

  static async open(options: MessageStoreOptions): Promise<MessageStore> {
    const store = new MessageStore(options);
    const recovered = await store.#journal.open();
    const latest = new Map<string, StoredMessage>();
    const at = (entity: string, sequenceNumber: number) => `${entity}\u0000${sequenceNumber}`;
    for (const record of [...recovered.snapshot, ...recovered.records]) {
      if (record.op === 'sequence') store.#nextSequence = Math.max(store.#nextSequence, record.next);
      else if (record.op === 'put') {
        latest.set(at(record.entity, record.message.sequenceNumber), record.message);
        store.#nextSequence = Math.max(store.#nextSequence, record.message.sequenceNumber + 1);
      } else if (record.op === 'delete') latest.delete(at(record.entity, record.sequenceNumber));
      else {
        const message = latest.get(at(record.entity, record.sequenceNumber));
        if (message) message.deliveryCount = record.deliveryCount;
      }
    }
    const now = store.#now();
    const ordered = [...latest.entries()].sort(([, a], [, b]) => a.sequenceNumber - b.sequenceNumber);
    for (const [key, message] of ordered) {
      // An entity since removed from the topology takes its messages with it.
      store.#entities.get(key.slice(0, key.indexOf('\u0000')))?.place(message, now);
    }
    return store;
  }

  entity(path: string): MessageEntity {
    const entity = this.#entities.get(normalize(path));
    if (!entity) throw new EntityNotFoundError(`The messaging entity '${path}' could not be found.`);
    return entity;
  }

  hasDestination(address: string): boolean {
    return this.#destinations.has(normalize(address));
  }

  /**
   * Enqueues messages sent to a queue or topic (each to every subscription whose filter matches);
   * resolves once they are durable. Returns their sequence numbers.
   */
  async send(
    address: string,
    messages: { data: string; routing: RoutingProperties; visibleAt?: number }[]
  ): Promise<number[]> {
    const targets = this.#destinations.get(normalize(address));
    if (!targets) throw new EntityNotFoundError(`The messaging entity '${address}' could not be found.`);
    const now = this.#now();
    const writes: Promise<void>[] = [];
    const sequenceNumbers: number[] = [];
    const touched = new Set<MessageEntity>();
    for (const { data, routing, visibleAt } of messages) {
      const sequenceNumber = this.#nextSequence++;
      sequenceNumbers.push(sequenceNumber);
      for (const entity of targets) {
        if (entity.filter && !matches(entity.filter, routing)) continue;
        const ttl = Math.min(
          routing.ttlMs ?? Infinity,
          (entity.settings.defaultMessageTimeToLiveSeconds ?? Infinity) * 1000
        );
        const message: StoredMessage = { sequenceNumber, data, enqueuedAt: now, deliveryCount: 0 };
        if (visibleAt !== undefined && visibleAt > now) message.visibleAt = visibleAt;
        if (Number.isFinite(ttl)) message.expiresAt = (message.visibleAt ?? now) + ttl;
        entity.place(message, now);
        touched.add(entity);
        writes.push(this.#append({ op: 'put', entity: entity.key, message }));
      }
    }
    for (const entity of touched) this.onAvailable(entity);
    await Promise.all(writes);
    return sequenceNumbers;
  }

  /** Removes scheduled messages of a queue or topic before they appear. */
  async cancelScheduled(address: string, sequenceNumbers: number[]): Promise<void> {
    const targets = this.#destinations.get(normalize(address));
    if (!targets) throw new EntityNotFoundError(`The messaging entity '${address}' could not be found.`);
    const writes: Promise<void>[] = [];
    for (const entity of targets) {
      for (const sequenceNumber of sequenceNumbers) {
        if (!entity.scheduled.has(sequenceNumber)) continue;
        entity.remove(sequenceNumber);
        writes.push(this.#append({ op: 'delete', entity: entity.key, sequenceNumber }));
      }
    }
    await Promise.all(writes);
  }

  /**
   * The next message for a receiver: locked for `holder` (peek-lock) or removed (receive-and-delete).
   * Expired messages on the way are dropped or dead-lettered.
   */
  take(
    entity: MessageEntity,
    holder: object,
    mode: 'peekLock' | 'receiveAndDelete'
  ): LockedMessage | undefined {
    const now = this.#now();
    for (;;) {
      const sequenceNumber = entity.available.shift();
      if (sequenceNumber === undefined) return undefined;
      const entry = entity.entries.get(sequenceNumber)!;
      if (entry.message.expiresAt !== undefined && entry.message.expiresAt <= now) {
        void this.#expire(entity, entry.message).catch(() => undefined);
        continue;
      }
      if (mode === 'receiveAndDelete') {
        entity.remove(sequenceNumber);
        void this.#append({ op: 'delete', entity: entity.key, sequenceNumber }).catch(() => undefined);
        return { message: entry.message, lockToken: '', lockedUntil: now };
      }
      const token = newLockToken();
      const until = now + entity.settings.lockDurationSeconds * 1000;
      entry.lock = { token, until, holder };
      this.#locks.set(token, { entity, sequenceNumber });
      return { message: entry.message, lockToken: token, lockedUntil: until };
    }
  }

  /** Settles a locked message: removed for good. */
  async complete(lockToken: string): Promise<void> {
    const { entity, entry } = this.#locked(lockToken);
    this.#locks.delete(lockToken);
    entity.remove(entry.message.sequenceNumber);
    await this.#append({ op: 'delete', entity: entity.key, sequenceNumber: entry.message.sequenceNumber });
  }

  /** A failed delivery: the count goes up and the message comes back, or to the dead-letter queue. */
  async abandon(lockToken: string): Promise<void> {
    const { entity, entry } = this.#locked(lockToken);
    this.#locks.delete(lockToken);
    await this.#failDelivery(entity, entry);
  }

  /** The lock is given back without counting a delivery (the receiver left before handling it). */
  release(lockToken: string): void {
    const found = this.#find(lockToken);
    if (!found) return;
    this.#locks.delete(lockToken);
    found.entry.lock = undefined;
    found.entity.makeAvailable(found.entry.message.sequenceNumber);
    this.onAvailable(found.entity);
  }

  async deadLetter(
    lockToken: string,
    reason: string,
    description: string | undefined,
    properties?: Record<string, unknown>
  ): Promise<void> {
    const { entity, entry } = this.#locked(lockToken);
    this.#locks.delete(lockToken);
    await this.#moveToDeadLetter(entity, entry.message, reason, description, properties);
  }

  /** A new lock expiry, or LockLostError. */
  renewLock(lockToken: string): number {
    const { entity, entry } = this.#locked(lockToken);
    entry.lock!.until = this.#now() + entity.settings.lockDurationSeconds * 1000;
    return entry.lock!.until;
  }

  /** Gives back every lock `holder` has (a receiver link that closed). */
  releaseAll(holder: object): void {
    for (const [token, { entity, sequenceNumber }] of this.#locks) {
      if (entity.entries.get(sequenceNumber)?.lock?.holder === holder) this.release(token);
    }
  }

  /** Expired locks count as failed deliveries; scheduled messages whose time came appear. */
  sweep(): void {
    const now = this.#now();
    for (const [token, { entity, sequenceNumber }] of this.#locks) {
      const entry = entity.entries.get(sequenceNumber);
      if (!entry?.lock) {
        this.#locks.delete(token);
        continue;
      }
      if (entry.lock.until > now) continue;
      this.#locks.delete(token);
      void this.#failDelivery(entity, entry).catch(() => undefined);
    }
    for (const entity of this.#entities.values()) {
      if (entity.scheduled.size === 0) continue;
      let due = false;
      for (const sequenceNumber of entity.scheduled) {
        const message = entity.entries.get(sequenceNumber)!.message;
        if ((message.visibleAt ?? 0) > now) continue;
        entity.scheduled.delete(sequenceNumber);
        entity.makeAvailable(sequenceNumber);
        due = true;
      }
      if (due) this.onAvailable(entity);
    }
  }

  /** Messages from a sequence number on, locked and scheduled ones included (what `peekMessages` sees). */
  peek(
    entity: MessageEntity,
    fromSequenceNumber: number,
    count: number
  ): { message: StoredMessage; scheduled: boolean }[] {
    const now = this.#now();
    return [...entity.entries.values()]
      .filter((e) => e.message.sequenceNumber >= fromSequenceNumber)
      .filter((e) => e.message.expiresAt === undefined || e.message.expiresAt > now)
      .sort((a, b) => a.message.sequenceNumber - b.message.sequenceNumber)
      .slice(0, count)
      .map((e) => ({ message: e.message, scheduled: entity.scheduled.has(e.message.sequenceNumber) }));
  }

  async close(): Promise<void> {
    await this.#compacting;
    await this.#journal.close();
  }

  #add(path: string, settings: EntitySettings, dlq: MessageEntity | undefined, filter?: CorrelationFilter) {
    const entity = new MessageEntity(path, settings, dlq, filter);
    this.#entities.set(entity.key, entity);
    return entity;
  }

  #find(lockToken: string): { entity: MessageEntity; entry: Entry } | undefined {
    const held = this.#locks.get(lockToken);
    const entry = held?.entity.entries.get(held.sequenceNumber);
    if (!held || !entry?.lock || entry.lock.token !== lockToken) return undefined;
    return { entity: held.entity, entry };
  }

  #locked(lockToken: string): { entity: MessageEntity; entry: Entry } {
    const found = this.#find(lockToken);
    if (!found || found.entry.lock!.until <= this.#now())
      throw new LockLostError(
        'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.'
      );
    return found;
  }

  async #failDelivery(entity: MessageEntity, entry: Entry): Promise<void> {
    entry.lock = undefined;
    const message = entry.message;
    message.deliveryCount++;
    if (message.deliveryCount >= entity.settings.maxDeliveryCount && entity.deadLetterQueue) {
      return this.#moveToDeadLetter(
        entity,
        message,
        'MaxDeliveryCountExceeded',
        `Message could not be consumed after ${entity.settings.maxDeliveryCount} delivery attempts.`
      );
    }
    entity.makeAvailable(message.sequenceNumber);
    this.onAvailable(entity);
    await this.#append({
      op: 'count',
      entity: entity.key,
      sequenceNumber: message.sequenceNumber,
      deliveryCount: message.deliveryCount,
    });
  }

  async #expire(entity: MessageEntity, message: StoredMessage): Promise<void> {
    if (entity.settings.deadLetteringOnMessageExpiration && entity.deadLetterQueue) {
      return this.#moveToDeadLetter(entity, message, 'TTLExpiredException', 'The message expired.');
    }
    entity.remove(message.sequenceNumber);
    await this.#append({ op: 'delete', entity: entity.key, sequenceNumber: message.sequenceNumber });
  }

  async #moveToDeadLetter(
    entity: MessageEntity,
    message: StoredMessage,
    reason: string,
    description: string | undefined,
    properties?: Record<string, unknown>
  ): Promise<void> {
    const dlq = entity.deadLetterQueue;
    entity.remove(message.sequenceNumber);
    const writes = [
      this.#append({ op: 'delete', entity: entity.key, sequenceNumber: message.sequenceNumber }),
    ];
    if (dlq) {
      // Dead-lettered messages do not expire.
      const moved: StoredMessage = {
        sequenceNumber: message.sequenceNumber,
        data: this.options.deadLetterRewrite(message.data, {
          reason,
          description,
          source: entity.path,
          properties,
        }),
        enqueuedAt: message.enqueuedAt,
        deliveryCount: message.deliveryCount,
      };
      dlq.place(moved, this.#now());
      // The copy is written before the removal, in the same group, so a crash keeps one of them.
      writes.unshift(this.#append({ op: 'put', entity: dlq.key, message: moved }));
      this.onAvailable(dlq);
    }
    await Promise.all(writes);
  }

  #append(record: JournalRecord): Promise<void> {
    const written = this.#journal.append(record);
    const limit = this.options.compactAtBytes ?? 16 * 1024 * 1024;
    if (!this.#compacting && this.#journal.bytesSinceSnapshot >= limit) {
      this.#compacting = this.#journal
        .snapshot(() => this.#snapshotItems())
        .catch((err: unknown) => {
          process.stderr.write(`servicebus: snapshot failed: ${String(err)}\n`);
        })
        .finally(() => (this.#compacting = undefined));
    }
    return written;
  }

  /** Taken at once (not lazily), so it holds exactly the state when appends moved on. */
  #snapshotItems(): JournalRecord[] {
    const items: JournalRecord[] = [{ op: 'sequence', next: this.#nextSequence }];
    for (const entity of this.#entities.values()) {
      for (const { message } of entity.entries.values()) {
        items.push({ op: 'put', entity: entity.key, message: { ...message } });
      }
    }
    return items;
  }
}

function deadLetterSettings(settings: EntitySettings): EntitySettings {
  return {
    maxDeliveryCount: Number.MAX_SAFE_INTEGER,
    lockDurationSeconds: settings.lockDurationSeconds,
    deadLetteringOnMessageExpiration: false,
  };
}

function normalize(address: string): string {
  // Clients may send `sb://host/path` or `amqps://host/path`; entities are the path.
  return address
    .replace(/^[a-z]+:\/\/[^/]*\//i, '')
    .replace(/^\/+/, '')
    .toLowerCase();
}

function matches(filter: CorrelationFilter, message: RoutingProperties): boolean {
  if (filter.subject !== undefined && filter.subject !== message.subject) return false;
  if (filter.correlationId !== undefined && filter.correlationId !== message.correlationId) return false;
  for (const [key, value] of Object.entries(filter.applicationProperties ?? {})) {
    if (message.applicationProperties?.[key] !== value) return false;
  }
  return true;
}

/** A lock token is a GUID. */
function newLockToken(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
