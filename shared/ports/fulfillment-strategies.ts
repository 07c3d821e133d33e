import type { FulfillmentStrategy } from '../domain/fulfillment/strategy';

export interface VersionedStrategy {
  strategy: FulfillmentStrategy;
  etag: string;
}

/** A strategy write of an atomic group: create (no etag) or replace at `etag`. */
export interface StrategyWrite {
  strategy: FulfillmentStrategy;
  etag?: string;
}

/** Fulfillment strategies in `config` (partition `fulfillment-strategy`): one partition, atomic batches. */
export interface StrategyRepository {
  get(id: string): Promise<VersionedStrategy | undefined>;
  /** Every strategy, ordered by id. */
  list(): Promise<VersionedStrategy[]>;
  /**
   * All writes or none (one transactional batch): a new default and the old default it unsets.
   * ConflictError when a create finds the id; PreconditionFailedError when a replace finds another version.
   */
  write(writes: readonly StrategyWrite[]): Promise<VersionedStrategy[]>;
  /** Deletes at `etag`: PreconditionFailedError when changed, NotFoundError when gone. */
  delete(id: string, etag: string): Promise<void>;
}
