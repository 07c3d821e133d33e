import type { Container, JSONObject, OperationResponse } from '@azure/cosmos';
import type { Order } from '../../domain/orders/order';
import type { TimelineEntry } from '../../domain/orders/timeline';
import type { Clock } from '../../ports/clock';
import type { OrderFilter, OrderRepository, Page, StepResult } from '../../ports/orders';
import { PreconditionFailedError } from '../../domain/errors';
import { stepResultId } from '../../domain/journeys/run-key';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, toStored } from './document-store';

/** Orders, their lines and their timeline in the `orders` container, one partition per order. */
export class CosmosOrderRepository implements OrderRepository {
  readonly #orders: DocumentStore<Order>;
  readonly #timeline: DocumentStore<TimelineEntry>;
  readonly #steps: DocumentStore<StepResult>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#orders = new DocumentStore<Order>(container, '/orderId', clock);
    this.#timeline = new DocumentStore<TimelineEntry>(container, '/orderId', clock);
    this.#steps = new DocumentStore<StepResult>(container, '/orderId', clock);
  }

  async createWithTimeline(order: Order, timeline: TimelineEntry[]): Promise<'created' | 'exists'> {
    // One transactional batch: the order never exists without its first timeline entries.
    const response = await withCosmosErrors(
      () =>
        this.container.items.batch(
          [order, ...timeline].map((doc) => ({
            operationType: 'Create' as const,
            resourceBody: asJson(doc),
          })),
          order.orderId
        ),
      { what: 'order' }
    );
    const statuses = (response.result ?? []).map((r) => r.statusCode);
    if (statuses.every((status) => status >= 200 && status < 300)) return 'created';
    if (statuses.includes(409)) return 'exists';
    throw new Error(`Storing order ${order.orderId} failed with statuses ${statuses.join(', ')}.`);
  }

  async get(orderId: string): Promise<Order | undefined> {
    return this.#orders.read(orderId, orderId);
  }

  async getForUpdate(orderId: string): Promise<{ order: Order; etag: string } | undefined> {
    const stored = await this.#orders.read(orderId, orderId);
    return stored ? { order: stored, etag: stored._etag } : undefined;
  }

  async saveWithTimeline(
    order: Order,
    etag: string,
    timeline: TimelineEntry[],
    stepResults: StepResult[] = []
  ): Promise<'saved' | 'duplicate'> {
    const { _etag: _e, _ts: _t, ...plain } = order as Order & { _etag?: string; _ts?: number };
    const response = await withCosmosErrors(
      () =>
        this.container.items.batch(
          [
            { operationType: 'Replace' as const, id: order.id, ifMatch: etag, resourceBody: asJson(plain) },
            ...[...timeline, ...stepResults].map((doc) => ({
              operationType: 'Create' as const,
              resourceBody: asJson(doc),
            })),
          ],
          order.orderId
        ),
      { what: 'order' }
    );
    const statuses = (response.result ?? []).map((r) => r.statusCode);
    if (statuses.every((status) => status >= 200 && status < 300)) return 'saved';
    if (statuses.includes(412))
      throw new PreconditionFailedError(`Order ${order.orderId} changed meanwhile.`);
    if (statuses.includes(409)) return 'duplicate';
    throw new Error(`Saving order ${order.orderId} failed with statuses ${statuses.join(', ')}.`);
  }

  async find(
    filter: OrderFilter,
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<Order>> {
    const clauses = ["c.type = 'order'"];
    const params: Record<string, string> = {};
    if (filter.externalId !== undefined) {
      clauses.push('c.externalId = @externalId');
      params['@externalId'] = filter.externalId;
    }
    if (filter.state !== undefined) {
      clauses.push('c.state = @state');
      params['@state'] = filter.state;
    }
    if (filter.channel !== undefined) {
      clauses.push('c.channel = @channel');
      params['@channel'] = filter.channel;
    }
    if (filter.created?.from !== undefined) {
      clauses.push('c.createdAt >= @createdFrom');
      params['@createdFrom'] = filter.created.from;
    }
    if (filter.created?.before !== undefined) {
      clauses.push('c.createdAt < @createdBefore');
      params['@createdBefore'] = filter.created.before;
    }
    return this.#orders.query<Order>(
      `SELECT * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.createdAt DESC`,
      params,
      {
        maxItemCount: page.maxItemCount,
        ...(page.continuationToken !== undefined ? { continuationToken: page.continuationToken } : {}),
      }
    );
  }

  async recordStep(
    orderId: string,
    timeline: TimelineEntry[],
    result: StepResult
  ): Promise<'saved' | 'duplicate'> {
    const response = await withCosmosErrors(
      () =>
        this.container.items.batch(
          [...timeline, result].map((doc) => ({
            operationType: 'Create' as const,
            resourceBody: asJson(doc),
          })),
          orderId
        ),
      { what: 'step result' }
    );
    const statuses = (response.result ?? []).map((r) => r.statusCode);
    if (statuses.every((status) => status >= 200 && status < 300)) return 'saved';
    if (statuses.includes(409)) return 'duplicate';
    throw new Error(`Storing a step result of order ${orderId} failed with statuses ${statuses.join(', ')}.`);
  }

  async stepResult(orderId: string, runId: string): Promise<StepResult | undefined> {
    return this.#steps.read(stepResultId(runId), orderId);
  }

  async stepResultAndOrder(
    orderId: string,
    runId: string
  ): Promise<{ stepResult?: StepResult; current?: { order: Order; etag: string } }> {
    let answers: OperationResponse[];
    try {
      answers = await this.#readBoth(orderId, stepResultId(runId));
    } catch {
      // A bulk needs the SDK's partition key ranges, and the SDK keeps a failed lookup of them for
      // the client's life: point reads need none, so they carry on.
      const [stepResult, current] = await Promise.all([
        this.stepResult(orderId, runId),
        this.getForUpdate(orderId),
      ]);
      return { ...(stepResult ? { stepResult } : {}), ...(current ? { current } : {}) };
    }
    const [step, order] = answers.map((answer) =>
      answer.statusCode === 200 ? answer.resourceBody : undefined
    );
    const stored = order === undefined ? undefined : toStored<Order>(order);
    return {
      ...(step ? { stepResult: toStored<StepResult>(step) } : {}),
      ...(stored ? { current: { order: stored, etag: stored._etag } } : {}),
    };
  }

  /** A step result and its order in one request (a bulk of two reads), each answered on its own. */
  #readBoth(orderId: string, stepId: string): Promise<OperationResponse[]> {
    return withCosmosErrors(
      async () => {
        const response = await this.container.items.bulk(
          [
            { operationType: 'Read' as const, id: stepId, partitionKey: orderId },
            { operationType: 'Read' as const, id: orderId, partitionKey: orderId },
          ],
          { continueOnError: true }
        );
        // A read refused on its own (throttled, say) fails the call as a point read would, so the
        // same retry policy applies.
        const refused = response.find((answer) => answer.statusCode !== 200 && answer.statusCode !== 404);
        if (refused !== undefined) {
          throw Object.assign(new Error(`Reading order ${orderId} answered ${refused.statusCode}.`), {
            code: refused.statusCode,
          });
        }
        return response;
      },
      { what: 'order' }
    );
  }

  async hasTimelineEntry(orderId: string, entryId: string): Promise<boolean> {
    return (await this.#timeline.read(entryId, orderId)) !== undefined;
  }

  async timeline(orderId: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#timeline.query<TimelineEntry>(
        "SELECT * FROM c WHERE c.orderId = @orderId AND c.type = 'timeline' ORDER BY c.at",
        { '@orderId': orderId },
        { partitionKey: orderId, maxItemCount: 500, ...(continuationToken ? { continuationToken } : {}) }
      );
      entries.push(...page.items);
      continuationToken = page.continuationToken;
    } while (continuationToken);
    return entries;
  }
}

function asJson(value: unknown): JSONObject {
  return JSON.parse(JSON.stringify(value)) as JSONObject;
}
