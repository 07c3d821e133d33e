import type { Container } from '@azure/cosmos';
import type { SupplyOrder, SupplyOrderKind } from '../../domain/purchasing/supply-order';
import type { Clock } from '../../ports/clock';
import type { Page } from '../../ports/orders';
import type { SupplyOrderFilter, SupplyOrderRepository, VersionedSupplyOrder } from '../../ports/purchasing';
import { DocumentStore, type Stored } from './document-store';

type SupplyOrderDocument = Omit<SupplyOrder, 'id'> & {
  id: string;
  type: SupplyOrderKind;
  /** `purchaseOrder:{id}` / `transferOrder:{id}`: each order is a partition of `orders` of its own. */
  orderId: string;
};

/**
 * Purchase and transfer orders in the `orders` container (transactional documents, docs/data.md),
 * each in a partition of its own named after it, as fulfillment order lookups are: a receipt is one
 * ETag-checked replace of one document. Lists are cross-partition queries on `type`.
 */
export class CosmosSupplyOrderRepository implements SupplyOrderRepository {
  readonly #store: DocumentStore<SupplyOrderDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#store = new DocumentStore<SupplyOrderDocument>(container, '/orderId', clock);
  }

  async get(kind: SupplyOrderKind, id: string): Promise<VersionedSupplyOrder | undefined> {
    const doc = await this.#store.read(id, partitionOf(kind, id));
    return doc === undefined || doc.type !== kind ? undefined : versioned(doc);
  }

  async create(order: SupplyOrder): Promise<VersionedSupplyOrder> {
    return versioned(await this.#writer(order).create(documentOf(order)));
  }

  async replace(order: SupplyOrder, etag: string): Promise<VersionedSupplyOrder> {
    const newEtag = await this.#writer(order).replaceIfMatch(documentOf(order), etag);
    return { order, etag: newEtag };
  }

  async list(
    kind: SupplyOrderKind,
    filter: SupplyOrderFilter,
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<SupplyOrder>> {
    const clauses = ['c.type = @type'];
    const params: Record<string, string> = { type: kind };
    if (filter.state !== undefined) {
      clauses.push('c.state = @state');
      params.state = filter.state;
    }
    if (filter.sourceId !== undefined) {
      clauses.push(
        kind === 'purchaseOrder'
          ? 'c.sourceId = @sourceId'
          : '(c.fromSourceId = @sourceId OR c.toSourceId = @sourceId)'
      );
      params.sourceId = filter.sourceId;
    }
    const result = await this.#store.query(
      `SELECT * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.createdAt`,
      params,
      {
        maxItemCount: page.maxItemCount,
        ...(page.continuationToken === undefined ? {} : { continuationToken: page.continuationToken }),
      }
    );
    const items = result.items.map((doc) => versioned(doc).order);
    return result.continuationToken === undefined
      ? { items }
      : { items, continuationToken: result.continuationToken };
  }

  /** A store whose clock stands at the order's updatedAt (the use case chose the timestamps). */
  #writer(order: SupplyOrder): DocumentStore<SupplyOrderDocument> {
    const at = new Date(order.updatedAt);
    return new DocumentStore<SupplyOrderDocument>(this.container, '/orderId', { now: () => at });
  }
}

function partitionOf(kind: SupplyOrderKind, id: string): string {
  return `${kind}:${id}`;
}

function documentOf(order: SupplyOrder): SupplyOrderDocument {
  return { ...order, type: order.kind, orderId: partitionOf(order.kind, order.id) };
}

function versioned(doc: Stored<SupplyOrderDocument>): VersionedSupplyOrder {
  const { type: _type, orderId: _orderId, _etag, _ts, ...order } = doc;
  return { order: order as SupplyOrder, etag: _etag };
}
