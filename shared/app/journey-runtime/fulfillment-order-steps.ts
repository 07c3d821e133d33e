import { isDomainError } from '../../domain/errors';
import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';
import type { Invoice } from '../../domain/invoices/invoice';
import type { JourneyNode, JourneyStep } from '../../domain/journeys/journey';
import type { StepAnswer } from '../../domain/journeys/journey-runtime';
import { nodeRunsKey, runKey } from '../../domain/journeys/run-key';
import type { Order } from '../../domain/orders/order';
import { applyExecutionPolicy, evaluatePolicy, type PolicyEntity } from '../../domain/policies';
import { TransitionNotAllowedError } from '../../domain/states/transition-not-allowed-error';
import { hasEvent } from '../../domain/events/find-event';
import { describeAnswer } from '../provider-actions/action-effects';
import { controlEvents } from './control-events';
import { recordStepOutcome } from './record-step-outcome';
import type { JourneyStepDeps, StepRequest } from './run-journey-step';
import { withInvoices } from './step-invoices';

/** What an action of a fulfillment order journey answers. */
export interface FulfillmentOrderActionResult {
  outcome: 'succeeded' | 'failed' | 'deferred';
  reason?: string;
  until?: string;
  detail?: string;
  /** Invoices the action made (or found made): a provider action of the step gets each of them. */
  invoices?: Invoice[];
}

export type FulfillmentOrderAction = (context: {
  fulfillmentOrder: FulfillmentOrder;
  step: JourneyStep;
  runId: string;
}) => Promise<FulfillmentOrderActionResult>;

/** Fulfillment orders as their journeys' steps see them. */
export interface FulfillmentOrderStepDeps {
  /** `homeOrderId`: its first order, where it is stored (found anyway when it is not). */
  get(fulfillmentOrderId: string, homeOrderId?: string): Promise<FulfillmentOrder | undefined>;
  /** Raises a named event on the FO through the state framework (TransitionNotAllowedError when refused). */
  raise(fulfillmentOrderId: string, name: string, eventId: string): Promise<void>;
  /**
   * Ships the FO's open lines with this tracking through its status event use case (idempotent by
   * `eventId`), as a provider action's shipment asks.
   */
  ship(
    fulfillmentOrderId: string,
    eventId: string,
    tracking: { carrier: string; number: string; url?: string }
  ): Promise<void>;
  /** Keeps an id the FO has in another system (one per system). */
  addExternalReference(fulfillmentOrderId: string, reference: { system: string; id: string }): Promise<void>;
  actions: Readonly<Record<string, FulfillmentOrderAction>>;
}

/**
 * A step of a fulfillment order journey: as an order step (filter and execution policies on the FO,
 * the action, the output event), with the event raised through the FO's own rules and the step
 * result and timeline entry stored in its first order's partition. Set-value actions of execution
 * policies are evaluated but not stored on an FO. Idempotent by run id like every step.
 */
export async function runFulfillmentOrderStep(
  deps: JourneyStepDeps,
  request: StepRequest,
  node: JourneyNode
): Promise<StepAnswer> {
  const { input, command } = request;
  const steps = deps.fulfillmentOrderSteps;
  const fo = await steps.get(input.entityId, input.orderId);
  if (fo === undefined) return { type: 'failed', reason: `no fulfillment order ${input.entityId}` };
  const entity = fo as unknown as PolicyEntity;
  let answer: StepAnswer;
  let event: string | undefined;
  let detail: string | undefined;
  if (command.type === 'raise') {
    answer = { type: 'succeeded' };
    event = command.event;
  } else if (node.kind === 'condition' || node.kind === 'splitter') {
    const events = await controlEvents(deps.policy, node, entity);
    // A condition's one event is the step's output event (below); a splitter's are raised here.
    if (node.kind === 'condition') event = events[0];
    else for (const [i, name] of events.entries()) await raiseOrFail(`${runKey(command.runId)}-${i}`, name);
    answer = { type: 'succeeded', events };
  } else if (node.kind === 'step') {
    const decided = await decide(deps, node, fo, entity, command.runId);
    if (decided.answer.type === 'deferred') return decided.answer;
    answer = decided.answer;
    detail = decided.detail;
    event =
      answer.type === 'failed'
        ? node.failureEvent
        : node.wait === undefined || answer.type === 'skipped'
          ? node.successEvent
          : undefined;
  } else {
    answer = { type: 'succeeded' };
  }
  if (event !== undefined) {
    const refused = await raiseOrFail(`${runKey(command.runId)}-out`, event);
    if (refused !== undefined) answer = { type: 'failed', reason: refused };
  }
  return recordStepOutcome(deps, {
    orderId: input.orderId,
    command,
    node,
    entityType: 'fulfillmentOrder',
    entityId: fo.id,
    answer,
    ...(detail ? { detail } : {}),
  });

  async function raiseOrFail(eventId: string, name: string): Promise<string | undefined> {
    if (!hasEvent(name, 'fulfillmentOrder', deps.config.events)) {
      detail = [detail, `journey event ${name}`].filter(Boolean).join('; ');
      return undefined; // a journey's own event moves no state: the step's timeline entry names it
    }
    try {
      await steps.raise(fo!.id, name, eventId);
      return undefined;
    } catch (err) {
      if (err instanceof TransitionNotAllowedError) return err.message;
      throw err;
    }
  }
}

