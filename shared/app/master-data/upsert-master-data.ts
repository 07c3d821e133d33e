import { ConflictError, PreconditionFailedError, ValidationError } from '../../domain/errors';
import { contentHash } from '../../domain/master-data/content-hash';
import type { ItemIssue, UpsertCounts } from '../../domain/master-data/master-data-entities';
import type { Clock } from '../../ports/clock';
import type { MasterDataStore, StoredRecord } from '../../ports/master-data';
import { settleEach } from '../platform/settle-each';
import type { MasterDataKind } from './master-data-kinds';

export interface UpsertMasterDataDeps {
  store: MasterDataStore;
  clock: Clock;
  /** Keys read in one query and written before progress is told (a page of the input). */
  pageSize?: number;
  /** Writes in flight at once. */
  writeConcurrency?: number;
}

/** An item and where it came from: a file's row number, or a bulk body's index. */
export interface PlacedItem {
  at: number;
  item: unknown;
}

export interface UpsertResult {
  counts: UpsertCounts;
  /** Ordered by place. */
  issues: ItemIssue[];
}

/** Called after each page with the counts so far (items done = all counts but `items`). */
export type ProgressListener = (counts: UpsertCounts) => Promise<void>;

type Outcome = 'created' | 'updated' | 'unchanged';

/** A write that lost a race is tried again from a fresh read this many times in all. */
const attempts = 3;

/**
 * Upserts master-data items by key, incrementally: each item is validated on its own (a bad one is
 * an issue and the rest go on), records are read a page of keys at a time, and a record whose
 * content (its hash, timestamps aside) would not change is not written at all — so the same items
 * again write nothing, not even `updatedAt`. New keys are created, changed ones replaced at the
 * version read (a concurrent writer makes it read and compare again). Nothing is ever deleted.
 * `label` names a place in messages (`row`, `item`).
 */
export async function upsertMasterData(
  deps: UpsertMasterDataDeps,
  kind: MasterDataKind,
  items: readonly PlacedItem[],
  label: 'row' | 'item',
  onProgress: ProgressListener = () => Promise.resolve()
): Promise<UpsertResult> {
  const counts: UpsertCounts = { items: items.length, created: 0, updated: 0, unchanged: 0, failed: 0 };
  const issues: ItemIssue[] = [];
  const groups = new Map<string, { at: number; item: object }[]>();
  for (const { at, item } of items) {
    let valid: object;
    try {
      valid = kind.validate(item);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues.push(...err.errors.map((issue) => ({ at, path: issue.path, message: issue.message })));
      counts.failed++;
      continue;
    }
    const id = (valid as Record<string, string>)[kind.keyField]!;
    const group = groups.get(id);
    if (group !== undefined && !kind.manyItemsPerKey) {
      issues.push({
        at,
        path: `/${kind.keyField}`,
        message: `repeats ${kind.keyField} ${id} of ${label} ${group[0]!.at}`,
      });
      counts.failed++;
      continue;
    }
    if (group === undefined) groups.set(id, [{ at, item: valid }]);
    else group.push({ at, item: valid });
  }
  await onProgress(counts);

  const pageSize = deps.pageSize ?? 500;
  const ids = [...groups.keys()];
  for (let start = 0; start < ids.length; start += pageSize) {
    const page = ids.slice(start, start + pageSize);
    const existing = await deps.store.readMany(kind.entity, page);
    const outcomes = await settleEach(page, deps.writeConcurrency ?? 16, (id) =>
      upsertOne(deps, kind, id, groups.get(id)!, existing.get(id))
    );
    outcomes.forEach((outcome, i) => {
      const group = groups.get(page[i]!)!;
      if (outcome.status === 'fulfilled') {
        counts[outcome.value] += group.length;
        return;
      }
      if (!(outcome.reason instanceof ValidationError)) throw outcome.reason;
      for (const { at } of group) {
        issues.push(
          ...outcome.reason.errors.map((issue) => ({ at, path: issue.path, message: issue.message }))
        );
      }
      counts.failed += group.length;
    });
    await onProgress(counts);
  }
  issues.sort((a, b) => a.at - b.at);
  return { counts, issues };
}

async function upsertOne(
  deps: UpsertMasterDataDeps,
  kind: MasterDataKind,
  id: string,
  group: readonly { item: object }[],
  read: StoredRecord | undefined
): Promise<Outcome> {
  let current = read;
  for (let attempt = 1; ; attempt++) {
    const value = kind.build(
      id,
      group.map((g) => g.item),
      current?.value,
      deps.clock.now()
    );
    if (current !== undefined && contentHash(current.value) === contentHash(value)) return 'unchanged';
    try {
      if (current === undefined) await deps.store.create(kind.entity, id, value);
      else await deps.store.replace(kind.entity, id, value, current.etag);
      return current === undefined ? 'created' : 'updated';
    } catch (err) {
      const lostRace = err instanceof ConflictError || err instanceof PreconditionFailedError;
      if (!lostRace || attempt >= attempts) throw err;
      current = await deps.store.get(kind.entity, id);
    }
  }
}
