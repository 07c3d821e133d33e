import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { ConflictError } from '../../domain/errors';
import { emptyMonth, type MonthUsage, type OrderUsage } from '../../domain/meter/order-usage';
import { nowIso, type Clock } from '../../ports/clock';
import type { OrderLineMeter } from '../../ports/meter';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore } from './document-store';

/** A month's totals; its id is the month, in the month's own partition. */
interface MonthDocument {
  id: string;
  type: 'meter-month';
  month: string;
  orderLines: number;
  orders: number;
  createdAt?: string;
  updatedAt?: string;
}

/** Proof that an order was counted: at most one per order id in its month's partition. */
interface CountedOrderDocument {
  id: string;
  type: 'meter-order';
  month: string;
  orderId: string;
  orderLines: number;
  createdAt: string;
  updatedAt: string;
}

/** Rounds of "the month document is missing: create it, try again" before giving up. */
const maxRounds = 3;

/**
 * The meter in the `meter` container (partition `/month`). Counting an order is one transactional
 * batch in its month's partition: create the order's marker document, and patch the month's totals
 * with `incr`. Exactly-once per order comes from the marker (a second create of the same id fails
 * with 409 and the whole batch rolls back); no lost updates come from `incr`, which the server
 * applies to the current document, so concurrent counts never overwrite each other and need no
 * ETag retry loop.
 */
export class CosmosMeterRepository implements OrderLineMeter {
  readonly #months: DocumentStore<MonthDocument>;

  constructor(
    private readonly container: Container,
    private readonly clock: Clock
  ) {
    this.#months = new DocumentStore<MonthDocument>(container, '/month', clock);
  }

  async count(usage: OrderUsage): Promise<'counted' | 'already-counted'> {
    const now = nowIso(this.clock);
    const marker: CountedOrderDocument = {
      id: `order:${usage.orderId}`,
      type: 'meter-order',
      month: usage.month,
      orderId: usage.orderId,
      orderLines: usage.orderLines,
      createdAt: now,
      updatedAt: now,
    };
    const operations: OperationInput[] = [
      { operationType: 'Create', resourceBody: marker as unknown as JSONObject },
      {
        operationType: 'Patch',
        id: usage.month,
        resourceBody: {
          operations: [
            { op: 'incr', path: '/orderLines', value: usage.orderLines },
            { op: 'incr', path: '/orders', value: 1 },
            { op: 'set', path: '/updatedAt', value: now },
          ],
        },
      },
    ];
    for (let round = 1; ; round++) {
      const response = await withCosmosErrors(() => this.container.items.batch(operations, usage.month), {
        what: `meter/${usage.month}`,
      });
      const statuses = (response.result ?? []).map((r) => r.statusCode);
      if (statuses.length > 0 && statuses.every((status) => status >= 200 && status < 300)) return 'counted';
      if (statuses[0] === 409) return 'already-counted';
      if (statuses[1] === 404 && round < maxRounds) {
        await this.#createMonth(usage.month);
        continue;
      }
      throw new Error(
        `Counting order ${usage.orderId} in meter/${usage.month} failed with statuses ${statuses.join(', ')}.`
      );
    }
  }

  async months(months: readonly string[]): Promise<MonthUsage[]> {
    return Promise.all(
      months.map(async (month) => {
        const doc = await this.#months.read(month, month);
        return doc ? { month, orderLines: doc.orderLines, orders: doc.orders } : emptyMonth(month);
      })
    );
  }

  /** The month's totals at zero; a concurrent creator winning is as good. */
  async #createMonth(month: string): Promise<void> {
    try {
      await this.#months.create({ id: month, type: 'meter-month', month, orderLines: 0, orders: 0 });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}
