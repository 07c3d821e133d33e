import { isDomainError, PreconditionFailedError } from '../../domain/errors';
import type { ErrorEntry } from '../../domain/error-lists/error-entry';
import { toCloudEvent } from '../../domain/events/cloud-event';
import { hasEvent } from '../../domain/events/find-event';
import type { RaisedBusinessEvent } from '../../domain/events/business-event';
import type { JourneyCommand } from '../../domain/journeys/interpret-journey';
import type { Journey, JourneyNode, JourneyStep, StepProviderAction } from '../../domain/journeys/journey';
import { nodeRunsKey, runKey, stepResultId } from '../../domain/journeys/run-key';
import type { Invoice } from '../../domain/invoices/invoice';
import type { Order } from '../../domain/orders/order';
import { raiseOnOrder } from '../../domain/orders/raise-on-order';
import type { TimelineEntry } from '../../domain/orders/timeline';
import { applyExecutionPolicy, evaluatePolicy, type Policy, type PolicyEntity } from '../../domain/policies';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import { TransitionNotAllowedError } from '../../domain/states/transition-not-allowed-error';
import type { Clock } from '../../ports/clock';
import type { ErrorListRepository } from '../../ports/error-lists';
import type { JourneyRef } from '../../ports/journey-signals';
import type { BusinessEventPublisher, OrderRepository, StepResult } from '../../ports/orders';
import type { JourneyInstanceInput, StepAnswer } from '../../domain/journeys/journey-runtime';
import { describeAnswer, orderChangesOf } from '../provider-actions/action-effects';
import type { ProviderActionRunner } from '../provider-actions/run-provider-action';
import type { SendInvoicesOutcome, SendInvoicesRequest } from '../invoices/send-invoices';
import { controlEvents } from './control-events';
import { withInvoices } from './step-invoices';
import { runFulfillmentOrderStep, type FulfillmentOrderStepDeps } from './fulfillment-order-steps';
import { runReturnStep, type ReturnStepDeps } from './return-steps';
import { inSpan, SpanStatusCode } from '../../telemetry/tracing';
import { log } from '../../telemetry/log';

/** An event an action wants raised on the order or one of its lines, in the step's own write. */
export interface EventToRaise {
  name: string;
  entityType: 'order' | 'orderLine';
  entityId: string;
  data?: Record<string, unknown>;
}

export interface OrderActionContext {
  /** The order as the step's policies left it (set-value actions applied and stored). */
  order: Order;
  step: JourneyStep;
  runId: string;
  input: JourneyInstanceInput;
  now: Date;
}

export interface OrderActionResult {
  outcome: 'succeeded' | 'failed' | 'deferred';
  /** Why it failed, or why it must wait (`deferred`). */
  reason?: string;
  /** `deferred`: when to run the step again. */
  until?: string;
  raise?: EventToRaise[];
  /** Header events the action raised on the order itself (through another use case). */
  reported?: string[];
  /** Changes to the stored order, applied to a fresh copy in the step's write. */
  update?: (order: Order) => void;
  /** What the step did, for the timeline. */
  detail?: string;
  /** Invoices the action made (or found made): a provider action of the step gets each of them. */
  invoices?: Invoice[];
  /**
   * The action wrote the order itself (through another use case): the copy the step read is stale,
   * so the step's write reads it afresh — or uses `readAfter`, the order as the action read it last.
   */
  wroteOrder?: boolean;
  readAfter?: StoredOrder;
}

/** An order as read, with the ETag its write must match. */
export interface StoredOrder {
  order: Order;
  etag: string;
}

export type OrderAction = (context: OrderActionContext) => Promise<OrderActionResult>;

