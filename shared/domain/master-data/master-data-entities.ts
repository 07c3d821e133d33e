/**
 * Master data (docs/master-data.md): products, customer accounts, sources, price lists and units of
 * measure, imported from dropped files or the bulk API, upserted by key in the `catalog` container.
 */
export const masterDataEntities = ['products', 'accounts', 'sources', 'price-lists', 'units'] as const;
export type MasterDataEntity = (typeof masterDataEntities)[number];

export function isMasterDataEntity(name: string): name is MasterDataEntity {
  return (masterDataEntities as readonly string[]).includes(name);
}

/** The field of an item that names its key, per entity (`product:{sku}`, `account:{accountId}`, ...). */
export const keyFields: Readonly<Record<MasterDataEntity, string>> = {
  products: 'sku',
  accounts: 'accountId',
  sources: 'sourceId',
  'price-lists': 'priceListId',
  units: 'unitId',
};

/** What is wrong with one item: where it is (row of a file, index of a bulk body), the field, why. */
export interface ItemIssue {
  /** The row number in the file (header = row 1; JSON: 1-based position), or the bulk item's index. */
  at: number;
  /** JSON pointer into the item (`/dimensions/length`); '' for the item as a whole. */
  path: string;
  message: string;
}

/** Counts of an upsert run; every item is exactly one of created, updated, unchanged, failed. */
export interface UpsertCounts {
  items: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}
