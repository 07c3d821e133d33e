import { conflictBackoffMs, sleep } from './conflict-backoff';
import type { DomainError, ValidationIssue } from '../../domain/errors';
import { ConflictError, ValidationError } from '../../domain/errors';
import { applyMeasureChange, type ChangeMode } from '../../domain/inventory/inventory-change';
import { idReused } from '../../domain/inventory/inventory-errors';
import {
  emptyRow,
  rowAddressKey,
  type Dimensions,
  type InventoryRow,
} from '../../domain/inventory/inventory-row';
import type { AppliedChange, InventoryWrite, VersionedRow } from '../../ports/inventory';
import type { InventoryDeps } from '../../ports/inventory-requests';

/** A change that passed validation and whose SKU and source exist. */
export interface PreparedChange {
  /** Its position in the caller's list. */
  index: number;
  /** Present: applied at most once (change events); absent: applied every time (plain set). */
  id?: string;
  sku: string;
  sourceId: string;
  dimensions: Dimensions;
  dimensionsKey: string;
  measure: string;
  quantity: number;
  mode: ChangeMode;
}

export type ChangeStatus = 'applied' | 'duplicate' | 'error';

/** The outcome of one change: applied, a duplicate of an applied id (nothing changed), or an error. */
export interface InventoryChangeResult {
  index: number;
  id?: string;
  status: ChangeStatus;
  /** For errors: the stable code (`negative-measure`, `unknown-sku`, `validation-failed`, ...). */
  code?: string;
  message?: string;
  /** For validation errors: the offending fields of this change. */
  errors?: ValidationIssue[];
}

/** Changes per commit: each may need its row and its proof document, within the batch's 100. */
const changesPerCommit = 49;
/** SKUs worked on at once (each is its own partition, so they never conflict). */
const skuConcurrency = 8;
const maxAttempts = 40;

export function errorResult(
  change: { index: number; id?: string },
  error: DomainError
): InventoryChangeResult {
  return {
    index: change.index,
    ...(change.id === undefined ? {} : { id: change.id }),
    status: 'error',
    code: error.code,
    message: error.message,
    ...(error instanceof ValidationError ? { errors: [...error.errors] } : {}),
  };
}

/**
 * Applies prepared changes: per SKU, in the order given, at most 49 per transactional batch (the rows
 * they touch, ETag-checked, plus one proof document per change id, created in the same batch, so a
 * replayed id is a no-op even when two deliveries race). A change the rules refuse (a measure would
 * go negative) is reported and skipped; the others of its batch still apply.
 */
export async function applyPreparedChanges(
  deps: InventoryDeps,
  changes: readonly PreparedChange[]
): Promise<InventoryChangeResult[]> {
  const bySku = new Map<string, PreparedChange[]>();
  for (const change of changes) {
    const list = bySku.get(change.sku);
    if (list === undefined) bySku.set(change.sku, [change]);
    else list.push(change);
  }
  const results: InventoryChangeResult[] = [];
  const skus = [...bySku.keys()];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(skuConcurrency, skus.length) }, async () => {
      while (next < skus.length) {
        const sku = skus[next++]!;
        const seen = new Map<string, AppliedChange>();
        const list = bySku.get(sku)!;
        for (let start = 0; start < list.length; start += changesPerCommit) {
          results.push(...(await applyChunk(deps, sku, list.slice(start, start + changesPerCommit), seen)));
        }
      }
    })
  );
  return results.sort((a, b) => a.index - b.index);
}

interface RowState {
  stored: VersionedRow | undefined;
  row: InventoryRow;
  touched: boolean;
}

async function applyChunk(
  deps: InventoryDeps,
  sku: string,
  chunk: readonly PreparedChange[],
  seen: Map<string, AppliedChange>
): Promise<InventoryChangeResult[]> {
  const addresses = new Map(chunk.map((c) => [rowAddressKey(c), c]));
  // Proofs are looked up before the batch is built, so a replayed event costs a point read, not a
  // failed batch. Rows are never deleted and a proof is created with its row's write, so a change
  // to a row that does not exist yet cannot have been applied: only changes to existing rows look
  // (a fresh load reads nothing extra). The proof's create in the batch stays the guard under races
  // and for an id reused on another row: it fails the batch, and the next attempt looks up all ids.
  let readAllProofs = false;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const rows = await Promise.all(
      [...addresses].map(async ([key, c]) => [key, await deps.store.getRow(c)] as const)
    );
    const existing = new Set(rows.flatMap(([key, stored]) => (stored === undefined ? [] : [key])));
    const ids = [
      ...new Set(
        chunk.flatMap((c) =>
          c.id === undefined || seen.has(c.id) || !(readAllProofs || existing.has(rowAddressKey(c)))
            ? []
            : [c.id]
        )
      ),
    ];
    const applied = await deps.store.getAppliedChanges(sku, ids);
    const states = new Map<string, RowState>(
      rows.map(([key, stored]) => {
        const c = addresses.get(key)!;
        return [key, { stored, row: stored?.row ?? emptyRow(sku, c.sourceId, c.dimensions), touched: false }];
      })
    );
    const known = new Map(seen);
    for (const change of applied) known.set(change.id, change);
    const now = deps.clock.now().toISOString();
    const results: InventoryChangeResult[] = [];
    const proofs: AppliedChange[] = [];
    for (const change of chunk) {
      const prior = change.id === undefined ? undefined : known.get(change.id);
      if (prior !== undefined) {
        results.push(
          sameChange(prior, change)
            ? { index: change.index, id: change.id!, status: 'duplicate' }
            : errorResult(change, idReused('Change event id', change.id!))
        );
        continue;
      }
      const state = states.get(rowAddressKey(change))!;
      const outcome = applyMeasureChange(state.row, change, deps.measures);
      if (!outcome.ok) {
        results.push(errorResult(change, outcome.error));
        continue;
      }
      state.row = outcome.value;
      state.touched = true;
      if (change.id !== undefined) {
        const proof: AppliedChange = {
          id: change.id,
          sku,
          sourceId: change.sourceId,
          dimensionsKey: change.dimensionsKey,
          measure: change.measure,
          quantity: change.quantity,
          mode: change.mode,
          appliedAt: now,
        };
        proofs.push(proof);
        known.set(change.id, proof);
      }
      results.push({
        index: change.index,
        ...(change.id === undefined ? {} : { id: change.id }),
        status: 'applied',
      });
    }
    const writes: InventoryWrite[] = [];
    for (const state of states.values()) {
      if (!state.touched) continue;
      writes.push(
        state.stored === undefined
          ? { kind: 'create-row', row: state.row }
          : { kind: 'replace-row', row: state.row, etag: state.stored.etag }
      );
    }
    for (const change of proofs) writes.push({ kind: 'record-change', change });
    const outcome = await deps.store.commit(sku, writes);
    if (outcome.ok) {
      for (const proof of proofs) seen.set(proof.id, proof);
      return results;
    }
    if (outcome.reason === 'exists') {
      readAllProofs = true;
      continue;
    }
    // A row changed under us: read again after a short wait.
    await sleep(conflictBackoffMs(attempt));
  }
  return chunk.map((change) =>
    errorResult(
      change,
      new ConflictError(`SKU ${sku} is being changed by others; send the change again.`, {
        code: 'concurrent-update',
      })
    )
  );
}

function sameChange(prior: AppliedChange, change: PreparedChange): boolean {
  return (
    prior.sourceId === change.sourceId &&
    prior.dimensionsKey === change.dimensionsKey &&
    prior.measure === change.measure &&
    prior.quantity === change.quantity &&
    prior.mode === change.mode
  );
}
