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
/** A transactional batch holds at most 100 operations: the markers and the month's patch. */
const maxOrdersPerBatch = 99;

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * The meter in the `meter` container (partition `/month`). Counting an order is one transactional
 * batch in its month's partition: create the order's marker document, and patch the month's totals
 * with `incr`. Exactly-once per order comes from the marker (a second create of the same id fails
 * with 409 and the whole batch rolls back); no lost updates come from `incr`, which the server
 * applies to the current document, so concurrent counts never overwrite each other and need no
 * ETag retry loop. A group of orders (countAll) shares one batch per month.
 */
export class CosmosMeterRepository implements OrderLineMeter {
  readonly #months: DocumentStore<MonthDocument>;

  constructor(
    private readonly container: Container,
    private readonly clock: Clock
  ) {
    this.#months = new DocumentStore<MonthDocument>(container, '/month', clock);
  }

  count(usage: OrderUsage): Promise<'counted' | 'already-counted'> {
    return this.#commit(usage.month, [usage]);
  }

  /**
   * One batch per month for all of them; if any was counted before (a redelivered group), the batch
   * rolls back as a whole and each is counted on its own instead.
   */
  async countAll(usages: readonly OrderUsage[]): Promise<void> {
    const byMonth = new Map<string, OrderUsage[]>();
    for (const usage of usages) byMonth.set(usage.month, [...(byMonth.get(usage.month) ?? []), usage]);
    await Promise.all(
      [...byMonth].map(async ([month, monthUsages]) => {
        for (let start = 0; start < monthUsages.length; start += maxOrdersPerBatch) {
          const part = monthUsages.slice(start, start + maxOrdersPerBatch);
          if ((await this.#commit(month, part)) === 'counted' || part.length === 1) continue;
          await Promise.all(part.map((usage) => this.#commit(month, [usage])));
        }
      })
    );
  }

  /** Markers for the orders and the month's increments in one transactional batch. */
  async #commit(month: string, usages: readonly OrderUsage[]): Promise<'counted' | 'already-counted'> {
    const now = nowIso(this.clock);
    const markers = usages.map((usage): CountedOrderDocument => ({
      id: `order:${usage.orderId}`,
      type: 'meter-order',
      month,
      orderId: usage.orderId,
      orderLines: usage.orderLines,
      createdAt: now,
      updatedAt: now,
    }));
    const operations: OperationInput[] = [
      ...markers.map((marker): OperationInput => ({
        operationType: 'Create',
        resourceBody: marker as unknown as JSONObject,
      })),
      {
        operationType: 'Patch',
        id: month,
        resourceBody: {
          operations: [
            { op: 'incr', path: '/orderLines', value: sum(usages.map((usage) => usage.orderLines)) },
            { op: 'incr', path: '/orders', value: usages.length },
            { op: 'set', path: '/updatedAt', value: now },
          ],
        },
      },
    ];
    const patchIndex = markers.length;
    for (let round = 1; ; round++) {
      const response = await withCosmosErrors(() => this.container.items.batch(operations, month), {
        what: `meter/${month}`,
      });
      const statuses = (response.result ?? []).map((r) => r.statusCode);
      if (statuses.length > 0 && statuses.every((status) => status >= 200 && status < 300)) return 'counted';
      if (statuses.slice(0, patchIndex).includes(409)) return 'already-counted';
      if (statuses[patchIndex] === 404 && round < maxRounds) {
        await this.#createMonth(month);
        continue;
      }
      const orders = usages.map((usage) => usage.orderId).join(', ');
      throw new Error(
        `Counting order(s) ${orders} in meter/${month} failed with statuses ${statuses.join(', ')}.`
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
