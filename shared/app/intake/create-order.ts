import { NotFoundError } from '../../domain/errors';
import { newOrder, type Order, type OrderIntake } from '../../domain/orders/order';
import type { TimelineEntry } from '../../domain/orders/timeline';
import type { Clock } from '../../ports/clock';
import { applyEvent } from '../../domain/states/apply-event';
import { outOfBoxConfig } from '../../domain/states/out-of-box';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { IntakeArchive, IntakeMessage, OrderRepository } from '../../ports/orders';
import { orderUsage, type OrderUsage } from '../../domain/meter/order-usage';
import type { OrderLineMeter } from '../../ports/meter';
import type { CountedIntake, IntakeCounters } from '../../ports/metrics';
import { toCloudEvent } from '../../domain/events/cloud-event';
import type { JourneyRef, JourneySignal, JourneySignals } from '../../ports/journey-signals';
import type { BusinessEventPublisher } from '../../ports/orders';
import { settleEach } from '../platform/settle-each';
import { currentTraceId, currentTraceparent, inSpan, SpanKind } from '../../telemetry/tracing';

export interface CreateOrderDeps {
  validate: (input: unknown) => OrderIntake;
  archive: IntakeArchive;
  orders: OrderRepository;
  clock: Clock;
  /** Counts the order's lines in its month once the order is stored. */
  meter: OrderLineMeter;
  /** The state framework in force; the out-of-box one when not given. */
  config?: StateFrameworkConfig;
  /** The order journey a new order starts on (undefined: none is published). */
  journeyFor: (orderId: string) => Promise<JourneyRef | undefined>;
  /** Where the order's journey start goes once the order is stored. */
  signals: JourneySignals;
  /** `New Order` is published like every other business event. */
  publisher: BusinessEventPublisher;
}

export interface CreateQueuedOrdersDeps extends CreateOrderDeps {
  /** Queues one intake on its own (IntakeQueue.sendAlone). */
  requeue: (message: IntakeMessage) => Promise<void>;
  /** Counts each intake handled as received (docs/metrics.md), once per id. */
  counters: Pick<IntakeCounters, 'addOnce'>;
}

export type QueuedOrderOutcome = 'created' | 'exists' | 'requeued';

/** How many intakes of one group are worked on at once. */
const groupConcurrency = 8;

/**
 * The intake queue's consumer. A lone intake is created, and a failure throws, so the host retries
 * it and finally moves it to the poison queue. A group's intakes (IntakeQueue.send) are created side
 * by side; each one that fails is queued again on its own, so it gets its own retries and its own
 * error-list entry, and the group's other orders are not redone; the stored ones are counted in the
 * meter together. Only if counting or re-queuing fails does the group as a whole go back to the host,
 * which is safe: creating and counting an order are idempotent.
 */
export async function createQueuedOrders(
  deps: CreateQueuedOrdersDeps,
  message: unknown
): Promise<QueuedOrderOutcome[]> {
  const group = intakeGroupOf(message);
  if (group === undefined) {
    const intake = message as IntakeMessage;
    const outcome = await createOrder(deps, intake);
    await deps.counters.addOnce([countedIntake(intake)]);
    return [outcome];
  }
  // One archive record for the group, as queued: a write per order would cost more than the order.
  const archivedAs = await deps.archive.putGroupIfAbsent(group);
  const settled = await settleEach(group, groupConcurrency, (intake) => storeOrder(deps, intake, archivedAs));
  const usages: OrderUsage[] = [];
  const stored: StoredIntake[] = [];
  for (const result of settled) {
    if (result.status !== 'fulfilled') continue;
    if (result.value.usage) usages.push(result.value.usage);
    if (result.value.order) stored.push(result.value);
  }
  await deps.meter.countAll(usages);
  // A requeued intake is counted when its own message is handled.
  await deps.counters.addOnce(group.filter((_, i) => settled[i]!.status === 'fulfilled').map(countedIntake));
  await announce(deps, stored);
  const outcomes: QueuedOrderOutcome[] = [];
  for (const [i, result] of settled.entries()) {
    if (result.status === 'fulfilled') {
      outcomes.push(result.value.outcome);
    } else {
      await deps.requeue(group[i]!);
      outcomes.push('requeued');
    }
  }
  return outcomes;
}

/**
 * How an intake is counted: by its order id, or for a duplicate by the id its own request got (a
 * redelivered message counts nothing twice; an intake from before this field counts as received).
 */
function countedIntake(intake: IntakeMessage): CountedIntake {
  return intake.duplicateId === undefined
    ? { id: intake.orderId, duplicate: false }
    : { id: intake.duplicateId, duplicate: true };
}

/** The intakes of a grouped queue message, or undefined for a message of one intake. */
export function intakeGroupOf(message: unknown): IntakeMessage[] | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { intakes } = message as { intakes?: unknown };
  return Array.isArray(intakes) ? (intakes as IntakeMessage[]) : undefined;
}

