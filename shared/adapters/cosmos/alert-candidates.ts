import type { Container } from '@azure/cosmos';
import {
  inFulfillmentState,
  openFulfillmentOrderStates,
  preFulfillmentOrderStates,
  preFulfillmentReasons,
  type BackorderCandidate,
  type ErrorListGrowth,
  type FulfillmentOrderCandidate,
  type OrderCandidate,
} from '../../domain/alerts/overdue';
import type { ErrorListName } from '../../domain/error-lists/error-entry';
import type { AlertCandidateSource } from '../../ports/alerts';
import type { Clock } from '../../ports/clock';
import { DocumentStore, type BaseDocument } from './document-store';

/**
 * The alert evaluation's reads (docs/alerts.md): projections of orders and fulfillment orders
 * (`orders`), backorder holds (`inventory`) and error-list entries (`jobs`), each filtered by state
 * and by the cutoff instant and capped, newest first. The order and hold queries cross partitions
 * (one per order or SKU): that is what "every order older than N minutes" means; the state and
 * cutoff filters keep the answer to the few that are stuck.
 */
export class CosmosAlertCandidates implements AlertCandidateSource {
  readonly #orders: DocumentStore<BaseDocument>;
  readonly #inventory: DocumentStore<BaseDocument>;
  readonly #jobs: DocumentStore<BaseDocument>;

  constructor(containers: { orders: Container; inventory: Container; jobs: Container }, clock: Clock) {
    this.#orders = new DocumentStore(containers.orders, '/orderId', clock);
    this.#inventory = new DocumentStore(containers.inventory, '/sku', clock);
    this.#jobs = new DocumentStore(containers.jobs, '/kind', clock);
  }

  async ordersBeforeFulfillment(cutoff: Date, limit: number): Promise<OrderCandidate[]> {
    const states = inList('c.state', 'state', preFulfillmentOrderStates);
    const reasons = inList('c.stateReason', 'reason', preFulfillmentReasons);
    const page = await this.#orders.query<OrderCandidate>(
      `SELECT c.orderId, c.externalId, c.state, c.stateReason, c.createdAt FROM c
        WHERE c.type = 'order' AND c.createdAt < @cutoff
          AND (${states.sql} OR (c.state = @inFulfillment AND ${reasons.sql}))
        ORDER BY c.createdAt DESC`,
      {
        cutoff: cutoff.toISOString(),
        inFulfillment: inFulfillmentState,
        ...states.params,
        ...reasons.params,
      },
      { maxItemCount: limit }
    );
    return page.items.slice(0, limit);
  }

  async unshippedFulfillmentOrders(cutoff: Date, limit: number): Promise<FulfillmentOrderCandidate[]> {
    // Open states named (not "not closed"): an equality the index answers, so shipped history is never read.
    const states = inList('c.state', 'state', openFulfillmentOrderStates);
    const page = await this.#orders.query<FulfillmentOrderCandidate>(
      `SELECT c.id AS fulfillmentOrderId, c.orderIds, c.sourceId, c.state, c.createdAt FROM c
        WHERE c.type = 'fulfillmentOrder' AND c.createdAt < @cutoff AND ${states.sql}
        ORDER BY c.createdAt DESC`,
      { cutoff: cutoff.toISOString(), ...states.params },
      { maxItemCount: limit }
    );
    return page.items.slice(0, limit);
  }

  async agedBackorders(cutoff: Date, limit: number): Promise<BackorderCandidate[]> {
    const page = await this.#inventory.query<BackorderCandidate>(
      `SELECT c.holdId, c.orderId, c.lineId, c.sku, c.quantity, c.heldAt FROM c
        WHERE c.type = 'inventory-hold' AND c.kind = 'backorder' AND c.state = 'held' AND c.heldAt < @cutoff
        ORDER BY c.heldAt DESC`,
      { cutoff: cutoff.toISOString() },
      { maxItemCount: limit }
    );
    return page.items.slice(0, limit);
  }

  async errorListGrowth(
    lists: readonly ErrorListName[],
    since: Date,
    upTo: number
  ): Promise<ErrorListGrowth[]> {
    return Promise.all(
      lists.map(async (list) => {
        // Ids only, and no more than the rule needs to decide: a list that grew by thousands costs a page.
        let entries = 0;
        let continuationToken: string | undefined;
        do {
          const page = await this.#jobs.query<{ id: string }>(
            "SELECT c.id FROM c WHERE c.type = 'error-entry' AND c.kind = @list AND c.createdAt >= @since",
            { list, since: since.toISOString() },
            {
              partitionKey: list,
              maxItemCount: upTo - entries,
              ...(continuationToken === undefined ? {} : { continuationToken }),
            }
          );
          entries += page.items.length;
          continuationToken = page.continuationToken;
        } while (continuationToken !== undefined && entries < upTo);
        return { list, entries: Math.min(entries, upTo) };
      })
    );
  }
}

/** `field IN (@name0, @name1, ...)` with its parameters: values never go into the SQL text. */
function inList(
  field: string,
  name: string,
  values: readonly string[]
): { sql: string; params: Record<string, string> } {
  const params = Object.fromEntries(values.map((value, index) => [`${name}${index}`, value]));
  return {
    sql: `${field} IN (${Object.keys(params)
      .map((key) => `@${key}`)
      .join(', ')})`,
    params,
  };
}