export interface JourneyStepDeps {
  orders: OrderRepository;
  journey: (ref: JourneyRef) => Promise<Journey>;
  /** The published version of a policy (publishing a journey checked that it is published). */
  policy: (policyId: string) => Promise<Policy>;
  config: StateFrameworkConfig;
  publisher: BusinessEventPublisher;
  errors: ErrorListRepository;
  clock: Clock;
  actions: Readonly<Record<string, OrderAction>>;
  fulfillmentOrderSteps: FulfillmentOrderStepDeps;
  returnSteps: ReturnStepDeps;
  /** Runs a step's provider action (and lists its failure on the `provider-action` error list). */
  providerActions: ProviderActionRunner;
  /** A "send to invoice" step's provider action: hands each invoice the step made to the provider. */
  sendInvoices: (request: SendInvoicesRequest, invoices: readonly Invoice[]) => Promise<SendInvoicesOutcome>;
}

export interface StepRequest {
  input: JourneyInstanceInput;
  command: Extract<JourneyCommand, { type: 'run' | 'raise' }>;
}

const writeAttempts = 5;

/**
 * The step activity of an order journey (docs/journeys.md): evaluates the node's filter policy and
 * execution policies, runs its action, raises the events its outcome implies through the state
 * framework, and writes them with the step result and the step's timeline entry in one batch.
 * Idempotent: the step result is stored under the run id, and a retry answers it without acting
 * again; the actions' own effects (reservations, fulfillment orders) carry ids derived from the run.
 * A step that fails answers `failed` with the reason; only infrastructure errors throw (and are
 * retried by Durable).
 *
 * Each run is a `journey.step <node>` span in the trace the instance's input carries
 * (docs/telemetry.md): the provider calls its action makes are its children.
 */
export function runJourneyStep(deps: JourneyStepDeps, request: StepRequest): Promise<StepAnswer> {
  const { input, command } = request;
  const instanceId = input.journey.instanceId;
  return inSpan(
    `journey.step ${command.node}`,
    {
      parent: input.traceparent,
      fields: { orderId: input.orderId, instanceId },
      attributes: {
        'openiom.journey.id': input.journey.journeyId,
        'openiom.journey.version': input.journey.version,
        'openiom.journey.step': command.node,
        'openiom.journey.run_id': command.runId,
        'openiom.entity_type': input.type,
        'openiom.entity_id': input.entityId,
      },
    },
    async (span) => {
      const answer = await runStep(deps, request);
      span.setAttribute('openiom.outcome', answer.type);
      if (answer.type === 'failed') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: answer.reason });
        log('warning', `step ${command.node} failed: ${answer.reason}`);
      }
      return answer;
    }
  );
}

async function runStep(deps: JourneyStepDeps, request: StepRequest): Promise<StepAnswer> {
  const { input, command } = request;
  // Read together: a retry (step result found) is rare, and the order is wanted otherwise.
  const { stepResult: stored, current } =
    input.type === 'order'
      ? await deps.orders.stepResultAndOrder(input.orderId, command.runId)
      : { stepResult: await deps.orders.stepResult(input.orderId, command.runId), current: undefined };
  if (stored) return stored.answer;
  const journey = await deps.journey(input.journey);
  const node = journey.steps.find((n) => n.name === command.node);
  if (node === undefined) {
    return { type: 'failed', reason: `journey ${journey.id} has no node ${command.node}` };
  }
  if (input.type === 'fulfillmentOrder') return runFulfillmentOrderStep(deps, request, node);
  if (input.type === 'return') return runReturnStep(deps, request, node);
  if (current === undefined) return { type: 'failed', reason: `no order ${input.orderId}` };
  // The step's write starts from this read unless something wrote the order meanwhile (its ETag
  // guards that); actions get a copy of their own.
  const order = structuredClone(current.order);

  const startedAt = deps.clock.now();
  const decided =
    command.type === 'raise'
      ? raised(command.event)
      : await decide(deps, { input, runId: command.runId, node, order, now: startedAt });
  const lastRead = decided.wroteOrder ? decided.readAfter : current;
  return finish(deps, request, node, decided, startedAt, lastRead);
}

