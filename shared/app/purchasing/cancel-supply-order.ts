import { PreconditionFailedError } from '../../domain/errors';
import { cancelSupplyOrder as cancelled, type SupplyOrderKind } from '../../domain/purchasing/supply-order';
import type { VersionedSupplyOrder } from '../../ports/purchasing';
import { getSupplyOrder } from './query-supply-orders';
import type { PurchasingDeps } from './supply-order-deps';
import { syncSupplySchedules } from './sync-supply-schedules';

const maxAttempts = 5;

/**
 * `POST .../{id}/cancel`: what is still open is cancelled and its schedule entries go; what was
 * received stays. Cancelling again answers the cancelled order; a fully received order is 409.
 */
export async function cancelSupplyOrder(
  deps: PurchasingDeps,
  kind: SupplyOrderKind,
  rawId: string
): Promise<VersionedSupplyOrder> {
  for (let attempt = 1; ; attempt++) {
    const found = await getSupplyOrder(deps, kind, rawId);
    const next = cancelled(found.order, deps.clock.now());
    let stored = found;
    if (next !== found.order) {
      try {
        stored = await deps.orders.replace(next, found.etag);
      } catch (err) {
        if (err instanceof PreconditionFailedError && attempt < maxAttempts) continue;
        throw err;
      }
    }
    await syncSupplySchedules(deps, kind, stored.order.id);
    return stored;
  }
}
