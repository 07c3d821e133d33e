import type { ErrorListName, ErrorStatus } from '../domain/error-lists/error-entry';
import type { JourneyInstanceStatus } from '../domain/journeys/interpret-journey';

/** What direct and Service Bus intake answered, counted as it answered. */
export interface IntakeCounts {
  /** Orders accepted (202), duplicates included. */
  received: number;
  /** Accepted orders whose Idempotency-Key (or externalId) had been claimed before: no second order. */
  duplicates: number;
  /** Bodies refused by the order schema or the line rules (400). */
  rejected: number;
}

/** One accepted intake as counted: its order id, or for a duplicate the id the request itself got. */
export interface CountedIntake {
  id: string;
  duplicate: boolean;
}

/**
 * Intake counters in the store: a refused body leaves no other trace, and idempotency records expire,
 * so intake is counted as it answers (docs/metrics.md). Increments are applied by the store, so
 * concurrent workers never lose one.
 */
export interface IntakeCounters {
  add(counts: Partial<IntakeCounts>): Promise<void>;
  /**
   * Counts queued intakes as received (and duplicates), each id once however often its message is
   * delivered: the intake queue's consumer counts them, off the request path.
   */
  addOnce(intakes: readonly CountedIntake[]): Promise<void>;
  /** Every count since the counters began. */
  totals(): Promise<IntakeCounts>;
}

/** Counts the store answers from the documents themselves (a query, nothing kept in memory). */
export interface StoredCounts {
  /** Orders in each of `states` (zero where none), and all orders. */
  ordersByState(states: readonly string[]): Promise<{ total: number; byState: Record<string, number> }>;
  /** The entries of one error list in each status. */
  errorEntries(list: ErrorListName): Promise<Record<ErrorStatus, number>>;
}

/** Journey instances by status, as the orchestration engine stores them. */
export interface JourneyCounts {
  byStatus(): Promise<Record<JourneyInstanceStatus, number>>;
}
