import { isDomainError } from '../../domain/errors';
import { hasEvent } from '../../domain/events/find-event';
import type { JourneyNode, JourneyStep } from '../../domain/journeys/journey';
import type { StepAnswer } from '../../domain/journeys/journey-runtime';
import { runKey } from '../../domain/journeys/run-key';
import type { OrderReturn } from '../../domain/returns/order-return';
import { TransitionNotAllowedError } from '../../domain/states/transition-not-allowed-error';
import { controlEvents } from './control-events';
import { recordStepOutcome } from './record-step-outcome';
import type { JourneyStepDeps, StepRequest } from './run-journey-step';

/** What an action of a return journey answers. */
export interface ReturnActionResult {
  outcome: 'succeeded' | 'failed';
  reason?: string;
  detail?: string;
}

export type ReturnAction = (context: {
  orderReturn: OrderReturn;
  step: JourneyStep;
  runId: string;
}) => Promise<ReturnActionResult>;

/** Returns as their journeys' steps see them. */
export interface ReturnStepDeps {
  get(returnId: string): Promise<OrderReturn | undefined>;
  /** Raises a named event on the return through the state framework (TransitionNotAllowedError when refused). */
  raise(returnId: string, name: string, eventId: string): Promise<void>;
  actions: Readonly<Record<string, ReturnAction>>;
}

/**
 * A step of a return journey: the action on the return, then the output event raised through the
 * return's own rules (an event the catalogue does not know, such as `Return Authorized`, moves no
 * state and is named on the step's timeline entry), with the step result and timeline entry stored
 * in the order's partition. No policy is about a return, so a step has no filter or execution
 * policies (publishing refuses them). Idempotent by run id like every step; the actions' effects
 * (email, credit note, on-hand changes) carry ids derived from the return.
 */
export async function runReturnStep(
  deps: JourneyStepDeps,
  request: StepRequest,
  node: JourneyNode
): Promise<StepAnswer> {
  const { input, command } = request;
  const steps = deps.returnSteps;
  const orderReturn = await steps.get(input.entityId);
  if (orderReturn === undefined) return { type: 'failed', reason: `no return ${input.entityId}` };
  let answer: StepAnswer = { type: 'succeeded' };
  const events: string[] = [];
  let detail: string | undefined;
  if (command.type === 'raise') {
    events.push(command.event);
  } else if (node.kind === 'splitter' || node.kind === 'condition') {
    const raised = await controlEvents(deps.policy, node, orderReturn);
    events.push(...raised);
    answer = { type: 'succeeded', events: raised };
  } else if (node.kind === 'step') {
    const action = steps.actions[node.action];
    let result: ReturnActionResult;
    if (action === undefined) {
      result = { outcome: 'failed', reason: `action ${node.action} does not apply to returns` };
    } else {
      try {
        result = await action({ orderReturn, step: node, runId: command.runId });
      } catch (err) {
        if (!isDomainError(err)) throw err;
        result = { outcome: 'failed', reason: err.message };
      }
    }
    detail = result.detail;
    answer =
      result.outcome === 'failed'
        ? { type: 'failed', reason: result.reason ?? `${node.action} failed` }
        : { type: 'succeeded' };
    const output =
      answer.type === 'failed' ? node.failureEvent : node.wait === undefined ? node.successEvent : undefined;
    if (output !== undefined) events.push(output);
  }
  for (const [i, name] of events.entries()) {
    if (!hasEvent(name, 'return', deps.config.events)) {
      detail = [detail, `journey event ${name}`].filter(Boolean).join('; ');
      continue; // a journey's own event moves no state: the step's timeline entry names it
    }
    try {
      await steps.raise(orderReturn.id, name, `${runKey(command.runId)}-${i}`);
    } catch (err) {
      if (!(err instanceof TransitionNotAllowedError)) throw err;
      answer = { type: 'failed', reason: err.message };
    }
  }
  return recordStepOutcome(deps, {
    orderId: input.orderId,
    command,
    node,
    entityType: 'return',
    entityId: orderReturn.id,
    answer,
    ...(detail ? { detail } : {}),
  });
}