/** What a node run decided: the answer, the events to raise with it, and the order changes. */
interface Decision {
  answer: StepAnswer;
  raise: EventToRaise[];
  update?: (order: Order) => void;
  detail?: string;
  /** Policies that failed without failing the step (information), for the policy error list. */
  policyNotes: string[];
  wroteOrder?: boolean;
  readAfter?: StoredOrder;
}

function raised(event: string): Decision {
  return { answer: { type: 'succeeded' }, raise: [], policyNotes: [], detail: `raised ${event}` };
}

async function decide(
  deps: JourneyStepDeps,
  run: { input: JourneyInstanceInput; runId: string; node: JourneyNode; order: Order; now: Date }
): Promise<Decision> {
  const { node, order } = run;
  const onOrder = (name: string): EventToRaise => ({ name, entityType: 'order', entityId: order.orderId });
  switch (node.kind) {
    case 'exit':
      return { answer: { type: 'succeeded' }, raise: [], policyNotes: [] };
    case 'condition':
    case 'splitter': {
      const events = await controlEvents(deps.policy, node, asEntity(order));
      return { answer: { type: 'succeeded', events }, raise: events.map(onOrder), policyNotes: [] };
    }
    case 'step':
      return decideStep(deps, { ...run, node });
  }
}

async function decideStep(
  deps: JourneyStepDeps,
  run: { input: JourneyInstanceInput; runId: string; node: JourneyStep; order: Order; now: Date }
): Promise<Decision> {
  const { node } = run;
  const outputs = (answer: StepAnswer): EventToRaise[] => {
    const name =
      answer.type === 'failed' ? node.failureEvent : node.wait === undefined ? node.successEvent : undefined;
    return name === undefined ? [] : [{ name, entityType: 'order', entityId: run.order.orderId }];
  };
  if (node.filterPolicyId !== undefined) {
    const filter = evaluatePolicy(await deps.policy(node.filterPolicyId), asEntity(run.order));
    if (!filter.passed) {
      const answer: StepAnswer = { type: 'skipped' };
      const skippedRaise = node.successEvent
        ? [{ name: node.successEvent, entityType: 'order' as const, entityId: run.order.orderId }]
        : [];
      return {
        answer,
        raise: skippedRaise,
        policyNotes: [],
        detail: `filter policy ${node.filterPolicyId} did not apply`,
      };
    }
  }
  const policyNotes: string[] = [];
  let entity = run.order;
  for (const policyId of node.executionPolicyIds ?? []) {
    const outcome = applyExecutionPolicy(await deps.policy(policyId), asEntity(entity));
    entity = outcome.entity as unknown as Order;
    if (outcome.passed) continue;
    const why = `policy ${policyId}: ${JSON.stringify(outcome.explanation)}`;
    if (outcome.critical) {
      const answer: StepAnswer = { type: 'failed', reason: `critical ${why}` };
      return {
        answer,
        raise: [...validationFailureEvents(node, run.order), ...outputs(answer)],
        policyNotes: [why],
      };
    }
    policyNotes.push(why);
  }
  const wroteOrder = entity !== run.order;
  if (wroteOrder) {
    const changed = entity;
    await saveOrder(deps, run.order.orderId, (order) => Object.assign(order, changed, kept(order, changed)));
  }
  const action = deps.actions[node.action];
  if (action === undefined) {
    return {
      answer: { type: 'failed', reason: `action ${node.action} is not available` },
      raise: [],
      policyNotes,
    };
  }
  let result: OrderActionResult;
  try {
    result = await action({ ...run, order: entity, step: node });
  } catch (err) {
    // A domain error will not go away by retrying: the step fails with it (reprocess after a fix).
    if (!isDomainError(err)) throw err;
    // It may have written the order before failing.
    result = { outcome: 'failed', reason: err.message, wroteOrder: true };
  }
  if (result.outcome === 'succeeded' && node.providerAction !== undefined) {
    result = await withProviderAction(deps, run, node, node.providerAction, result, entity);
  }
  const answer: StepAnswer =
    result.outcome === 'failed'
      ? { type: 'failed', reason: result.reason ?? `${node.action} failed` }
      : result.outcome === 'deferred'
        ? {
            type: 'deferred',
            until: result.until ?? run.now.toISOString(),
            reason: result.reason ?? 'deferred',
          }
        : { type: 'succeeded', ...(result.reported?.length ? { events: result.reported } : {}) };
  return {
    answer,
    raise: answer.type === 'deferred' ? [] : [...(result.raise ?? []), ...outputs(answer)],
    ...(result.update ? { update: result.update } : {}),
    ...(result.detail ? { detail: result.detail } : {}),
    ...(wroteOrder || result.wroteOrder ? { wroteOrder: true } : {}),
    ...(result.wroteOrder && result.readAfter ? { readAfter: result.readAfter } : {}),
    policyNotes,
  };
}

