import { NotFoundError } from '../../domain/errors';
import { orderTitle, type SupplyOrder, type SupplyOrderKind } from '../../domain/purchasing/supply-order';
import type { Page } from '../../ports/orders';
import type { VersionedSupplyOrder } from '../../ports/purchasing';
import type { PurchasingDeps } from './supply-order-deps';

const defaultPageSize = 100;

/** One order with its ETag; 404 `purchase-order-not-found` / `transfer-order-not-found`. */
export async function getSupplyOrder(
  deps: Pick<PurchasingDeps, 'orders' | 'validators'>,
  kind: SupplyOrderKind,
  rawId: string
): Promise<VersionedSupplyOrder> {
  const id = deps.validators.route({ id: rawId }).id;
  const found = await deps.orders.get(kind, id);
  if (found === undefined) {
    throw new NotFoundError(`${orderTitle(kind, id)} does not exist.`, {
      code: kind === 'purchaseOrder' ? 'purchase-order-not-found' : 'transfer-order-not-found',
    });
  }
  return found;
}

/** `GET /api/v1/purchase-orders?state=&sourceId=&top=&continuationToken=` (and transfer orders): oldest first. */
export async function listSupplyOrders(
  deps: Pick<PurchasingDeps, 'orders' | 'validators'>,
  kind: SupplyOrderKind,
  query: Record<string, string>
): Promise<Page<SupplyOrder>> {
  // Query values arrive as text; a number that is not one stays text so the schema names it.
  const raw: Record<string, unknown> = { ...query };
  if (typeof raw.top === 'string' && /^\d+$/.test(raw.top)) raw.top = Number(raw.top);
  const filter = deps.validators.list(raw);
  return deps.orders.list(
    kind,
    {
      ...(filter.state === undefined ? {} : { state: filter.state }),
      ...(filter.sourceId === undefined ? {} : { sourceId: filter.sourceId }),
    },
    {
      maxItemCount: filter.top ?? defaultPageSize,
      ...(filter.continuationToken === undefined ? {} : { continuationToken: filter.continuationToken }),
    }
  );
}
