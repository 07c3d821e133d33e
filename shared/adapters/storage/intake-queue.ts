import type { QueueClient } from '@azure/storage-queue';
import type { IntakeMessage, IntakeQueue } from '../../ports/orders';

export const intakeQueueName = 'order-intake';

/** A queue message is at most 64 KiB of base64 text, i.e. 48 KiB before encoding. */
const maxMessageBytes = 48 * 1024;
/** Keeps one delivery's work (archive, create, count per intake) to a size a retry can redo quickly. */
const maxIntakesPerMessage = 50;

interface Waiting {
  readonly text: string;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * The queue the intake function reads; base64 JSON, as the Functions queue trigger expects.
 *
 * `send` is a group commit: while one queue write is in flight, the intakes that arrive wait, and
 * the next write carries all of them as `{"intakes": [...]}` (a lone intake is written as itself).
 * Each caller's promise settles with the write that carried its intake, so a 202 still means
 * "stored". Under load the groups grow by themselves, which is what keeps the queue from being the
 * bottleneck: a queue write costs the same for one intake as for fifty.
 */
export class StorageIntakeQueue implements IntakeQueue {
  #ready: Promise<unknown> | undefined;
  #waiting: Waiting[] = [];
  #writing = false;

  constructor(private readonly queue: QueueClient) {}

  send(message: IntakeMessage): Promise<void> {
    const text = JSON.stringify(message);
    const bytes = Buffer.byteLength(text);
    if (bytes > maxMessageBytes) {
      return Promise.reject(
        new Error(`An intake message of ${bytes} bytes does not fit in a queue message (${maxMessageBytes}).`)
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ text, bytes, resolve, reject });
      if (!this.#writing) void this.#writeGroups();
    });
  }

  async sendAlone(message: IntakeMessage): Promise<void> {
    await this.#write(JSON.stringify(message));
  }

  async #writeGroups(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#takeGroup();
        const text =
          group.length === 1 ? group[0]!.text : `{"intakes":[${group.map((w) => w.text).join(',')}]}`;
        try {
          await this.#write(text);
          for (const waiting of group) waiting.resolve();
        } catch (err) {
          for (const waiting of group) waiting.reject(err);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /** The longest prefix of the waiting intakes that fits in one message. */
  #takeGroup(): Waiting[] {
    const envelope = '{"intakes":[]}'.length;
    let bytes = envelope;
    let count = 0;
    while (count < this.#waiting.length && count < maxIntakesPerMessage) {
      const next = bytes + this.#waiting[count]!.bytes + (count > 0 ? 1 : 0);
      if (count > 0 && next > maxMessageBytes) break;
      bytes = next;
      count++;
    }
    return this.#waiting.splice(0, count);
  }

  async #write(text: string): Promise<void> {
    this.#ready ??= this.queue.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
    await this.queue.sendMessage(Buffer.from(text).toString('base64'));
  }
}