/**
 * A step's provider action, after its built-in action succeeded: it sees the order as the action left
 * it; its effects join the action's changes in the step's write, and its failure fails the step with
 * the provider's message.
 */
async function withProviderAction(
  deps: JourneyStepDeps,
  run: { runId: string; now: Date },
  node: JourneyStep,
  { instanceId, action }: StepProviderAction,
  result: OrderActionResult,
  entity: Order
): Promise<OrderActionResult> {
  if (result.invoices !== undefined) {
    return withInvoices(deps, { instanceId, action, step: node.name, runKey: runKey(run.runId) }, result);
  }
  const order = result.wroteOrder && result.readAfter ? result.readAfter.order : entity;
  const ran = await deps.providerActions({
    instanceId,
    action,
    subject: { type: 'order', order: structuredClone(order) },
    idempotencyKey: nodeRunsKey(run.runId),
    step: node.name,
    orderId: order.orderId,
    runKey: runKey(run.runId),
  });
  if (!ran.ok) return { ...result, outcome: 'failed', reason: ran.message };
  const changes = orderChangesOf(ran.answer, instanceId, run.now);
  const earlier = result.update;
  const update =
    changes === undefined
      ? earlier
      : (o: Order) => {
          earlier?.(o);
          changes(o);
        };
  return {
    ...result,
    ...(update ? { update } : {}),
    detail: [result.detail, describeAnswer(instanceId, action, ran.answer)].filter(Boolean).join('; '),
  };
}

/**
 * A critical execution policy failed a validation step: the action's own failure events (the order
 * or lines on hold) are raised as its validation would have, so the order shows why it stopped.
 */
function validationFailureEvents(node: JourneyStep, order: Order): EventToRaise[] {
  if (node.action === 'validateOrderHeader') {
    return [{ name: 'Validation of Order Header has Failed', entityType: 'order', entityId: order.orderId }];
  }
  if (node.action === 'validateOrderLines') {
    return order.lines.map((line) => ({
      name: 'Validation of Order Line has Failed',
      entityType: 'orderLine' as const,
      entityId: line.lineId,
    }));
  }
  return [];
}

/**
 * What a policy's set-value action must not change: identity, states and the journey. Line fields
 * it set are kept; line states stay the stored ones.
 */
function kept(fresh: Order, changed: Order): Partial<Order> {
  const { id, type, orderId, state, stateReason, intakeKey, createdAt, journey } = fresh;
  const states = new Map(fresh.lines.map((line) => [line.lineId, line]));
  return {
    id,
    type,
    orderId,
    state,
    stateReason,
    intakeKey,
    createdAt,
    journey,
    lines: changed.lines.map((line) => {
      const was = states.get(line.lineId);
      return was ? { ...line, state: was.state, stateReason: was.stateReason } : line;
    }),
  };
}

function asEntity(order: Order): PolicyEntity {
  return order;
}

