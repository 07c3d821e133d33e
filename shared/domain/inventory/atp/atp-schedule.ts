import { ConflictError, ValidationError } from '../../errors';
import { isIsoDate, type ScheduleKind } from './atp';

/** What a client sends to `PUT /api/v1/inventory/schedules/{id}`: one dated future change. */
export interface InventoryScheduleInput {
  sku: string;
  sourceId: string;
  kind: ScheduleKind;
  quantity: number;
  /** ISO date the supply arrives or the demand leaves. */
  date: string;
  /**
   * Free text saying what a hand-typed entry stands for. Entries of purchase and transfer orders
   * carry the order id here and the real link in `link`.
   */
  reference?: string;
}

/** What a schedule entry kept by the system stands for: one line of a purchase or transfer order. */
export interface ScheduleLink {
  kind: 'purchaseOrder' | 'transferOrder';
  id: string;
  lineId: string;
}

/** A change schedule entry as stored and shown. */
export interface InventorySchedule extends InventoryScheduleInput {
  id: string;
  /** Present on entries a purchase or transfer order keeps in step with its open lines. */
  link?: ScheduleLink;
  createdAt: string;
  updatedAt: string;
}

/**
 * Entries that stand for an order line are kept by that order (created, reduced by receipts,
 * removed when the line closes); writing them by hand would be undone at the order's next change.
 */
export function refuseLinkedScheduleChange(existing: InventorySchedule | undefined): void {
  if (existing?.link === undefined) return;
  const what = existing.link.kind === 'purchaseOrder' ? 'purchase order' : 'transfer order';
  throw new ConflictError(
    `Schedule entry ${existing.id} is kept by ${what} ${existing.link.id} (line ${existing.link.lineId}); change the order instead.`,
    { code: 'schedule-entry-linked' }
  );
}

/**
 * The schedule entry `input` describes under `id`, replacing `existing` (whose createdAt is kept).
 * The SKU is the entry's partition, so an entry cannot move to another SKU: delete it and create a
 * new one instead (two writes in two partitions could not be made atomic).
 */
export function scheduleFromInput(
  id: string,
  input: InventoryScheduleInput,
  existing: InventorySchedule | undefined,
  now: Date
): InventorySchedule {
  if (!isIsoDate(input.date)) {
    throw new ValidationError('The schedule entry is not valid.', [
      { path: '/date', message: 'is not a calendar date' },
    ]);
  }
  refuseLinkedScheduleChange(existing);
  if (existing !== undefined && existing.sku !== input.sku) {
    throw new ValidationError('The schedule entry is not valid.', [
      {
        path: '/sku',
        message: `cannot change from '${existing.sku}': delete the entry and create a new one`,
      },
    ]);
  }
  const at = now.toISOString();
  return {
    id,
    sku: input.sku,
    sourceId: input.sourceId,
    kind: input.kind,
    quantity: input.quantity,
    date: input.date,
    ...(input.reference === undefined ? {} : { reference: input.reference }),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}
