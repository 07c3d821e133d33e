import type { Alert, AlertState } from '../domain/alerts/alert';
import type { AlertRule } from '../domain/alerts/alert-rule';
import type {
  BackorderCandidate,
  ErrorListGrowth,
  FulfillmentOrderCandidate,
  OrderCandidate,
} from '../domain/alerts/overdue';
import type { ErrorListName } from '../domain/error-lists/error-entry';
import type { Page } from './orders';

/** Alert rules in the `config` container (partition `alert-rule`): configuration, like templates. */
export interface AlertRuleRepository {
  get(id: string): Promise<AlertRule | undefined>;
  /** Every rule, ordered by id. */
  list(): Promise<AlertRule[]>;
  /** Creates or overwrites the rule (last write wins: rules are not versioned). */
  put(rule: AlertRule): Promise<void>;
  /** False when there was no such rule. */
  delete(id: string): Promise<boolean>;
}

/** Raised alerts in the `jobs` container (partition `alert`). */
export interface AlertRepository {
  /** Stores a new alert; 'exists' (and nothing written) when its id is taken: raising is once. */
  create(alert: Alert): Promise<'created' | 'exists'>;
  get(id: string): Promise<{ alert: Alert; etag: string } | undefined>;
  /** Overwrites the alert if it is still at `etag`: its new ETag, or undefined when someone wrote first. */
  replaceIfMatch(alert: Alert, etag: string): Promise<string | undefined>;
  /** Newest raised first. */
  find(
    filter: { state?: AlertState; ruleId?: string; entityId?: string },
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<Alert>>;
}

/**
 * What the stores answer about entities that may be overdue: each query bounded by state, by the
 * cutoff instant (nothing newer is read) and by `limit` (newest first, so the ones that just became
 * overdue are always seen).
 */
export interface AlertCandidateSource {
  /** Orders before fulfillment (states in domain/alerts/overdue.ts) created before `cutoff`. */
  ordersBeforeFulfillment(cutoff: Date, limit: number): Promise<OrderCandidate[]>;
  /** Fulfillment orders not completed or cancelled, created before `cutoff`. */
  unshippedFulfillmentOrders(cutoff: Date, limit: number): Promise<FulfillmentOrderCandidate[]>;
  /** Backorder holds still held, held since before `cutoff`. */
  agedBackorders(cutoff: Date, limit: number): Promise<BackorderCandidate[]>;
  /** Entries of each list created at or after `since`, counted up to `upTo` (enough to decide). */
  errorListGrowth(lists: readonly ErrorListName[], since: Date, upTo: number): Promise<ErrorListGrowth[]>;
}