/** Reads the order, changes it and stores it under its ETag, again when it changed meanwhile. */
async function saveOrder(
  deps: JourneyStepDeps,
  orderId: string,
  change: (order: Order) => void
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.orders.getForUpdate(orderId);
    if (!current) return;
    change(current.order);
    current.order.updatedAt = deps.clock.now().toISOString();
    try {
      await deps.orders.saveWithTimeline(current.order, current.etag, []);
      return;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= writeAttempts) throw err;
    }
  }
}

/**
 * Writes what the step decided in one batch: the order with its raised events, their timeline
 * entries, the step's timeline entry and the step result. A transition the state framework refuses
 * makes the step fail (with the refusal as its reason) instead of crashing it.
 */
async function finish(
  deps: JourneyStepDeps,
  request: StepRequest,
  node: JourneyNode,
  decided: Decision,
  startedAt: Date,
  lastRead: StoredOrder | undefined
): Promise<StepAnswer> {
  const { input, command } = request;
  if (decided.answer.type === 'deferred') return decided.answer;
  const toRaise =
    command.type === 'raise'
      ? [{ name: command.event, entityType: 'order' as const, entityId: input.orderId }]
      : dedupe(decided.raise);
  for (let attempt = 1; ; attempt++) {
    const current = (attempt === 1 ? lastRead : undefined) ?? (await deps.orders.getForUpdate(input.orderId));
    if (!current) return { type: 'failed', reason: `no order ${input.orderId}` };
    const now = deps.clock.now();
    let order = current.order;
    decided.update?.(order);
    let answer = decided.answer;
    const timeline: TimelineEntry[] = [];
    const published: RaisedBusinessEvent[] = [];
    const eventsAt = new Date(now.getTime() + 1);
    try {
      toRaise.forEach((event, i) => {
        const already = published.some(
          (p) => p.name === event.name && p.entityType === event.entityType && p.entityId === event.entityId
        );
        if (already) return; // a line event's aggregation raised it in this batch
        if (!hasEvent(event.name, event.entityType, deps.config.events)) {
          const id = `${runKey(command.runId)}-${i}`;
          timeline.push(journeyEventEntry(order, event, id, eventsAt));
          published.push({ id, ...event, orderId: order.orderId, occurredAt: eventsAt.toISOString() });
          return;
        }
        const outcome = raiseOnOrder(
          order,
          { id: `${runKey(command.runId)}-${i}`, ...event },
          deps.config,
          eventsAt
        );
        order = outcome.order;
        timeline.push(...outcome.timeline);
        published.push(...outcome.raised);
      });
    } catch (err) {
      if (!(err instanceof TransitionNotAllowedError)) throw err;
      answer = { type: 'failed', reason: err.message };
      order = current.order;
      timeline.length = 0;
      published.length = 0;
    }
    order.updatedAt = now.toISOString();
    // The step's entry is dated when it started: the events it caused follow it on the timeline.
    timeline.unshift(stepEntry(input, command, node, answer, decided, startedAt));
    const result: StepResult = {
      id: stepResultId(command.runId),
      type: 'stepResult',
      orderId: input.orderId,
      runId: command.runId,
      node: node.name,
      answer,
      at: now.toISOString(),
    };
    try {
      const saved = await deps.orders.saveWithTimeline(order, current.etag, timeline, [result]);
      if (saved === 'duplicate') {
        return (await deps.orders.stepResult(input.orderId, command.runId))?.answer ?? answer;
      }
    } catch (err) {
      if (err instanceof PreconditionFailedError && attempt < writeAttempts) continue;
      throw err;
    }
    await deps.publisher.publish(published.map((event) => toCloudEvent(event)));
    await recordPolicyNotes(deps, input, command.runId, node, decided.policyNotes, now);
    return answer;
  }
}

