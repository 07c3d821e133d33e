import { ValidationError } from '../../domain/errors';
import { contentHash } from '../../domain/master-data/content-hash';
import type { ItemIssue, UpsertCounts } from '../../domain/master-data/master-data-entities';
import type { Clock } from '../../ports/clock';
import type { MasterDataStore, RecordWrite, StoredRecord } from '../../ports/master-data';
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

/** A write that lost a race is tried from a fresh read until this many attempts in all. */
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
  // Pages of neighbouring keys: the store reads a page by its key range.
  const ids = [...groups.keys()].sort();
  for (let start = 0; start < ids.length; start += pageSize) {
    const page = ids.slice(start, start + pageSize);
    const existing = await deps.store.readMany(kind.entity, page);
    const done = new Map<string, Outcome | ValidationError>();
    const writes: (RecordWrite & { outcome: Outcome })[] = [];
    for (const id of page) {
      const plan = planOne(deps, kind, id, groups.get(id)!, existing.get(id));
      if (plan instanceof ValidationError) done.set(id, plan);
      else if (plan.write === undefined) done.set(id, plan.outcome);
      else writes.push({ ...plan.write, outcome: plan.outcome });
    }
    const written = await deps.store.writeMany(kind.entity, writes, deps.writeConcurrency ?? 16);
    const lostRaces: string[] = [];
    writes.forEach((write, i) => {
      if (written[i] === 'written') done.set(write.id, write.outcome);
      else lostRaces.push(write.id);
    });
    // A record someone else wrote since the page was read: read it again and compare again.
    const retried = await settleEach(lostRaces, deps.writeConcurrency ?? 16, (id) =>
      upsertAgain(deps, kind, id, groups.get(id)!)
    );
    retried.forEach((outcome, i) => {
      if (outcome.status === 'rejected' && !(outcome.reason instanceof ValidationError)) throw outcome.reason;
      done.set(
        lostRaces[i]!,
        outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as ValidationError)
      );
    });
    for (const id of page) {
      const group = groups.get(id)!;
      const outcome = done.get(id)!;
      if (!(outcome instanceof ValidationError)) {
        counts[outcome] += group.length;
        continue;
      }
      for (const { at } of group) {
        issues.push(...outcome.errors.map((issue) => ({ at, path: issue.path, message: issue.message })));
      }
      counts.failed += group.length;
    }
    await onProgress(counts);
  }
  issues.sort((a, b) => a.at - b.at);
  return { counts, issues };
}

type Plan = { outcome: Outcome; write?: RecordWrite } | ValidationError;

/** What the items make of the record read: unchanged (no write), or the write that creates or updates it. */
function planOne(
  deps: UpsertMasterDataDeps,
  kind: MasterDataKind,
  id: string,
  group: readonly { item: object }[],
  current: StoredRecord | undefined
): Plan {
  let value: object;
  try {
    value = kind.build(
      id,
      group.map((g) => g.item),
      current?.value,
      deps.clock.now()
    );
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  if (current === undefined) return { outcome: 'created', write: { id, value } };
  if (contentHash(current.value) === contentHash(value)) return { outcome: 'unchanged' };
  return { outcome: 'updated', write: { id, value, etag: current.etag } };
}

async function upsertAgain(
  deps: UpsertMasterDataDeps,
  kind: MasterDataKind,
  id: string,
  group: readonly { item: object }[]
): Promise<Outcome> {
  for (let attempt = 2; ; attempt++) {
    const plan = planOne(deps, kind, id, group, await deps.store.get(kind.entity, id));
    if (plan instanceof ValidationError) throw plan;
    if (plan.write === undefined) return plan.outcome;
    const [written] = await deps.store.writeMany(kind.entity, [plan.write], 1);
    if (written === 'written') return plan.outcome;
    if (attempt >= attempts) {
      throw new ValidationError(`${kind.entity} ${id} kept changing.`, [
        { path: '', message: 'kept changing while it was imported; import it again' },
      ]);
    }
  }
}
