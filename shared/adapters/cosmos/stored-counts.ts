import type { Container } from '@azure/cosmos';
import { errorStatuses, type ErrorListName, type ErrorStatus } from '../../domain/error-lists/error-entry';
import type { StoredCounts } from '../../ports/metrics';
import { withCosmosErrors } from './cosmos-errors';

/**
 * Counts answered by Cosmos aggregate queries over the documents (`COUNT` and `SUM` of a condition,
 * which every Cosmos-protocol server here runs; `GROUP BY` is not one of them): an order in a state
 * is counted where it is stored, whichever worker wrote it.
 */
export class CosmosStoredCounts implements StoredCounts {
  constructor(
    private readonly orders: Container,
    private readonly jobs: Container
  ) {}

  async ordersByState(
    states: readonly string[]
  ): Promise<{ total: number; byState: Record<string, number> }> {
    const sums = states.map((_, i) => `SUM(c.state = @s${i} ? 1 : 0) AS s${i}`);
    const row = await this.#row(
      this.orders,
      `SELECT ${['COUNT(1) AS total', ...sums].join(', ')} FROM c WHERE c.type = 'order'`,
      states.map((state, i) => ({ name: `@s${i}`, value: state })),
      'orders'
    );
    return {
      total: row.total ?? 0,
      byState: Object.fromEntries(states.map((state, i) => [state, row[`s${i}`] ?? 0])),
    };
  }

  async errorEntries(list: ErrorListName): Promise<Record<ErrorStatus, number>> {
    const sums = errorStatuses.map((status, i) => `SUM(c.status = @s${i} ? 1 : 0) AS s${i}`);
    // The kind clause repeats the partition key: not every Cosmos-protocol server scopes a query by it.
    const row = await this.#row(
      this.jobs,
      `SELECT ${sums.join(', ')} FROM c WHERE c.type = 'error-entry' AND c.kind = @kind`,
      [
        { name: '@kind', value: list },
        ...errorStatuses.map((status, i) => ({ name: `@s${i}`, value: status })),
      ],
      `jobs/${list}`,
      list
    );
    return Object.fromEntries(errorStatuses.map((status, i) => [status, row[`s${i}`] ?? 0])) as Record<
      ErrorStatus,
      number
    >;
  }

  /** The one row of an aggregate query; Cosmos leaves out an aggregate over no documents. */
  async #row(
    container: Container,
    query: string,
    parameters: { name: string; value: string }[],
    what: string,
    partitionKey?: string
  ): Promise<Record<string, number | undefined>> {
    const { resources } = await withCosmosErrors(
      () =>
        container.items
          .query<Record<string, number>>(
            { query, parameters },
            partitionKey === undefined ? {} : { partitionKey }
          )
          .fetchAll(),
      { what }
    );
    return resources[0] ?? {};
  }
}
