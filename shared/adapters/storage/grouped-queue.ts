import type { QueueClient } from '@azure/storage-queue';
import { GroupCommit } from '../group-commit';

/** A queue message is at most 64 KiB of base64 text, i.e. 48 KiB before encoding. */
export const maxMessageBytes = 48 * 1024;
/** Keeps one delivery's work to a size a retry can redo quickly. */
const maxItemsPerMessage = 50;
/**
 * Queue writes in flight at once. Large items (provider order bodies of several KiB) fill a message
 * with a handful, so one write at a time would cap a busy producer at a few items per round trip;
 * overlapping writes also share the storage journal's flushes.
 */
const maxWritesInFlight = 8;

interface Pending {
  readonly text: string;
  readonly bytes: number;
}

/**
 * A storage queue of JSON messages (base64, as the Functions queue trigger expects) whose sends are a
 * group commit (GroupCommit): messages that arrive while the queue writes are in flight share the next
 * write, as `{"<groupField>": [...]}` (a lone message is written as itself). A resolved send still
 * means "stored", and a busy producer costs one queue write per group rather than per message.
 */
export class StorageGroupedQueue<M> {
  #ready: Promise<unknown> | undefined;
  readonly #groups = new GroupCommit<Pending, void>(
    async (group) => {
      await this.#write(
        group.length === 1 ? group[0]!.text : `{"${this.groupField}":[${group.map((p) => p.text).join(',')}]}`
      );
      return group.map(() => ({ ok: true, value: undefined }));
    },
    (waiting) => this.#fittingPrefix(waiting),
    maxWritesInFlight
  );

  constructor(
    private readonly queue: QueueClient,
    private readonly groupField: string
  ) {}

  send(message: M): Promise<void> {
    const text = JSON.stringify(message);
    const bytes = Buffer.byteLength(text);
    if (bytes > maxMessageBytes) {
      return Promise.reject(
        new Error(`A message of ${bytes} bytes does not fit in a queue message (${maxMessageBytes}).`)
      );
    }
    return this.#groups.submit({ text, bytes });
  }

  /** Always a message of its own: a retry must not ride in a new group and restart its count. */
  async sendAlone(message: M): Promise<void> {
    await this.#write(JSON.stringify(message));
  }

  async #write(text: string): Promise<void> {
    this.#ready ??= this.queue.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
    await this.queue.sendMessage(Buffer.from(text).toString('base64'));
  }

  /** How many of the waiting messages, from the first, fit in one queue message. */
  #fittingPrefix(waiting: readonly Pending[]): number {
    let bytes = `{"${this.groupField}":[]}`.length;
    let count = 0;
    while (count < waiting.length && count < maxItemsPerMessage) {
      bytes += waiting[count]!.bytes + (count > 0 ? 1 : 0);
      if (count > 0 && bytes > maxMessageBytes) break;
      count++;
    }
    return count;
  }
}