/**
 * Turns one intake into an order with its first timeline entry, then counts its lines in the meter.
 * Idempotent: a redelivered message finds the body archived and the order already there, and counts
 * it only if an earlier delivery stored it but failed before counting (the meter counts each order id
 * once).
 */
export async function createOrder(
  deps: CreateOrderDeps,
  message: IntakeMessage
): Promise<'created' | 'exists'> {
  const stored = await storeOrder(deps, message);
  if (stored.usage) await deps.meter.count(stored.usage);
  if (stored.order) await announce(deps, [stored]);
  return stored.outcome;
}

/**
 * The order and its first timeline entry, stored; and the usage to count for it (the stored order's:
 * a redelivery may come after the month has turned). A body that came in the message is archived
 * first (unless its group's record already holds it, `archivedAs`), so every order's body is in the
 * archive before the order exists. It is the `order.create` span of the intake's trace, and the
 * order keeps that trace's id; its journey continues the trace (`traceparent`).
 */
function storeOrder(
  deps: CreateOrderDeps,
  message: IntakeMessage,
  archivedAs?: string
): Promise<StoredIntake> {
  const { orderId, traceparent } = message;
  return inSpan(
    'order.create',
    { kind: SpanKind.CONSUMER, parent: traceparent, fields: { orderId } },
    async (span) => {
      const stored = await storeOrderTraced(deps, message, archivedAs);
      span.setAttribute('openiom.outcome', stored.outcome);
      return stored;
    }
  );
}

/** An intake as stored: the outcome, and the order with its usage and its trace context. */
interface StoredIntake {
  outcome: 'created' | 'exists';
  usage?: OrderUsage;
  order?: Order;
  traceparent?: string;
}

async function storeOrderTraced(
  deps: CreateOrderDeps,
  message: IntakeMessage,
  archivedAs?: string
): Promise<StoredIntake> {
  const { orderId, intakeKey, body } = message;
  const intakeArchive =
    body === undefined ? undefined : (archivedAs ?? (await deps.archive.putIfAbsent(orderId, body)));
  const raw = body ?? (await deps.archive.get(orderId));
  if (raw === undefined) throw new NotFoundError(`No archived intake body for order ${orderId}.`);
  const now = deps.clock.now();
  const order = newOrder(deps.validate(JSON.parse(raw)), { orderId, intakeKey }, now);
  if (intakeArchive !== undefined) order.intakeArchive = intakeArchive;
  const traceId = currentTraceId();
  if (traceId !== undefined) order.traceId = traceId;
  const journey = await deps.journeyFor(orderId);
  if (journey !== undefined) order.journey = journey;
  const outcome = await deps.orders.createWithTimeline(order, [
    raiseNewOrder(order, deps.config ?? outOfBoxConfig(), now),
  ]);
  const stored = outcome === 'created' ? order : await deps.orders.get(order.orderId);
  if (stored === undefined) return { outcome };
  const trace = currentTraceparent();
  return { outcome, usage: orderUsage(stored), order: stored, ...(trace ? { traceparent: trace } : {}) };
}

/**
 * Publishes `New Order` and starts the order journeys of stored orders. A redelivered intake does it
 * again for an order that already existed (an earlier delivery may have stopped before this): the
 * CloudEvent keeps its id and a start of a running instance changes nothing.
 */
async function announce(deps: CreateOrderDeps, stored: readonly StoredIntake[]): Promise<void> {
  const orders = stored.flatMap((intake) => (intake.order ? [intake.order] : []));
  if (orders.length === 0) return;
  const signals: JourneySignal[] = [];
  for (const { order, traceparent } of stored) {
    if (order?.journey === undefined) continue;
    signals.push({
      kind: 'start',
      journey: order.journey,
      type: 'order',
      entityId: order.orderId,
      orderId: order.orderId,
      ...(traceparent ? { traceparent } : {}),
    });
  }
  await deps.publisher.publish(
    orders.map((order) =>
      toCloudEvent({
        id: `${order.orderId}-new-order`,
        name: newOrderEvent,
        entityType: 'order',
        entityId: order.orderId,
        orderId: order.orderId,
        occurredAt: order.createdAt,
      })
    )
  );
  await deps.signals.send(signals);
}

/** `New Order` moves nothing out of the box (new orders start in `new`), but custom transitions may. */
function raiseNewOrder(order: Order, config: StateFrameworkConfig, now: Date): TimelineEntry {
  const fromState = order.state;
  const outcome = applyEvent(config, {
    entityType: 'order',
    currentState: fromState,
    event: newOrderEvent,
  });
  if (outcome.kind === 'transitioned') {
    order.state = outcome.state;
    if (outcome.reason) order.stateReason = outcome.reason;
  }
  return {
    id: `${order.orderId}:timeline:0`,
    type: 'timeline',
    orderId: order.orderId,
    at: now.toISOString(),
    kind: 'event',
    name: newOrderEvent,
    entityType: 'order',
    entityId: order.orderId,
    fromState,
    toState: order.state,
    ...(order.stateReason ? { reason: order.stateReason } : {}),
  };
}

const newOrderEvent = 'New Order';
