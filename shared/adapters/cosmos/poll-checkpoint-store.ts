import type { Container } from '@azure/cosmos';
import type { Clock } from '../../ports/clock';
import type { PollCheckpoint, PollCheckpointStore } from '../../ports/providers';
import { DocumentStore } from './document-store';

interface CheckpointDocument {
  id: string;
  type: 'poll-checkpoint';
  /** `checkpoint:{instanceId}`: one partition per instance (`intake` is keyed by `/key`). */
  key: string;
  checkpoint: PollCheckpoint;
  createdAt?: string;
  updatedAt?: string;
}

/** Pollers' checkpoints in `intake`, written with the ETag so two runs never both advance one. */
export class CosmosPollCheckpointStore implements PollCheckpointStore {
  readonly #store: DocumentStore<CheckpointDocument>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<CheckpointDocument>(container, '/key', clock);
  }

  async get(instanceId: string): Promise<{ checkpoint: PollCheckpoint; etag: string } | undefined> {
    const key = keyOf(instanceId);
    const stored = await this.#store.read(key, key);
    return stored === undefined ? undefined : { checkpoint: stored.checkpoint, etag: stored._etag };
  }

  async put(checkpoint: PollCheckpoint, etag?: string): Promise<string> {
    const key = keyOf(checkpoint.instanceId);
    const doc: CheckpointDocument = { id: key, type: 'poll-checkpoint', key, checkpoint };
    if (etag === undefined) return (await this.#store.create(doc))._etag;
    return this.#store.replaceIfMatch(doc, etag);
  }
}

function keyOf(instanceId: string): string {
  return `checkpoint:${instanceId}`;
}
