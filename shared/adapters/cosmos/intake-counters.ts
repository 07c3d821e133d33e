import type { Container, OperationInput } from '@azure/cosmos';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { CountedIntake, IntakeCounters, IntakeCounts } from '../../ports/metrics';
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
/** A transactional batch holds at most 100 operations: the markers and the counter's patch. */
const maxIntakesPerBatch = 99;

/**
 * Intake counters in the `meter` container, one document per month (partition `/month`). An add is
 * one patch with `incr`, which the server applies to the current document: concurrent adds from any
 * number of workers are all kept, with no ETag loop. The intake queue's consumer counts with addOnce:
 * a marker document per intake (`intake:{id}`) created in the same transactional batch as the patch,
 * so a redelivered message counts nothing twice. The totals are one aggregate query.
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

  async addOnce(intakes: readonly CountedIntake[]): Promise<void> {
    if (intakes.length === 0) return;
    const month = this.clock.now().toISOString().slice(0, 7);
    for (let start = 0; start < intakes.length; start += maxIntakesPerBatch) {
      const part = intakes.slice(start, start + maxIntakesPerBatch);
      // One id already counted (a redelivery) fails the whole batch: count the others one by one.
      if ((await this.#countOnce(month, part)) === 'counted' || part.length === 1) continue;
      for (const intake of part) await this.#countOnce(month, [intake]);
    }
  }

  /** A marker per intake and the month's increments in one transactional batch. */
  async #countOnce(month: string, intakes: readonly CountedIntake[]): Promise<'counted' | 'already-counted'> {
    const now = this.clock.now().toISOString();
    const duplicates = intakes.filter((intake) => intake.duplicate).length;
    const operations: OperationInput[] = [
      ...intakes.map((intake): OperationInput => ({
        operationType: 'Create',
        resourceBody: { id: `intake:${intake.id}`, type: 'intake-counted', month, createdAt: now },
      })),
      {
        operationType: 'Patch',
        id: counterId,
        resourceBody: {
          operations: [
            { op: 'incr', path: '/received', value: intakes.length },
            ...(duplicates > 0 ? [{ op: 'incr' as const, path: '/duplicates', value: duplicates }] : []),
          ],
        },
      },
    ];
    const patchIndex = intakes.length;
    for (let round = 1; ; round++) {
      const response = await withCosmosErrors(() => this.container.items.batch(operations, month), {
        what: `meter/${month}/${counterId}`,
      });
      const statuses = (response.result ?? []).map((r) => r.statusCode);
      if (statuses.length > 0 && statuses.every((status) => status >= 200 && status < 300)) return 'counted';
      if (statuses.slice(0, patchIndex).includes(409)) return 'already-counted';
      if (statuses[patchIndex] === 404 && round < 2) {
        await this.#createMonth(month);
        continue;
      }
      throw new Error(
        `Counting intakes in meter/${month}/${counterId} failed with statuses ${statuses.join(', ')}.`
      );
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
