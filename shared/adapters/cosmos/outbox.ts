import type { Container } from '@azure/cosmos';
import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import type { OutboxMessage } from '../../domain/email/outbox-message';
import type { Clock } from '../../ports/clock';
import type { Outbox } from '../../ports/email';
import { DocumentStore, type Stored } from './document-store';

/** Outbox messages in the `orders` container, in their order's partition. */
export class CosmosOutbox implements Outbox {
  readonly #reads: DocumentStore<OutboxMessage>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#reads = new DocumentStore<OutboxMessage>(container, '/orderId', clock);
  }

  async create(message: OutboxMessage): Promise<'created' | 'exists'> {
    try {
      await this.#writer(message).create(message);
      return 'created';
    } catch (err) {
      if (err instanceof ConflictError) return 'exists';
      throw err;
    }
  }

  async get(orderId: string, id: string): Promise<OutboxMessage | undefined> {
    const doc = await this.#reads.read(id, orderId);
    return doc === undefined ? undefined : plain(doc);
  }

  async listByOrder(orderId: string): Promise<OutboxMessage[]> {
    const messages: OutboxMessage[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#reads.query(
        "SELECT * FROM c WHERE c.orderId = @orderId AND c.type = 'outbox'",
        { orderId },
        { partitionKey: orderId, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      messages.push(...page.items.map(plain));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    // Sorted here: same-millisecond messages then keep a stable order (by id).
    return messages.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async getForUpdate(
    orderId: string,
    id: string
  ): Promise<{ message: OutboxMessage; etag: string } | undefined> {
    const doc = await this.#reads.read(id, orderId);
    return doc === undefined ? undefined : { message: plain(doc), etag: doc._etag };
  }

  async replaceIfMatch(message: OutboxMessage, etag: string): Promise<string | undefined> {
    try {
      return await this.#writer(message).replaceIfMatch(message, etag);
    } catch (err) {
      if (err instanceof PreconditionFailedError) return undefined;
      throw err;
    }
  }

  async listStranded(input: {
    queuedBefore: string;
    claimedBefore: string;
    limit: number;
  }): Promise<OutboxMessage[]> {
    // Across partitions: the sweep looks at every order's outbox (a few messages at most are stranded).
    const page = await this.#reads.query(
      `SELECT * FROM c WHERE c.type = 'outbox'
         AND (c.queuedAt < @queuedBefore OR (NOT IS_DEFINED(c.queuedAt) AND c.createdAt < @queuedBefore))
         AND (c.status = 'queued' OR (c.status = 'sending' AND c.claimedAt < @claimedBefore))`,
      { queuedBefore: input.queuedBefore, claimedBefore: input.claimedBefore },
      { maxItemCount: input.limit }
    );
    return page.items.slice(0, input.limit).map(plain);
  }

  /**
   * A store whose clock stands at the message's own time: the domain chose the timestamps (from the
   * clock port), so what is stored is exactly what the caller answers with.
   */
  #writer(message: OutboxMessage): DocumentStore<OutboxMessage> {
    const at = new Date(message.updatedAt);
    return new DocumentStore<OutboxMessage>(this.container, '/orderId', { now: () => at });
  }
}

function plain(doc: Stored<OutboxMessage>): OutboxMessage {
  const { _etag: _e, _ts: _t, ...message } = doc;
  return message;
}
