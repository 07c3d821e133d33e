import { addQuantities } from './quantity';

/** Extra coordinates of a row, e.g. `{color: "red", size: "M"}` (IOM's dimensions). */
export type Dimensions = Readonly<Record<string, string>>;

/**
 * An allocation group: up to two levels, a channel and optionally a customer group within it. Each
 * (channel, customerGroup) pair is its own pool: `{channel: "web"}` and `{channel: "web",
 * customerGroup: "vip"}` hold separate quantities.
 */
export interface AllocationGroup {
  channel: string;
  customerGroup?: string;
}

export interface GroupAllocation extends AllocationGroup {
  quantity: number;
}

/** Inventory of one SKU at one source with one set of dimensions (docs/data.md `inventory`). */
export interface InventoryRow {
  sku: string;
  sourceId: string;
  dimensions: Dimensions;
  /** `dimensionsKeyOf(dimensions)`: equal dimensions, equal key, whatever the order of the fields. */
  dimensionsKey: string;
  /** Physical and system measures by name; an absent measure is 0. */
  measures: Record<string, number>;
  /** Quantities set aside per allocation group (only non-zero ones are kept); they sum to `allocated`. */
  allocations: GroupAllocation[];
  createdAt?: string;
  updatedAt?: string;
}

/** Where a row is: the SKU (the partition), the source and the dimensions key. */
export interface RowAddress {
  sku: string;
  sourceId: string;
  dimensionsKey: string;
}

/**
 * The canonical text of a set of dimensions: `name=value` pairs sorted by name and joined with `;`,
 * each part URI-encoded so that `;` and `=` inside values cannot make two sets collide. `{}` → ''.
 */
export function dimensionsKeyOf(dimensions: Dimensions | undefined): string {
  if (dimensions === undefined) return '';
  return Object.keys(dimensions)
    .sort()
    .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(dimensions[name]!)}`)
    .join(';');
}

/** A map key for a row address. */
export function rowAddressKey(address: RowAddress): string {
  return JSON.stringify([address.sku, address.sourceId, address.dimensionsKey]);
}

export function emptyRow(sku: string, sourceId: string, dimensions: Dimensions = {}): InventoryRow {
  return {
    sku,
    sourceId,
    dimensions: { ...dimensions },
    dimensionsKey: dimensionsKeyOf(dimensions),
    measures: {},
    allocations: [],
  };
}

export function sameGroup(a: AllocationGroup, b: AllocationGroup): boolean {
  return a.channel === b.channel && (a.customerGroup ?? null) === (b.customerGroup ?? null);
}

/** How much the row holds for `group` (0 when nothing). */
export function allocationOf(row: InventoryRow, group: AllocationGroup): number {
  return row.allocations.find((entry) => sameGroup(entry, group))?.quantity ?? 0;
}

/** The group's pool changed by `delta`; pools that reach 0 are dropped. The caller checks the bounds. */
export function withAllocationChange(
  allocations: readonly GroupAllocation[],
  group: AllocationGroup,
  delta: number
): GroupAllocation[] {
  const next: GroupAllocation[] = [];
  let found = false;
  for (const entry of allocations) {
    if (!sameGroup(entry, group)) {
      next.push({ ...entry });
      continue;
    }
    found = true;
    const quantity = addQuantities(entry.quantity, delta);
    if (quantity !== 0) next.push({ ...entry, quantity });
  }
  if (!found && delta !== 0) next.push({ ...groupOf(group), quantity: addQuantities(0, delta) });
  return next;
}

/** Just the group's own fields (no quantity, no stray properties). */
export function groupOf(group: AllocationGroup): AllocationGroup {
  return group.customerGroup === undefined
    ? { channel: group.channel }
    : { channel: group.channel, customerGroup: group.customerGroup };
}

/** A readable name of a group for messages: `web` or `web/vip`. */
export function groupLabel(group: AllocationGroup): string {
  return group.customerGroup === undefined ? group.channel : `${group.channel}/${group.customerGroup}`;
}

/** A readable name of a row for messages. */
export function rowLabel(address: RowAddress): string {
  const dims = address.dimensionsKey === '' ? '' : ` [${decodeURIComponent(address.dimensionsKey)}]`;
  return `SKU ${address.sku} at source ${address.sourceId}${dims}`;
}