function dedupe(events: readonly EventToRaise[]): EventToRaise[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = `${e.entityType}|${e.entityId}|${e.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function stepEntry(
  input: JourneyInstanceInput,
  command: StepRequest['command'],
  node: JourneyNode,
  answer: StepAnswer,
  decided: Decision,
  now: Date
): TimelineEntry {
  const outcome = answer.type === 'failed' ? `failed: ${answer.reason}` : answer.type;
  const detail = [outcome, decided.detail, ...decided.policyNotes].filter(Boolean).join('; ');
  return {
    id: `${input.orderId}:step:${runKey(command.runId)}`,
    type: 'timeline',
    orderId: input.orderId,
    at: now.toISOString(),
    kind: answer.type === 'failed' ? 'error' : 'step',
    name: command.type === 'raise' ? `${node.name}: ${command.event}` : node.name,
    entityType: input.type,
    entityId: input.entityId,
    detail,
  };
}

/** Information policies that failed go on the policy error list (the step went on). */
async function recordPolicyNotes(
  deps: JourneyStepDeps,
  input: JourneyInstanceInput,
  runId: string,
  node: JourneyNode,
  notes: readonly string[],
  now: Date
): Promise<void> {
  for (const [i, note] of notes.entries()) {
    const entry: ErrorEntry = {
      id: `${runKey(runId)}-policy-${i}`,
      type: 'error-entry',
      kind: 'policy',
      createdAt: now.toISOString(),
      source: `${input.journey.journeyId} v${input.journey.version} / ${node.name}`,
      message: `An execution policy failed on order ${input.orderId}; the step went on.`,
      detail: note,
      orderId: input.orderId,
      status: 'open',
      attempts: 1,
    };
    await deps.errors.create(entry);
  }
}

/**
 * The `fail` command: the instance is parked at a step. The orchestration-step error list and the
 * order's timeline say which step, why, and how to resume (reprocess). Idempotent by run id.
 */
export function recordJourneyFailure(
  deps: Pick<JourneyStepDeps, 'errors' | 'orders' | 'clock'>,
  request: { input: JourneyInstanceInput; command: Extract<JourneyCommand, { type: 'fail' }> }
): Promise<void> {
  const { input, command } = request;
  return inSpan(
    'journey.failure',
    {
      parent: input.traceparent,
      fields: { orderId: input.orderId, instanceId: input.journey.instanceId },
      attributes: { 'openiom.journey.step': command.node },
    },
    () => recordFailure(deps, request)
  );
}

async function recordFailure(
  deps: Pick<JourneyStepDeps, 'errors' | 'orders' | 'clock'>,
  request: { input: JourneyInstanceInput; command: Extract<JourneyCommand, { type: 'fail' }> }
): Promise<void> {
  const { input, command } = request;
  const now = deps.clock.now();
  await deps.errors.create({
    id: `${runKey(command.runId)}-failed`,
    type: 'error-entry',
    kind: 'orchestration-step',
    createdAt: now.toISOString(),
    source: `${input.journey.journeyId} v${input.journey.version} / ${command.node}`,
    message: `Step ${command.node} failed on ${input.type} ${input.entityId}: ${command.reason}. Fix the cause, then POST /api/v1/orders/${input.orderId}/reprocess.`,
    detail: command.reason,
    orderId: input.orderId,
    status: 'open',
    attempts: 1,
  });
}

/**
 * A journey's own event (a name of the journey, not of the catalogue, such as `Shipment Email Sent`):
 * it moves no state; it is marked on the timeline, where the journey's progress shows, and published
 * like any other, so a subscriber sees every event of the journey.
 */
function journeyEventEntry(order: Order, event: EventToRaise, id: string, at: Date): TimelineEntry {
  const state =
    event.entityType === 'order' ? order.state : order.lines.find((l) => l.lineId === event.entityId)?.state;
  return {
    id: `${order.orderId}:event:${id}`,
    type: 'timeline',
    orderId: order.orderId,
    at: at.toISOString(),
    kind: 'event',
    name: event.name,
    entityType: event.entityType,
    entityId: event.entityId,
    ...(state === undefined ? {} : { fromState: state, toState: state }),
    detail: 'journey event (moves no state)',
  };
}
