import { ValidationError, type ValidationIssue } from '../../domain/errors';
import { dimensionsKeyOf } from '../../domain/inventory/inventory-row';
import type { ChangeMode } from '../../domain/inventory/inventory-change';
import {
  applyPreparedChanges,
  errorResult,
  type InventoryChangeResult,
  type PreparedChange,
} from './inventory-change-engine';
import type { InventoryChangeInput, InventoryDeps } from '../../ports/inventory-requests';
import { InventoryLookups, throwIfIssues, unknownSku, unknownSource } from './inventory-lookups';

export type { InventoryChangeResult } from './inventory-change-engine';

/** What a bulk call answers: one result per entry, in order, and the counts. */
export interface InventoryChangeSummary {
  results: InventoryChangeResult[];
  applied: number;
  duplicates: number;
  errors: number;
}

/**
 * Applies a list of inventory changes, each on its own (for callers such as the file drop, whose good
 * rows must apply even when others are bad). Each change is `{id, sku, sourceId, measure, quantity,
 * dimensions?, mode?}`: `mode` `delta` (default) adds the quantity, `set` makes it the value; the id
 * makes it idempotent either way. Returns one result per change, in order: `applied`, `duplicate`
 * (the id was applied before: nothing changed) or `error` with a code and a message (invalid fields,
 * unknown measure / SKU / source, a measure that would go negative). Never throws for a bad change;
 * throws only when storage fails.
 */
export async function applyInventoryChanges(
  deps: InventoryDeps,
  changes: readonly InventoryChangeInput[]
): Promise<InventoryChangeResult[]> {
  const lookups = new InventoryLookups(deps);
  const early: InventoryChangeResult[] = [];
  const prepared: PreparedChange[] = [];
  await Promise.all(
    changes.map(async (raw, index) => {
      const id = typeof raw === 'object' && raw !== null && typeof raw.id === 'string' ? raw.id : undefined;
      const at = { index, ...(id === undefined ? {} : { id }) };
      let change: InventoryChangeInput;
      try {
        change = deps.validators.change(raw);
      } catch (err) {
        if (err instanceof ValidationError) return void early.push(errorResult(at, err));
        throw err;
      }
      const measureIssue = checkMeasure(deps, change.measure, '/measure');
      if (measureIssue !== undefined) {
        return void early.push(
          errorResult(at, new ValidationError('The change names an unknown measure.', [measureIssue]))
        );
      }
      const [product, source] = await Promise.all([
        lookups.productExists(change.sku),
        lookups.source(change.sourceId),
      ]);
      if (!product) return void early.push(errorResult(at, unknownSku(change.sku)));
      if (source === undefined) return void early.push(errorResult(at, unknownSource(change.sourceId)));
      prepared.push(prepare(index, change, change.mode ?? 'delta'));
    })
  );
  prepared.sort((a, b) => a.index - b.index);
  const applied = await applyPreparedChanges(deps, prepared);
  return [...early, ...applied].sort((a, b) => a.index - b.index);
}

/**
 * `POST /api/v1/inventory/onhand/bulk` (change events, deltas) and `/onhand/set` (absolute values):
 * the whole body is checked first — shape, measures, SKUs and sources — and any issue refuses the
 * call with every offending path (`/3/sku`), before anything is applied. Then the entries apply
 * per SKU (see applyPreparedChanges); what the rules refuse at that point is reported per entry.
 */
export async function applyInventoryChangeRequest(
  deps: InventoryDeps,
  mode: ChangeMode,
  body: unknown
): Promise<InventoryChangeSummary> {
  const entries: (InventoryChangeInput | (Omit<InventoryChangeInput, 'id'> & { id?: string }))[] =
    mode === 'delta' ? deps.validators.changeEvents(body) : deps.validators.setEntries(body);
  const issues: ValidationIssue[] = [];
  entries.forEach((entry, index) => {
    const issue = checkMeasure(deps, entry.measure, `/${index}/measure`);
    if (issue !== undefined) issues.push(issue);
  });
  issues.push(...(await new InventoryLookups(deps).unknownReferences(entries, (index) => `/${index}`)));
  throwIfIssues(
    mode === 'delta'
      ? 'The change events are not valid; none was applied.'
      : 'The entries are not valid; none was applied.',
    issues.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }))
  );
  const results = await applyPreparedChanges(
    deps,
    entries.map((entry, index) => prepare(index, entry, mode))
  );
  return {
    results,
    applied: results.filter((r) => r.status === 'applied').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    errors: results.filter((r) => r.status === 'error').length,
  };
}

function checkMeasure(deps: InventoryDeps, measure: string, path: string): ValidationIssue | undefined {
  if (deps.measures.physical.includes(measure)) return undefined;
  return {
    path,
    message: `"${measure}" is not a measure data sources write (${deps.measures.physical.join(', ')})`,
  };
}

function prepare(
  index: number,
  entry: Omit<InventoryChangeInput, 'id'> & { id?: string },
  mode: ChangeMode
): PreparedChange {
  const dimensions = entry.dimensions ?? {};
  return {
    index,
    ...(entry.id === undefined ? {} : { id: entry.id }),
    sku: entry.sku,
    sourceId: entry.sourceId,
    dimensions,
    dimensionsKey: dimensionsKeyOf(dimensions),
    measure: entry.measure,
    quantity: entry.quantity,
    mode,
  };
}
