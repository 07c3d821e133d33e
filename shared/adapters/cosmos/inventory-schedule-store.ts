import type { Container } from '@azure/cosmos';
import type { InventorySchedule, ScheduleLink } from '../../domain/inventory/atp/atp-schedule';
import type { Clock } from '../../ports/clock';
import type {
  InventoryScheduleStore,
  ScheduleFilter,
  VersionedSchedule,
} from '../../ports/inventory-schedules';
import { DocumentStore, type Stored } from './document-store';

interface ScheduleDocument extends Omit<InventorySchedule, 'id'> {
  /** `schedule:{id}`: the prefix keeps entries apart from the inventory rows of the same SKU. */
  id: string;
  type: 'inventory-schedule';
  scheduleId: string;
}

const type = 'inventory-schedule';

/**
 * Change schedules in the `inventory` container beside the rows of their SKU (docs/data.md), so ATP for
 * a SKU reads one partition. Reading by id alone (the route has no SKU) is a cross-partition query
 * on `scheduleId`: a rare, small operation next to the per-SKU reads ATP does.
 */
export class CosmosInventoryScheduleStore implements InventoryScheduleStore {
  readonly #store: DocumentStore<ScheduleDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#store = new DocumentStore<ScheduleDocument>(container, '/sku', clock);
  }

  async get(id: string): Promise<VersionedSchedule | undefined> {
    const page = await this.#store.query(
      'SELECT * FROM c WHERE c.type = @type AND c.scheduleId = @id',
      { type, id },
      { maxItemCount: 10 }
    );
    const doc = page.items[0];
    return doc === undefined ? undefined : versioned(doc);
  }

  async create(schedule: InventorySchedule): Promise<VersionedSchedule> {
    return versioned(await this.#writer(schedule).create(documentOf(schedule)));
  }

  async replace(schedule: InventorySchedule, etag: string): Promise<VersionedSchedule> {
    const newEtag = await this.#writer(schedule).replaceIfMatch(documentOf(schedule), etag);
    return { schedule, etag: newEtag };
  }

  async delete(schedule: InventorySchedule, etag: string): Promise<void> {
    await this.#store.deleteIfMatch(documentIdOf(schedule.id), schedule.sku, etag);
  }

  async find(filter: ScheduleFilter): Promise<InventorySchedule[]> {
    const clauses = ['c.type = @type', 'c.sku = @sku'];
    const params: Record<string, string> = { type, sku: filter.sku };
    if (filter.from !== undefined) {
      clauses.push('c.date >= @from');
      params.from = filter.from;
    }
    if (filter.to !== undefined) {
      clauses.push('c.date <= @to');
      params.to = filter.to;
    }
    const sources = filter.sourceIds === undefined ? undefined : new Set(filter.sourceIds);
    const found: InventorySchedule[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#store.query(`SELECT * FROM c WHERE ${clauses.join(' AND ')}`, params, {
        partitionKey: filter.sku,
        maxItemCount: 1000,
        ...(continuationToken === undefined ? {} : { continuationToken }),
      });
      for (const doc of page.items) {
        if (sources === undefined || sources.has(doc.sourceId)) found.push(versioned(doc).schedule);
      }
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    // Sorted here: ORDER BY on two fields needs a composite index in Cosmos.
    return found.sort((a, b) => compare(a.date, b.date) || compare(a.id, b.id));
  }

  /** A cross-partition query (an order's lines may be of many SKUs), run when the order changes. */
  async findLinked(order: Omit<ScheduleLink, 'lineId'>): Promise<VersionedSchedule[]> {
    const found: VersionedSchedule[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#store.query(
        'SELECT * FROM c WHERE c.type = @type AND c.link.kind = @kind AND c.link.id = @id',
        { type, kind: order.kind, id: order.id },
        { maxItemCount: 1000, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      found.push(...page.items.map(versioned));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return found;
  }

  /** A store whose clock stands at the entry's updatedAt, so what is stored is what the caller answers with. */
  #writer(schedule: InventorySchedule): DocumentStore<ScheduleDocument> {
    const at = new Date(schedule.updatedAt);
    return new DocumentStore<ScheduleDocument>(this.container, '/sku', { now: () => at });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function documentIdOf(id: string): string {
  return `schedule:${id}`;
}

function documentOf(schedule: InventorySchedule): ScheduleDocument {
  return { ...schedule, id: documentIdOf(schedule.id), type, scheduleId: schedule.id };
}

function versioned(doc: Stored<ScheduleDocument>): VersionedSchedule {
  const { id: _id, type: _type, scheduleId, _etag, _ts, ...rest } = doc;
  return { schedule: { id: scheduleId, ...rest }, etag: _etag };
}
