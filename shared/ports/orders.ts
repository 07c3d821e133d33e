import type { StepAnswer } from '../domain/journeys/journey-runtime';
import type { CreatedRange } from '../domain/orders/created-range';
import type { Order } from '../domain/orders/order';
import type { TimelineEntry } from '../domain/orders/timeline';
import type { BusinessCloudEvent } from '../domain/events/cloud-event';

/** A journey step's answer, stored under its run id so a retried activity answers it again. */
export interface StepResult {
  id: string;
  type: 'stepResult';
  orderId: string;
  runId: string;
  node: string;
  answer: StepAnswer;
  at: string;
}

export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

export interface OrderFilter {
  externalId?: string;
  state?: string;
  channel?: string;
  created?: CreatedRange;
}

export interface OrderRepository {
  /** Stores the order and its first timeline entries together; 'exists' when the order id is taken. */
  createWithTimeline(order: Order, timeline: TimelineEntry[]): Promise<'created' | 'exists'>;
  get(orderId: string): Promise<Order | undefined>;
  /** The order with the ETag a later `saveWithTimeline` must match. */
  getForUpdate(orderId: string): Promise<{ order: Order; etag: string } | undefined>;
  /**
   * Replaces the order if it still has `etag` (PreconditionFailedError otherwise) and adds the
   * timeline entries, together; 'duplicate' when an entry id is already there (the event was applied).
   */
  saveWithTimeline(
    order: Order,
    etag: string,
    timeline: TimelineEntry[],
    stepResults?: StepResult[]
  ): Promise<'saved' | 'duplicate'>;
  /**
   * Stores a step result with its timeline entries in the order's partition, without touching the
   * order (a step on another entity of the order); 'duplicate' when the result is there already.
   */
  recordStep(orderId: string, timeline: TimelineEntry[], result: StepResult): Promise<'saved' | 'duplicate'>;
  /** The stored result of a journey step run on the order (run ids are unique per instance). */
  stepResult(orderId: string, runId: string): Promise<StepResult | undefined>;
  /** The step result of `runId` and the order (with its ETag), as `stepResult` and `getForUpdate` answer them. */
  stepResultAndOrder(
    orderId: string,
    runId: string
  ): Promise<{ stepResult?: StepResult; current?: { order: Order; etag: string } }>;
  /** Newest first; `created` is `[from, before)` on `createdAt`. */
  find(filter: OrderFilter, page: { continuationToken?: string; maxItemCount: number }): Promise<Page<Order>>;
  timeline(orderId: string): Promise<TimelineEntry[]>;
  hasTimelineEntry(orderId: string, entryId: string): Promise<boolean>;
}

/** Idempotency records of direct intake, keyed by Idempotency-Key. */
export interface IntakeClaims {
  /**
   * The first claim of a key wins and gets `orderId`; later claims get the winner's order id and
   * `duplicate: true`.
   */
  claim(key: string, orderId: string): Promise<{ orderId: string; duplicate: boolean }>;
}

/** Raw intake bodies, kept as received. */
export interface IntakeArchive {
  /**
   * Stores the body unless one is already stored for this order (a retry never overwrites); answers
   * the record's name.
   */
  putIfAbsent(orderId: string, body: string): Promise<string>;
  get(orderId: string): Promise<string | undefined>;
  /**
   * Stores a group of intakes (IntakeQueue.send) as one record, named after its first order, unless
   * it is already stored; answers the record's name, which each of its orders keeps.
   */
  putGroupIfAbsent(intakes: readonly IntakeMessage[]): Promise<string>;
}

export interface IntakeMessage {
  orderId: string;
  intakeKey: string;
  /** The body as received, when it travels in the message; otherwise it is in the archive. */
  body?: string;
  /** The W3C trace context of the intake (docs/telemetry.md); absent in messages from before tracing. */
  traceparent?: string;
  /**
   * Set when the request was a duplicate of an earlier claim (orderId is then the earlier order's):
   * the id this request would have given its order, so the consumer counts the duplicate once.
   */
  duplicateId?: string;
}

/**
 * The intake queue. `send` resolves once the message is stored; messages sent while another send
 * is in flight may share one queue message (`{intakes: [...]}`), so a busy intake costs one queue
 * write per group rather than per order. `sendAlone` always writes a message of its own: a retry of
 * one intake must not ride in a new group, or its delivery count would start again each time.
 */
export interface IntakeQueue {
  send(message: IntakeMessage): Promise<void>;
  sendAlone(message: IntakeMessage): Promise<void>;
}

export interface IdGenerator {
  newId(): string;
}

/** Integration events (CloudEvents 1.0) on the `business-events` topic/queue (docs/architecture.md, docs/state-framework.md). */
export interface BusinessEventPublisher {
  publish(events: readonly BusinessCloudEvent[]): Promise<void>;
}
