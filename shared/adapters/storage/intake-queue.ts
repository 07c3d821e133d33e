import type { QueueClient } from '@azure/storage-queue';
import type { IntakeMessage, IntakeQueue } from '../../ports/orders';
import { GroupCommit } from '../group-commit';
import { intakeQueueName } from '../../ports/binding-names';

export { intakeQueueName };

/** A queue message is at most 64 KiB of base64 text, i.e. 48 KiB before encoding. */
const maxMessageBytes = 48 * 1024;
/** Keeps one delivery's work (archive, create, count per intake) to a size a retry can redo quickly. */
const maxIntakesPerMessage = 50;

interface Pending {
  readonly text: string;
  readonly bytes: number;
}

/**
 * The queue the intake function reads; base64 JSON, as the Functions queue trigger expects.
 *
 * `send` is a group commit (GroupCommit): the intakes that arrive while a queue write is in flight
 * share the next write, as `{"intakes": [...]}` (a lone intake is written as itself). A 202 still
 * means "stored", and a busy intake costs one queue write per group rather than per order.
 */
export class StorageIntakeQueue implements IntakeQueue {
  #ready: Promise<unknown> | undefined;
  readonly #groups = new GroupCommit<Pending, void>(
    async (group) => {
      await this.#write(
        group.length === 1 ? group[0]!.text : `{"intakes":[${group.map((p) => p.text).join(',')}]}`
      );
      return group.map(() => ({ ok: true, value: undefined }));
    },
    (waiting) => fittingPrefix(waiting)
  );

  constructor(private readonly queue: QueueClient) {}

  send(message: IntakeMessage): Promise<void> {
    const text = JSON.stringify(message);
    const bytes = Buffer.byteLength(text);
    if (bytes > maxMessageBytes) {
      return Promise.reject(
        new Error(`An intake message of ${bytes} bytes does not fit in a queue message (${maxMessageBytes}).`)
      );
    }
    return this.#groups.submit({ text, bytes });
  }

  async sendAlone(message: IntakeMessage): Promise<void> {
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
}

/** How many of the waiting intakes, from the first, fit in one message. */
function fittingPrefix(waiting: readonly Pending[]): number {
  let bytes = '{"intakes":[]}'.length;
  let count = 0;
  while (count < waiting.length && count < maxIntakesPerMessage) {
    bytes += waiting[count]!.bytes + (count > 0 ? 1 : 0);
    if (count > 0 && bytes > maxMessageBytes) break;
    count++;
  }
  return count;
}
