import type { HoldState, InventoryHold } from '../../../domain/inventory/holds/holds';
import type { InventoryHoldStore } from '../../../ports/inventory-holds';
import type { Page } from '../../../ports/orders';
import type { HoldListQuery } from '../../../schemas/inventory-hold.schema';

export interface ListHoldsDeps {
  validate: (input: unknown) => HoldListQuery;
  holds: InventoryHoldStore;
}

const defaultPageSize = 100;

/** `GET /api/v1/inventory/holds?state=&sku=&top=&continuationToken=`: holds oldest first. */
export async function listHolds(
  deps: ListHoldsDeps,
  query: Record<string, string>
): Promise<Page<InventoryHold>> {
  // Query values arrive as text; a number that is not one stays text so the schema names it.
  const raw: Record<string, unknown> = { ...query };
  if (typeof raw.top === 'string' && /^\d+$/.test(raw.top)) raw.top = Number(raw.top);
  const filter = deps.validate(raw);
  return deps.holds.list(
    {
      ...(filter.state === undefined ? {} : { state: filter.state as HoldState }),
      ...(filter.sku === undefined ? {} : { sku: filter.sku }),
    },
    {
      maxItemCount: filter.top ?? defaultPageSize,
      ...(filter.continuationToken === undefined ? {} : { continuationToken: filter.continuationToken }),
    }
  );
}
