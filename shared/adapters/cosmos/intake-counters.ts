import type { Container } from '@azure/cosmos';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { IntakeCounters, IntakeCounts } from '../../ports/metrics';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore } from './document-store';

/** A month's intake counts; its id is `intake`, in the month's partition of `meter`. */
interface IntakeCounterDocument extends IntakeCounts {
  id: string;
  type: 'intake-counter';
  month: string;
  createdAt?: string;
  updatedAt?: string;
}

const counterId = 'intake';
const countNames = ['received', 'duplicates', 'rejected'] as const;

/**
 * Intake counters in the `meter` container, one document per month (partition `/month`). An add is
 * one patch with `incr`, which the server applies to the current document: concurrent adds from any
 * number of workers are all kept, with no ETag loop. The totals are one aggregate query.
 */
export class CosmosIntakeCounters implements IntakeCounters {
  readonly #documents: DocumentStore<IntakeCounterDocument>;

  constructor(
    private readonly container: Container,
    private readonly clock: Clock
  ) {
    this.#documents = new DocumentStore<IntakeCounterDocument>(container, '/month', clock);
  }

  async add(counts: Partial<IntakeCounts>): Promise<void> {
    const operations = countNames
      .filter((name) => (counts[name] ?? 0) !== 0)
      .map((name) => ({ op: 'incr' as const, path: `/${name}`, value: counts[name]! }));
    if (operations.length === 0) return;
    const month = this.clock.now().toISOString().slice(0, 7);
    try {
      await this.#patch(month, operations);
    } catch (err) {
      // The month's first count: create its document, then add.
      if (!(err instanceof NotFoundError)) throw err;
      await this.#createMonth(month);
      await this.#patch(month, operations);
    }
  }

  async totals(): Promise<IntakeCounts> {
    const { resources } = await withCosmosErrors(
      () =>
        this.container.items
          .query<Partial<IntakeCounts>>(
            "SELECT SUM(c.received) AS received, SUM(c.duplicates) AS duplicates, SUM(c.rejected) AS rejected FROM c WHERE c.type = 'intake-counter'"
          )
          .fetchAll(),
      { what: 'meter/intake' }
    );
    // Cosmos leaves an aggregate of no documents out of the row (or answers no row at all).
    const row = resources[0] ?? {};
    return { received: row.received ?? 0, duplicates: row.duplicates ?? 0, rejected: row.rejected ?? 0 };
  }

  async #patch(month: string, operations: { op: 'incr'; path: string; value: number }[]): Promise<void> {
    // An incr the server answered 429 was not applied, so the retry adds it once.
    await withCosmosErrors(() => this.container.item(counterId, month).patch(operations), {
      what: `meter/${month}/${counterId}`,
    });
  }

  /** The month's counters at zero; a concurrent creator winning is as good. */
  async #createMonth(month: string): Promise<void> {
    try {
      await this.#documents.create({
        id: counterId,
        type: 'intake-counter',
        month,
        received: 0,
        duplicates: 0,
        rejected: 0,
      });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}
