import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../domain/errors';
import type { FulfillmentStrategy } from '../../domain/fulfillment/strategy';
import type { Clock } from '../../ports/clock';
import type {
  StrategyRepository,
  StrategyWrite,
  VersionedStrategy,
} from '../../ports/fulfillment-strategies';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type Stored } from './document-store';

/** The partition of the `config` container (partition key `/kind`) holding every strategy. */
const partition = 'fulfillment-strategy';

interface StrategyDocument {
  /** `fulfillment-strategy:{id}`. */
  id: string;
  type: typeof partition;
  kind: typeof partition;
  strategy: FulfillmentStrategy;
  createdAt?: string;
  updatedAt?: string;
}

/**
 * Strategies in `config`, all in one partition: making one the default and unsetting the previous
 * default is one transactional batch, so there is never a moment with two defaults or none.
 */
export class CosmosStrategyRepository implements StrategyRepository {
  readonly #store: DocumentStore<StrategyDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#store = new DocumentStore<StrategyDocument>(container, '/kind', clock);
  }

  async get(id: string): Promise<VersionedStrategy | undefined> {
    const doc = await this.#store.read(documentIdOf(id), partition);
    return doc === undefined ? undefined : versioned(doc);
  }

  async list(): Promise<VersionedStrategy[]> {
    const found: VersionedStrategy[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#store.query(
        `SELECT * FROM c WHERE c.kind = '${partition}' AND c.type = '${partition}'`,
        {},
        { partitionKey: partition, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      found.push(...page.items.map(versioned));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return found.sort((a, b) => (a.strategy.id < b.strategy.id ? -1 : a.strategy.id > b.strategy.id ? 1 : 0));
  }

  async write(writes: readonly StrategyWrite[]): Promise<VersionedStrategy[]> {
    if (writes.length === 0) return [];
    const operations: OperationInput[] = writes.map(({ strategy, etag }) => {
      const body = asJson(documentOf(strategy));
      return etag === undefined
        ? { operationType: 'Create', resourceBody: body }
        : { operationType: 'Replace', id: documentIdOf(strategy.id), ifMatch: etag, resourceBody: body };
    });
    const what = `config/${documentIdOf(writes[0]!.strategy.id)}`;
    const response = await withCosmosErrors(() => this.container.items.batch(operations, partition), {
      what,
    });
    const results = response.result ?? [];
    const statuses = results.map((r) => r.statusCode);
    if (statuses.length === writes.length && statuses.every((s) => s >= 200 && s < 300)) {
      return writes.map((w, i) => ({ strategy: w.strategy, etag: results[i]!.eTag ?? '' }));
    }
    // In an atomic batch the failing operation keeps its status and the others report 424.
    const failed = statuses.findIndex((s) => s !== 424 && (s < 200 || s >= 300));
    const label = `Strategy ${writes[failed]?.strategy.id ?? writes[0]!.strategy.id}`;
    const status = statuses[failed];
    if (status === 409) throw new ConflictError(`${label} exists already.`);
    if (status === 412) throw new PreconditionFailedError(`${label} has changed meanwhile.`);
    if (status === 404) throw new NotFoundError(`${label} no longer exists.`);
    throw new Error(`Writing ${what} failed with statuses ${statuses.join(', ')}.`);
  }

  async delete(id: string, etag: string): Promise<void> {
    await this.#store.deleteIfMatch(documentIdOf(id), partition, etag);
  }
}

function documentIdOf(id: string): string {
  return `${partition}:${id}`;
}

function documentOf(strategy: FulfillmentStrategy): StrategyDocument {
  return {
    id: documentIdOf(strategy.id),
    type: partition,
    kind: partition,
    strategy,
    createdAt: strategy.createdAt,
    updatedAt: strategy.updatedAt,
  };
}

function versioned(doc: Stored<StrategyDocument>): VersionedStrategy {
  return { strategy: doc.strategy, etag: doc._etag };
}

function asJson(value: unknown): JSONObject {
  return JSON.parse(JSON.stringify(value)) as JSONObject;
}
