import { createHash } from 'crypto';
import { PreconditionFailedError, ValidationError, type ValidationIssue } from '../../domain/errors';
import {
  receiptMovements,
  receiveSupplyOrder as received,
  type ReceiptMovement,
  type SupplyOrder,
  type SupplyOrderKind,
  type SupplyReceipt,
} from '../../domain/purchasing/supply-order';
import { applyInventoryChanges } from '../inventory/apply-inventory-changes';
import type { RecheckSummary } from '../inventory/holds/check-held-lines';
import { collectIssues } from '../versioned-resources/collect-issues';
import { getSupplyOrder } from './query-supply-orders';
import type { PurchasingDeps } from './supply-order-deps';
import { syncSupplySchedules } from './sync-supply-schedules';

/** What one on-hand change of a receipt came to (the inventory core's answer per change). */
export interface ReceiptInventoryResult extends ReceiptMovement {
  /** The change event id, derived from the order, the receipt and the line. */
  changeId: string;
  status: 'applied' | 'duplicate' | 'error';
  code?: string;
  message?: string;
}

export interface ReceiptAnswer {
  /** The receipt id was recorded before: nothing new was received. */
  duplicate: boolean;
  receipt: SupplyReceipt;
  order: SupplyOrder;
  etag: string;
  inventory: ReceiptInventoryResult[];
  /** Backorder and preorder holds of the received SKUs that the re-check released, oldest first. */
  released: RecheckSummary['released'];
}

const maxAttempts = 5;

/**
 * `POST /api/v1/purchase-orders/{id}/receipts` (and transfer orders): records the receipt on the
 * order (the truth; its id makes it idempotent), brings the schedule entries down to what stays
 * open, raises on-hand (a transfer's source goes down as its destination goes up) through the
 * inventory core's change events with ids derived from the order, receipt and line, and re-checks
 * the held lines of the received SKUs so they are released now, oldest first. The schedule moves
 * before on-hand: in between, ATP counts the units nowhere rather than twice. The same receipt again
 * does all but the first step again, with the same ids, so a call that stopped half-way is finished.
 */
export async function receiveSupplyOrder(
  deps: PurchasingDeps,
  kind: SupplyOrderKind,
  rawId: string,
  body: unknown
): Promise<ReceiptAnswer> {
  const issues: ValidationIssue[] = [];
  const id = collectIssues(() => deps.validators.route({ id: rawId }).id, issues);
  const input = collectIssues(() => deps.validators.receipt(body), issues);
  if (id === undefined || input === undefined) throw new ValidationError('The receipt is not valid.', issues);

  let outcome: { order: SupplyOrder; receipt: SupplyReceipt; duplicate: boolean; etag: string };
  for (let attempt = 1; ; attempt++) {
    const found = await getSupplyOrder(deps, kind, id);
    const next = received(found.order, input, deps.clock.now());
    if (next.duplicate) {
      outcome = { ...next, etag: found.etag };
      break;
    }
    try {
      const stored = await deps.orders.replace(next.order, found.etag);
      outcome = { ...next, etag: stored.etag };
      break;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= maxAttempts) throw err;
    }
  }

  await syncSupplySchedules(deps, kind, id);
  const movements = receiptMovements(outcome.order, outcome.receipt);
  const changes = movements.map((movement) => ({
    id: changeIdOf(kind, id, outcome.receipt.id, movement),
    sku: movement.sku,
    sourceId: movement.sourceId,
    measure: 'onhand',
    quantity: movement.direction === 'in' ? movement.quantity : -movement.quantity,
  }));
  const results = await applyInventoryChanges(deps.inventory, changes);
  const inventory = movements.map((movement, index): ReceiptInventoryResult => {
    const result = results.find((r) => r.index === index);
    return {
      ...movement,
      changeId: changes[index]!.id,
      status: result?.status ?? 'error',
      ...(result?.code === undefined ? {} : { code: result.code }),
      ...(result?.message === undefined ? {} : { message: result.message }),
    };
  });
  const arrived = [
    ...new Set(inventory.filter((r) => r.direction === 'in' && r.status !== 'error').map((r) => r.sku)),
  ];
  const recheck = arrived.length === 0 ? undefined : await deps.recheckHolds(arrived);
  return { ...outcome, inventory, released: recheck?.released ?? [] };
}

/**
 * The change event id of one movement: a digest of the order, receipt, line and direction (ids are
 * at most 100 characters; the parts may be longer together). The same receipt gives the same ids.
 */
function changeIdOf(kind: SupplyOrderKind, id: string, receiptId: string, movement: ReceiptMovement): string {
  const digest = createHash('sha256')
    .update([kind, id, receiptId, movement.lineId, movement.direction].join('\n'))
    .digest('hex');
  return `receipt-${digest.slice(0, 40)}`;
}
