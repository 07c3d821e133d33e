import type { ErrorEntry, ErrorListName, ErrorStatus } from '../domain/error-lists/error-entry';
import type { Page } from './orders';

/** The error lists (docs/data.md, `jobs` container). */
export interface ErrorListRepository {
  /** Stores a new entry; 'exists' when an entry with its id is already on its list. */
  create(entry: ErrorEntry): Promise<'created' | 'exists'>;
  /** The entry with the ETag it was read at, or undefined. */
  get(list: ErrorListName, id: string): Promise<{ entry: ErrorEntry; etag: string } | undefined>;
  /** Overwrites the entry only if it is still at `etag`; PreconditionFailedError otherwise. Returns the new ETag. */
  replaceIfMatch(entry: ErrorEntry, etag: string): Promise<string>;
  /** Newest first. */
  find(
    list: ErrorListName,
    filter: { status?: ErrorStatus },
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<ErrorEntry>>;
}

/** Puts a message text back on a queue (what a resubmit does). */
export interface ResubmitQueue {
  send(queueName: string, text: string): Promise<void>;
}
