import {
  sourceFromInput,
  type Geocoder,
  type Source,
  type SourceInput,
} from '../../domain/fulfillment/source';
import { accountFromInput, type Account, type AccountInput } from '../../domain/master-data/account';
import { keyFields, type MasterDataEntity } from '../../domain/master-data/master-data-entities';
import {
  priceListFromInputs,
  type PriceList,
  type PriceListInput,
} from '../../domain/master-data/price-list';
import { unitFromInput, type UnitInput, type UnitOfMeasure } from '../../domain/master-data/unit-of-measure';
import { productFromInput, type Product, type ProductInput } from '../../domain/products/product';
import { masterDataItemSchema } from '../../schemas/master-data.schema';
import { compileValidator } from '../../schemas/validator';

/** How one entity's items are checked, keyed and turned into the stored record. */
export interface MasterDataKind {
  entity: MasterDataEntity;
  /** The item field holding the key (`sku`, `accountId`, ...). */
  keyField: string;
  /** The item's JSON Schema, which also types a file row's cells (itemFromRow). */
  schema: object;
  /** Throws a ValidationError naming each bad path. */
  validate: (item: unknown) => object;
  /**
   * The record the items (all of one key, in file order) make of `existing`; throws a
   * ValidationError for a rule the schema cannot check.
   */
  build: (id: string, items: readonly object[], existing: object | undefined, now: Date) => object;
  /** Whether several items may share a key (price-list rows, each one price, merge into one list). */
  manyItemsPerKey: boolean;
  /** A file column's place in the item, when it is not the column's own name. */
  columnPlace?: Readonly<Record<string, string>>;
}

/** The last item of a key that takes one item: the one that wins. */
function only<T>(items: readonly object[]): T {
  return items[items.length - 1] as T;
}

function withoutKey<T>(item: object, keyField: string): T {
  const { [keyField]: _key, ...rest } = item as Record<string, unknown>;
  return rest as T;
}

/** Every entity's kind; sources are geocoded like `PUT /api/v1/sources/{id}`. */
export function masterDataKinds(geocode: Geocoder): Readonly<Record<MasterDataEntity, MasterDataKind>> {
  const kind = (
    entity: MasterDataEntity,
    build: MasterDataKind['build'],
    extra: Partial<MasterDataKind> = {}
  ): MasterDataKind => {
    const schema = masterDataItemSchema(entity);
    return {
      entity,
      keyField: keyFields[entity],
      schema,
      validate: compileValidator<object>(schema, entity.replace(/s$/, '').replace('-', ' ')),
      build,
      manyItemsPerKey: false,
      ...extra,
    };
  };
  return {
    products: kind('products', (sku, items, existing, now) =>
      productFromInput(sku, withoutKey<ProductInput>(only(items), 'sku'), existing as Product, now)
    ),
    sources: kind('sources', (id, items, existing, now) =>
      sourceFromInput(id, withoutKey<SourceInput>(only(items), 'sourceId'), existing as Source, geocode, now)
    ),
    accounts: kind('accounts', (_id, items, existing, now) =>
      accountFromInput(only<AccountInput>(items), existing as Account, now)
    ),
    units: kind('units', (_id, items, existing, now) =>
      unitFromInput(only<UnitInput>(items), existing as UnitOfMeasure, now)
    ),
    'price-lists': kind(
      'price-lists',
      (_id, items, existing, now) =>
        priceListFromInputs(items as readonly PriceListInput[], existing as PriceList, now),
      {
        manyItemsPerKey: true,
        // A file row is one price: its price columns are the list's first (and only) price.
        columnPlace: {
          sku: 'prices.0.sku',
          unitPrice: 'prices.0.unitPrice',
          unit: 'prices.0.unit',
          minQuantity: 'prices.0.minQuantity',
        },
      }
    ),
  };
}
