import type { Container, JSONObject } from '@azure/cosmos';
import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import type { Order } from '../../domain/orders/order';
import type { TimelineEntry } from '../../domain/orders/timeline';
import type { OrderReturn } from '../../domain/returns/order-return';
import type { Clock } from '../../ports/clock';
import type { ReturnRepository, VersionedReturn } from '../../ports/returns';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type Stored } from './document-store';

/** Where a return is stored, in a partition of its own so a return is found by its id alone. */
interface ReturnLookup {
  id: string;
  type: 'returnLookup';
  orderId: string;
  homeOrderId: string;
  createdAt?: string;
  updatedAt?: string;
}

/** Returns in the `orders` container, in their order's partition. */
export class CosmosReturnRepository implements ReturnRepository {
  readonly #returns: DocumentStore<OrderReturn>;
  readonly #lookups: DocumentStore<ReturnLookup>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#returns = new DocumentStore<OrderReturn>(container, '/orderId', clock);
    this.#lookups = new DocumentStore<ReturnLookup>(container, '/orderId', clock);
  }

  async get(returnId: string): Promise<VersionedReturn | undefined> {
    const lookup = await this.#lookups.read(returnId, lookupPartition(returnId));
    if (lookup?.type !== 'returnLookup') return undefined;
    const doc = await this.#returns.read(returnId, lookup.homeOrderId);
    if (doc?.type !== 'return') return undefined;
    return { orderReturn: plain(doc), etag: doc._etag };
  }

  async listByOrder(orderId: string): Promise<OrderReturn[]> {
    const found: OrderReturn[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#returns.query(
        "SELECT * FROM c WHERE c.orderId = @orderId AND c.type = 'return'",
        { orderId },
        { partitionKey: orderId, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      found.push(...page.items.map(plain));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async create(
    orderReturn: OrderReturn,
    current: { order: Order; etag: string },
    timeline: TimelineEntry[]
  ): Promise<'created' | 'exists' | 'changed'> {
    // The lookup goes first: a return is never stored without it (a crash leaves at most a lookup
    // to nothing, which reads ignore).
    await this.#ensureLookup(orderReturn);
    const { _etag: _e, _ts: _t, ...order } = current.order as Order & { _etag?: string; _ts?: number };
    const response = await withCosmosErrors(
      () =>
        this.container.items.batch(
          [
            { operationType: 'Create' as const, resourceBody: asJson(orderReturn) },
            {
              operationType: 'Replace' as const,
              id: order.id,
              ifMatch: current.etag,
              resourceBody: asJson({ ...order, updatedAt: orderReturn.createdAt }),
            },
            ...timeline.map((entry) => ({ operationType: 'Create' as const, resourceBody: asJson(entry) })),
          ],
          orderReturn.orderId
        ),
      { what: 'return' }
    );
    const [returnStatus, orderStatus] = (response.result ?? []).map((r) => r.statusCode);
    if (returnStatus === 409) return 'exists';
    if (orderStatus === 412) return 'changed';
    const statuses = (response.result ?? []).map((r) => r.statusCode);
    if (statuses.every((status) => status >= 200 && status < 300)) return 'created';
    throw new Error(
      `Storing return ${orderReturn.id} of order ${orderReturn.orderId} failed with statuses ${statuses.join(', ')}.`
    );
  }

  async save(
    orderReturn: OrderReturn,
    etag: string,
    timeline: TimelineEntry[]
  ): Promise<'saved' | 'duplicate'> {
    const {
      _etag: _e,
      _ts: _t,
      ...plainReturn
    } = orderReturn as OrderReturn & { _etag?: string; _ts?: number };
    const response = await withCosmosErrors(
      () =>
        this.container.items.batch(
          [
            {
              operationType: 'Replace' as const,
              id: orderReturn.id,
              ifMatch: etag,
              resourceBody: asJson(plainReturn),
            },
            ...timeline.map((entry) => ({ operationType: 'Create' as const, resourceBody: asJson(entry) })),
          ],
          orderReturn.orderId
        ),
      { what: 'return' }
    );
    const statuses = (response.result ?? []).map((r) => r.statusCode);
    if (statuses.every((status) => status >= 200 && status < 300)) return 'saved';
    if (statuses.includes(412))
      throw new PreconditionFailedError(`Return ${orderReturn.id} changed meanwhile.`);
    if (statuses.includes(409)) return 'duplicate';
    throw new Error(`Saving return ${orderReturn.id} failed with statuses ${statuses.join(', ')}.`);
  }

  async #ensureLookup(orderReturn: OrderReturn): Promise<void> {
    const lookup: ReturnLookup = {
      id: orderReturn.id,
      type: 'returnLookup',
      orderId: lookupPartition(orderReturn.id),
      homeOrderId: orderReturn.orderId,
    };
    if ((await this.#lookups.read(lookup.id, lookup.orderId)) !== undefined) return;
    try {
      await this.#lookups.create(lookup);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}

function lookupPartition(returnId: string): string {
  return `return:${returnId}`;
}

function asJson(doc: object): JSONObject {
  return JSON.parse(JSON.stringify(doc)) as JSONObject;
}

function plain(doc: Stored<OrderReturn>): OrderReturn {
  const { _etag: _e, _ts: _t, ...orderReturn } = doc;
  return orderReturn;
}
