import type { JourneyCommand } from '../../domain/journeys/interpret-journey';
import type { StepAnswer } from '../../domain/journeys/journey-runtime';
import { runKey, stepResultId } from '../../domain/journeys/run-key';
import type { TimelineEntry } from '../../domain/orders/timeline';
import type { Clock } from '../../ports/clock';
import type { OrderRepository } from '../../ports/orders';

/** A step run on an entity kept in an order's partition (a fulfillment order, a return). */
export interface StepOutcome {
  orderId: string;
  command: Extract<JourneyCommand, { type: 'run' | 'raise' }>;
  node: { name: string };
  entityType: TimelineEntry['entityType'];
  entityId: string;
  answer: StepAnswer;
  detail?: string;
}

/**
 * Stores a step's result with its timeline entry in the order's partition, once per run: a retry
 * that finds the result stored answers it instead of this one.
 */
export async function recordStepOutcome(
  deps: { orders: OrderRepository; clock: Clock },
  outcome: StepOutcome
): Promise<StepAnswer> {
  const { orderId, command, node, answer } = outcome;
  const at = deps.clock.now().toISOString();
  const said = answer.type === 'failed' ? `failed: ${answer.reason}` : answer.type;
  const entry: TimelineEntry = {
    id: `${orderId}:step:${runKey(command.runId)}`,
    type: 'timeline',
    orderId,
    at,
    kind: answer.type === 'failed' ? 'error' : 'step',
    name: command.type === 'raise' ? `${node.name}: ${command.event}` : node.name,
    entityType: outcome.entityType,
    entityId: outcome.entityId,
    detail: [said, outcome.detail].filter(Boolean).join('; '),
  };
  const stored = {
    id: stepResultId(command.runId),
    type: 'stepResult' as const,
    orderId,
    runId: command.runId,
    node: node.name,
    answer,
    at,
  };
  if ((await deps.orders.recordStep(orderId, [entry], stored)) === 'duplicate') {
    return (await deps.orders.stepResult(orderId, command.runId))?.answer ?? answer;
  }
  return answer;
}