async function decide(
  deps: JourneyStepDeps,
  node: JourneyStep,
  fo: FulfillmentOrder,
  entity: PolicyEntity,
  runId: string
): Promise<{ answer: StepAnswer; detail?: string }> {
  if (node.filterPolicyId !== undefined) {
    if (!evaluatePolicy(await deps.policy(node.filterPolicyId), entity).passed) {
      return { answer: { type: 'skipped' } };
    }
  }
  const notes: string[] = [];
  for (const policyId of node.executionPolicyIds ?? []) {
    const outcome = applyExecutionPolicy(await deps.policy(policyId), entity);
    if (outcome.passed) continue;
    const why = `policy ${policyId}: ${JSON.stringify(outcome.explanation)}`;
    if (outcome.critical) return { answer: { type: 'failed', reason: `critical ${why}` } };
    notes.push(why);
  }
  const action = deps.fulfillmentOrderSteps.actions[node.action];
  if (action === undefined) {
    return {
      answer: { type: 'failed', reason: `action ${node.action} does not apply to fulfillment orders` },
    };
  }
  let result: FulfillmentOrderActionResult;
  try {
    result = await action({ fulfillmentOrder: fo, step: node, runId });
  } catch (err) {
    if (!isDomainError(err)) throw err;
    result = { outcome: 'failed', reason: err.message };
  }
  if (result.outcome === 'succeeded' && node.providerAction !== undefined) {
    result = await withProviderAction(deps, node, fo, runId, result);
  }
  const detail = [result.detail, ...notes].filter(Boolean).join('; ');
  if (result.outcome === 'failed') {
    return { answer: { type: 'failed', reason: result.reason ?? `${node.action} failed` } };
  }
  if (result.outcome === 'deferred') {
    const until = result.until ?? deps.clock.now().toISOString();
    return { answer: { type: 'deferred', until, reason: result.reason ?? 'deferred' } };
  }
  return { answer: { type: 'succeeded' }, ...(detail ? { detail } : {}) };
}

/**
 * A step's provider action on the FO, after its built-in action succeeded: it sees the FO and its
 * orders; a shipment it reports ships the FO through the status event use case (event id from the
 * node's runs, so a reprocess ships once), an external reference is kept on the FO; its failure
 * fails the step with the provider's message.
 */
async function withProviderAction(
  deps: JourneyStepDeps,
  node: JourneyStep,
  fo: FulfillmentOrder,
  runId: string,
  result: FulfillmentOrderActionResult
): Promise<FulfillmentOrderActionResult> {
  const { instanceId, action } = node.providerAction!;
  if (result.invoices !== undefined) {
    return withInvoices(deps, { instanceId, action, step: node.name, runKey: runKey(runId) }, result);
  }
  const orders: Order[] = [];
  for (const orderId of fo.orderIds) {
    const order = await deps.orders.get(orderId);
    if (order) orders.push(order);
  }
  const key = nodeRunsKey(runId);
  const ran = await deps.providerActions({
    instanceId,
    action,
    subject: { type: 'fulfillmentOrder', fulfillmentOrder: structuredClone(fo), orders },
    idempotencyKey: key,
    step: node.name,
    orderId: fo.orderIds[0]!,
    runKey: runKey(runId),
  });
  if (!ran.ok) return { ...result, outcome: 'failed', reason: ran.message };
  for (const [i, effect] of ran.answer.effects.entries()) {
    if (effect.type === 'externalReference') {
      await deps.fulfillmentOrderSteps.addExternalReference(fo.id, { system: effect.system, id: effect.id });
    }
    if (effect.type !== 'shipment' || !effect.raiseShipped) continue;
    try {
      await deps.fulfillmentOrderSteps.ship(fo.id, `${key}-shipment-${i}`, {
        carrier: effect.carrier,
        number: effect.trackingNumber,
        ...(effect.url ? { url: effect.url } : {}),
      });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return {
        ...result,
        outcome: 'failed',
        reason: `${action} shipped, but the FO refused it: ${err.message}`,
      };
    }
  }
  return {
    ...result,
    detail: [result.detail, describeAnswer(instanceId, action, ran.answer)].filter(Boolean).join('; '),
  };
}
