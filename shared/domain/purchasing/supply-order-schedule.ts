import type { InventorySchedule } from '../inventory/atp/atp-schedule';
import { openQuantity, type SupplyOrder } from './supply-order';

/** A schedule entry an order wants, before it is stored (the store keeps createdAt). */
export type LinkedScheduleEntry = Omit<InventorySchedule, 'createdAt' | 'updatedAt'> &
  Required<Pick<InventorySchedule, 'link'>>;

/**
 * The change schedule entries that stand for an order's open lines (docs/purchasing.md): a purchase
 * order line is supply at the receiving source on its expected date (the line's, else the order's);
 * a transfer order line is supply at the destination on the expected date and demand at the source
 * on the ship date. Each is the line's open quantity; a line with nothing open has none. Ids are
 * derived from the order and line (`po:{id}:{lineId}`, `to:{id}:{lineId}:in` / `:out`), so keeping
 * the entries in step is idempotent.
 */
export function scheduleEntriesOf(order: SupplyOrder): LinkedScheduleEntry[] {
  const entries: LinkedScheduleEntry[] = [];
  for (const line of order.lines) {
    const quantity = openQuantity(line);
    if (quantity <= 0) continue;
    const link = { kind: order.kind, id: order.id, lineId: line.lineId };
    const base = { sku: line.sku, quantity, reference: order.id, link };
    if (order.kind === 'purchaseOrder') {
      entries.push({
        ...base,
        id: `po:${order.id}:${line.lineId}`,
        sourceId: order.sourceId,
        kind: 'supply',
        date: line.expectedDate ?? order.expectedDate,
      });
    } else {
      entries.push({
        ...base,
        id: `to:${order.id}:${line.lineId}:in`,
        sourceId: order.toSourceId,
        kind: 'supply',
        date: order.expectedDate,
      });
      entries.push({
        ...base,
        id: `to:${order.id}:${line.lineId}:out`,
        sourceId: order.fromSourceId,
        kind: 'demand',
        date: order.shipDate,
      });
    }
  }
  return entries;
}

/** Whether a stored entry already says what the order wants (no write needed). */
export function scheduleEntryMatches(stored: InventorySchedule, wanted: LinkedScheduleEntry): boolean {
  return (
    stored.sku === wanted.sku &&
    stored.sourceId === wanted.sourceId &&
    stored.kind === wanted.kind &&
    stored.quantity === wanted.quantity &&
    stored.date === wanted.date &&
    stored.reference === wanted.reference &&
    stored.link?.kind === wanted.link.kind &&
    stored.link.id === wanted.link.id &&
    stored.link.lineId === wanted.link.lineId
  );
}
