import type { Container } from '@azure/cosmos';
import type { HoldState, InventoryHold } from '../../domain/inventory/holds/holds';
import type { Clock } from '../../ports/clock';
import type { InventoryHoldStore, VersionedHold } from '../../ports/inventory-holds';
import type { Page } from '../../ports/orders';
import { DocumentStore, type Stored } from './document-store';

interface HoldDocument extends Omit<InventoryHold, 'id'> {
  /** `hold:{orderId}-L{n}`: the prefix keeps holds apart from the inventory rows of the SKU. */
  id: string;
  type: 'inventory-hold';
  holdId: string;
}

const type = 'inventory-hold';

/**
 * Holds in the `inventory` container, partitioned by the line's SKU (docs/inventory-holds.md): the
 * re-check releases a SKU's holds against that SKU's stock, so the holds live beside the rows they
 * wait for, and listing one SKU's queue is a single-partition query.
 */
export class CosmosInventoryHoldStore implements InventoryHoldStore {
  readonly #store: DocumentStore<HoldDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#store = new DocumentStore<HoldDocument>(container, '/sku', clock);
  }

  async get(sku: string, id: string): Promise<VersionedHold | undefined> {
    const doc = await this.#store.read(documentIdOf(id), sku);
    return doc === undefined ? undefined : versioned(doc);
  }

  async create(hold: InventoryHold): Promise<VersionedHold> {
    return versioned(await this.#writer(hold).create(documentOf(hold)));
  }

  async replace(hold: InventoryHold, etag: string): Promise<VersionedHold> {
    const newEtag = await this.#writer(hold).replaceIfMatch(documentOf(hold), etag);
    return { hold, etag: newEtag };
  }

  async held(skus?: readonly string[]): Promise<InventoryHold[]> {
    if (skus !== undefined) return (await Promise.all(skus.map((sku) => this.#held(sku)))).flat();
    return this.#held(undefined);
  }

  async #held(sku: string | undefined): Promise<InventoryHold[]> {
    const found: InventoryHold[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#store.query(
        'SELECT * FROM c WHERE c.type = @type AND c.state = @state',
        { type, state: 'held' },
        {
          maxItemCount: 1000,
          ...(sku === undefined ? {} : { partitionKey: sku }),
          ...(continuationToken === undefined ? {} : { continuationToken }),
        }
      );
      found.push(...page.items.map((doc) => versioned(doc).hold));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return found;
  }

  async list(
    filter: { state?: HoldState; sku?: string },
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<InventoryHold>> {
    const clauses = ['c.type = @type'];
    const params: Record<string, string> = { type };
    if (filter.state !== undefined) {
      clauses.push('c.state = @state');
      params.state = filter.state;
    }
    if (filter.sku !== undefined) {
      clauses.push('c.sku = @sku');
      params.sku = filter.sku;
    }
    const result = await this.#store.query(
      `SELECT * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.queuedAt`,
      params,
      {
        maxItemCount: page.maxItemCount,
        ...(filter.sku === undefined ? {} : { partitionKey: filter.sku }),
        ...(page.continuationToken === undefined ? {} : { continuationToken: page.continuationToken }),
      }
    );
    const items = result.items.map((doc) => versioned(doc).hold);
    return result.continuationToken === undefined
      ? { items }
      : { items, continuationToken: result.continuationToken };
  }

  /** A store whose clock stands at the hold's updatedAt (the use case chose the timestamps). */
  #writer(hold: InventoryHold): DocumentStore<HoldDocument> {
    const at = new Date(hold.updatedAt);
    return new DocumentStore<HoldDocument>(this.container, '/sku', { now: () => at });
  }
}

function documentIdOf(id: string): string {
  return `hold:${id}`;
}

function documentOf(hold: InventoryHold): HoldDocument {
  return { ...hold, id: documentIdOf(hold.id), type, holdId: hold.id };
}

function versioned(doc: Stored<HoldDocument>): VersionedHold {
  const { id: _id, type: _type, holdId, _etag, _ts, ...rest } = doc;
  return { hold: { id: holdId, ...rest }, etag: _etag };
}
