import type { PreorderTerms, SourceAtp, SourceAvailability } from '../../../domain/inventory/holds/holds';
import { applyEvent } from '../../../domain/states/apply-event';
import { TransitionNotAllowedError } from '../../../domain/states/transition-not-allowed-error';
import type { Clock } from '../../../ports/clock';
import type { InventoryHoldStore, InventoryReservations } from '../../../ports/inventory-holds';
import type { InventoryLevels, InventoryScheduleStore } from '../../../ports/inventory-schedules';
import type { OrderRepository } from '../../../ports/orders';
import type { ProductRepository } from '../../../ports/products';
import { atpTables } from '../atp/compute-atp';
import { raiseBusinessEvent, type RaiseBusinessEventDeps } from '../../events/raise-business-event';

/** What the hold use cases work with (built by shared/app/inventory/holds/wiring.ts). */
export interface HoldDeps {
  orders: OrderRepository;
  products: ProductRepository;
  holds: InventoryHoldStore;
  reservations: InventoryReservations;
  levels: InventoryLevels;
  schedules: InventoryScheduleStore;
  /** How business events are raised on order lines (the state framework in force, timeline, publishing). */
  events: RaiseBusinessEventDeps;
  clock: Clock;
  /** How far ahead backorder estimates look (the ATP period). */
  atpDays: number;
}

/** The business events of holds; all are out-of-box order line events (shared/domain/events/catalogue.ts). */
export const holdEvents = {
  reserved: 'On Hand Check Success',
  backorderApplied: 'Backorder Hold Applied',
  backorderReleased: 'Backorder Hold Released',
  preorderApplied: 'Preorder Hold Applied',
  preorderReleased: 'Preorder Hold Released',
  cancelled: 'Order Line Cancelled',
} as const;

/** The out-of-box line state of held lines; a line in it without a hold record is held for another reason. */
export const onHoldState = 'on hold';

/** Raises an event on an order line; the same id twice has the effect of once. */
export async function raiseLineEvent(
  deps: HoldDeps,
  event: { id: string; name: string; orderId: string; lineId: string; data?: Record<string, unknown> }
): Promise<void> {
  await raiseBusinessEvent(deps.events, {
    id: event.id,
    name: event.name,
    entityType: 'orderLine',
    entityId: event.lineId,
    orderId: event.orderId,
    ...(event.data === undefined ? {} : { data: event.data }),
  });
}

/**
 * Why the state framework would refuse `event` on a line in `state`, or undefined when it allows it.
 * Asked before acting (reserving, storing a hold), so a refused line leaves nothing behind.
 */
export function refusal(deps: HoldDeps, state: string, event: string): string | undefined {
  try {
    applyEvent(deps.events.config, { entityType: 'orderLine', currentState: state, event });
    return undefined;
  } catch (err) {
    if (err instanceof TransitionNotAllowedError) return err.message;
    throw err;
  }
}

/** The preorder terms of each SKU's product (none when the product is unknown or has none). */
export async function preorderTerms(
  deps: HoldDeps,
  skus: readonly string[]
): Promise<Map<string, PreorderTerms | undefined>> {
  const products = await Promise.all(skus.map((sku) => deps.products.get(sku)));
  return new Map(skus.map((sku, i) => [sku, products[i]?.product.preorder]));
}

/** Reservable stock per SKU and source. */
export async function availabilityBySku(
  deps: HoldDeps,
  skus: readonly string[]
): Promise<Map<string, SourceAvailability[]>> {
  const bySku = new Map<string, SourceAvailability[]>(skus.map((sku) => [sku, []]));
  if (skus.length === 0) return bySku;
  for (const level of await deps.levels.availableToReserve(skus)) {
    bySku.get(level.sku)?.push({ sourceId: level.sourceId, available: level.quantity });
  }
  return bySku;
}

/** ATP tables per SKU, read once per SKU on first need (only backorders need them). */
export function atpReader(deps: HoldDeps, today: string): (sku: string) => Promise<SourceAtp[]> {
  const cache = new Map<string, Promise<SourceAtp[]>>();
  return (sku) => {
    let tables = cache.get(sku);
    if (tables === undefined) {
      tables = atpTables(deps, [sku], undefined, today, deps.atpDays).then((items) =>
        items.map((item) => ({ sourceId: item.sourceId, days: item.days }))
      );
      cache.set(sku, tables);
    }
    return tables;
  };
}
