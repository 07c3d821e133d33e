import type { JourneyCondition, JourneySplitter } from '../../domain/journeys/journey';
import { evaluatePolicy, type Policy, type PolicyEntity } from '../../domain/policies';

/**
 * The events a condition or splitter raises on an entity: a condition its true or false event by
 * its filter policy, a splitter each branch whose policy holds (a branch without one always).
 */
export async function controlEvents(
  policy: (policyId: string) => Promise<Policy>,
  node: JourneyCondition | JourneySplitter,
  entity: PolicyEntity
): Promise<string[]> {
  const holds = async (policyId: string | undefined) =>
    policyId === undefined || evaluatePolicy(await policy(policyId), entity).passed;
  if (node.kind === 'condition')
    return [(await holds(node.filterPolicyId)) ? node.trueEvent : node.falseEvent];
  const events: string[] = [];
  for (const branch of node.branches) if (await holds(branch.filterPolicyId)) events.push(branch.event);
  return events;
}
